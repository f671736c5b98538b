import Foundation

/// An exclusive advisory lock on a file (flock), held until `release()`: serialises the processes
/// that migrate one SQLite store.
struct FileLock {
    private let descriptor: Int32

    init(path: String) throws(HistoryError) {
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw HistoryError(.open, "cannot create \(path) next to the history database: \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
