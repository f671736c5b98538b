import AWSClient
import Foundation
import StreamIO

/// An S3 object read in ranges (`Range: bytes=A-B`, `If-Match` its ETag so two versions are never
/// mixed) as a ``ByteSource``: a large object is streamed through the scanner with one range in
/// memory at a time. `read` blocks its thread while a range downloads, so it must run on a thread
/// of its own, never on Swift concurrency's cooperative pool.
final class S3RangedSource: ByteSource, @unchecked Sendable {
    let name: String
    private let client: AWSClient
    private let region: String
    private let bucket: String
    private let object: S3ObjectSummary
    private let rangeBytes: Int64
    private var offset: Int64 = 0
    private var chunk = Data()
    private var chunkOffset = 0
    /// Set when a range could not be read: the object was not scanned to its end.
    private(set) var failure: String?

    init(client: AWSClient, region: String, bucket: String, object: S3ObjectSummary, rangeBytes: Int64 = 8 << 20) {
        self.client = client
        self.region = region
        self.bucket = bucket
        self.object = object
        self.rangeBytes = max(1, rangeBytes)
        self.name = "s3://\(bucket)/\(object.key)"
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        if chunkOffset == chunk.count {
            guard offset < object.size else { return 0 }
            let end = min(object.size, offset + rangeBytes) - 1
            do {
                chunk = try fetch(from: offset, to: end)
            } catch {
                failure = "\(error)"
                throw .readFailed(path: name, reason: "bytes \(offset)-\(end): \(error)")
            }
            guard !chunk.isEmpty else {
                failure = "empty range at byte \(offset)"
                throw .readFailed(path: name, reason: "S3 returned no bytes at \(offset) of \(object.size)")
            }
            chunkOffset = 0
            offset += Int64(chunk.count)
        }
        let count = min(buffer.count, chunk.count - chunkOffset)
        chunk.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress!.advanced(by: chunkOffset), byteCount: count)
        }
        chunkOffset += count
        return count
    }

    /// One ranged GetObject, waited for on this (non-cooperative) thread.
    private func fetch(from start: Int64, to end: Int64) throws -> Data {
        var headers = [HTTPHeader("Range", "bytes=\(start)-\(end)")]
        if let eTag = object.eTag { headers.append(HTTPHeader("If-Match", eTag)) }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let (client, region, bucket, key) = (self.client, self.region, self.bucket, object.key)
        let request = headers
        Task {
            do throws(AWSError) {
                let response = try await client.restXML(.s3, region: region, bucket: bucket, path: "/" + key, headers: request,
                                                        operation: "GetObject")
                box.result = .success(response.body)
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    private final class ResultBox: @unchecked Sendable {
        var result: Result<Data, AWSError>?
    }
}
