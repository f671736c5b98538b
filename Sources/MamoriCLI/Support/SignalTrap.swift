import Foundation
import ScanEngine
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into task cancellation, so a long scan stops cleanly: work in flight
/// is dropped, finished work stays stored. A second signal ends the process at once.
///
/// Why not a dispatch signal source: its handler runs on a global-queue thread, and when every
/// such thread is stuck (as a cancellation deadlock in the transport once left them) the second
/// signal was never handled and only SIGKILL ended the process. Here the signal handler itself
/// does only async-signal-safe work: it counts, writes one byte to a pipe, and on the second signal
/// calls `_exit`. A dedicated thread (not a pool thread) reads the pipe and cancels the task.
enum SignalTrap {
    /// The process's watcher, started by `arm()` (at most once).
    nonisolated(unsafe) private static var watcher: SignalWatcher?
    private static let lock = NSLock()

    /// Starts trapping now, before the command's work begins (called right after parsing), so a
    /// signal during start-up is not lost: it cancels the work as soon as it starts.
    static func arm() {
        lock.lock()
        defer { lock.unlock() }
        if watcher == nil {
            watcher = SignalWatcher.start {
                FileHandle.standardError.write(Data("\nmamori: stopping — finished accounts are kept; signal again to quit at once\n".utf8))
            }
        }
    }

    /// Runs `body` in a task that the first SIGINT/SIGTERM cancels. When the body fails after a
    /// signal, the failure is reported as `Interrupted` (a cancelled request is not an AWS error).
    static func cancelling<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        arm()
        let watcher = lock.withLock { Self.watcher! }
        let task = Task { try await body() }
        watcher.onSignal { task.cancel() }
        defer {
            watcher.stop()
            lock.withLock { Self.watcher = nil }
        }
        do {
            return try await task.value
        } catch let error as Interrupted {
            throw error
        } catch {
            if watcher.fired { throw Interrupted(scanId: nil, underlying: "\(error)") }
            throw error
        }
    }

    /// The run was stopped by a signal before it had anything to report (the engine's error).
    typealias Interrupted = ScanInterrupted
}

// State the C signal handler reads. Set before the handler is installed; the handler only reads
// the descriptor and bumps the counter, both plain word-sized loads and stores.
private nonisolated(unsafe) var trapWriteDescriptor: Int32 = -1
private nonisolated(unsafe) var trapSignalsSeen: Int32 = 0

private func trapHandler(_ number: Int32) {
    trapSignalsSeen += 1
    if trapSignalsSeen > 1 {
        let message: StaticString = "mamori: stopped\n"
        _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
        _exit(128 + number)
    }
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(trapWriteDescriptor, &byte, 1)
}

/// Owns the signal handlers and the thread that turns the first signal into a callback.
final class SignalWatcher: @unchecked Sendable {
    private let readDescriptor: Int32
    private let writeDescriptor: Int32
    private let lock = NSLock()
    private var seen = false
    private var action: (@Sendable () -> Void)?

    /// Whether a signal arrived.
    var fired: Bool {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }

    /// What the first signal does beyond the announcement; run at once if it has already come.
    func onSignal(_ action: @escaping @Sendable () -> Void) {
        lock.lock()
        let already = seen
        if !already { self.action = action }
        lock.unlock()
        if already { action() }
    }

    private init(read: Int32, write: Int32) {
        readDescriptor = read
        writeDescriptor = write
    }

    static func start(onFirstSignal: @escaping @Sendable () -> Void) -> SignalWatcher {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            // Without a pipe, keep the default disposition: Ctrl-C ends the process as usual.
            return SignalWatcher(read: -1, write: -1)
        }
        let watcher = SignalWatcher(read: fds[0], write: fds[1])
        trapSignalsSeen = 0
        trapWriteDescriptor = fds[1]
        let thread = Thread { [watcher] in watcher.waitForSignal(onFirstSignal) }
        thread.name = "mamori-signals"
        thread.start()
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = trapHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
        return watcher
    }

    private func waitForSignal(_ onFirstSignal: @Sendable () -> Void) {
        defer { close(readDescriptor) }
        var byte: UInt8 = 0
        while true {
            let count = read(readDescriptor, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else { return }  // closed by stop()
            lock.lock()
            seen = true
            let registered = action
            lock.unlock()
            onFirstSignal()
            registered?()
            return
        }
    }

    /// Restores the default dispositions and ends the watching thread.
    func stop() {
        guard writeDescriptor >= 0 else { return }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        trapWriteDescriptor = -1
        close(writeDescriptor)
        // The reader thread sees end-of-file (or has already returned) and closes the read end.
    }
}
