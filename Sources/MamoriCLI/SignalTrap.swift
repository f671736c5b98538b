import Foundation

/// Turns SIGINT and SIGTERM into task cancellation, so a long scan stops cleanly: work in flight
/// is dropped, finished work stays stored. A second signal exits at once.
enum SignalTrap {
    static func cancelling<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let seen = Counter()
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if seen.increment() > 1 {
                    FileHandle.standardError.write(Data("mamori: stopped\n".utf8))
                    exit(128 + number)
                }
                FileHandle.standardError.write(Data("\nmamori: stopping — finished accounts are kept; signal again to quit at once\n".utf8))
                task.cancel()
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        return try await task.value
    }

    /// A thread-safe counter (signal handlers run on a dispatch queue).
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
