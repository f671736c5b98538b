import AWSClient
import Foundation
import StreamIO

/// `mamori secrets s3://bucket/prefix`: the objects under a prefix, scanned as files are (gzip, tar
/// and zip opened, binary skipped, archive limits per object), for keys left in a bucket.
public enum S3SecretSource {
    /// Bounds of an S3 scan. Objects up to `rangeBytes` are read whole (one GetObject); larger ones
    /// are streamed in ranges of that size, so memory is at most `rangeBytes × concurrency` plus what
    /// the archive limits allow per object, whatever the objects' sizes.
    public struct Limits: Sendable {
        public var maxObjectBytes: Int64
        public var concurrency: Int
        public var rangeBytes: Int64
        public init(maxObjectBytes: Int64 = 5 << 30, concurrency: Int = 8, rangeBytes: Int64 = 8 << 20) {
            self.maxObjectBytes = maxObjectBytes
            self.concurrency = max(1, concurrency)
            self.rangeBytes = max(1, rangeBytes)
        }
    }

    /// Lists `location` and scans every object. An object too large or unreadable is named in
    /// `errors` and counted in `stats.unreadableObjects` (the run is partial), never skipped silently.
    public static func scan(_ location: S3Location, client: AWSClient, region: String, options: SecretScanOptions,
                            limits: Limits = Limits()) async -> SecretScanResult {
        // A bucket in another region answers only there; when the location cannot be read (no
        // s3:GetBucketLocation), the caller's region is tried.
        let bucketRegion = (try? await client.bucketLocation(location.bucket, region: region)) ?? region
        let objects: [S3ObjectSummary]
        do {
            objects = try await client.listObjects(bucket: location.bucket, prefix: location.prefix, region: bucketRegion) { !$0.hasSuffix("/") }
        } catch {
            return SecretScanResult(errors: ["\(location): cannot list the objects: \(error)"])
        }
        var errors: [String] = []
        var stats = ScanStats()
        var readable: [S3ObjectSummary] = []
        for object in objects {
            if object.size > limits.maxObjectBytes {
                errors.append("s3://\(location.bucket)/\(object.key): \(StreamIOError.sizeText(Int(object.size))), larger than "
                              + "--max-object-size \(StreamIOError.sizeText(Int(limits.maxObjectBytes))): not scanned")
                stats.unreadableObjects += 1
            } else {
                readable.append(object)
            }
        }
        var scanners: [ContentScanner] = []
        // At most `limits.concurrency` objects are read and held at once.
        await withTaskGroup(of: (UncheckedBox<ContentScanner>?, String?).self) { group in
            var next = 0
            func add() {
                guard next < readable.count else { return }
                let object = readable[next]
                next += 1
                group.addTask {
                    let name = "s3://\(location.bucket)/\(object.key)"
                    if object.size > limits.rangeBytes {
                        return await streamed(object, bucket: location.bucket, client: client, region: bucketRegion, options: options, limits: limits)
                    }
                    do {
                        let response = try await client.restXML(.s3, region: bucketRegion, bucket: location.bucket,
                                                                path: "/" + object.key, operation: "GetObject")
                        let scanner = ContentScanner(limits: options.archiveLimits)
                        scanner.scanStream(MemorySource(response.body, name: name), name: name, inputBytes: response.body.count)
                        return (UncheckedBox(scanner), nil)
                    } catch {
                        return (nil, "\(name): cannot read: \(error)")
                    }
                }
            }
            for _ in 0..<limits.concurrency { add() }
            while let (scanner, error) = await group.next() {
                if let scanner { scanners.append(scanner.value) }
                if let error {
                    errors.append(error)
                    stats.unreadableObjects += 1
                }
                add()
            }
        }
        return SecretScanner.collect(scanners, stats: stats, errors: errors, git: [:], options: options)
    }

    /// Streams a large object through a scanner on a thread of its own (the ranged reads block it).
    static func streamed(_ object: S3ObjectSummary, bucket: String, client: AWSClient, region: String, options: SecretScanOptions,
                         limits: Limits) async -> (UncheckedBox<ContentScanner>?, String?) {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let source = S3RangedSource(client: client, region: region, bucket: bucket, object: object, rangeBytes: limits.rangeBytes)
                let scanner = ContentScanner(limits: options.archiveLimits)
                scanner.scanStream(source, name: source.name, inputBytes: Int(object.size))
                // The scanner recorded the read error once; counting the object makes the run partial.
                if source.failure != nil { scanner.countUnreadObject() }
                continuation.resume(returning: (UncheckedBox(scanner), nil))
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
