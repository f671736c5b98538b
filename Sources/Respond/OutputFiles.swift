import Foundation

/// The new secret's file, claimed (created empty, mode 0600, exclusively) before the first change,
/// so that a path that cannot take the secret stops the run while nothing has been changed yet.
public final class SecretFileClaim: @unchecked Sendable {
    public let path: String
    private var fd: Int32
    private var written = false

    /// Creates `path` exclusively. Refuses, with the reason, an existing path (a file, a device such as
    /// `/dev/stdout`, a symbolic link even when dangling) and a folder that does not exist.
    public init(_ path: String) throws(RespondInputError) {
        self.path = path
        if let reason = OutputFiles.problem(newFile: path) {
            throw RespondInputError("--secret-file \(path): \(reason); nothing was changed. Give a new file in an existing folder")
        }
        // O_NOFOLLOW as well as O_EXCL: a link planted between the check and the open is refused too.
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            throw RespondInputError("--secret-file \(path): cannot create it (\(String(cString: strerror(errno)))); nothing was changed")
        }
    }

    /// Writes the whole text once and closes the file.
    public func write(_ text: String) throws(RespondInputError) {
        let count = text.utf8.count
        let done = text.utf8CString.withUnsafeBufferPointer { Foundation.write(fd, $0.baseAddress, count) }
        if done != count || fsync(fd) != 0 { throw RespondInputError("could not write the new secret to \(path)") }
        written = true
        close(fd)
        fd = -1
    }

    /// Removes the claimed file when no secret went into it (the run stopped before, or no key was created).
    public func release() {
        if fd >= 0 { close(fd); fd = -1 }
        if !written { unlink(path) }
    }

    deinit { release() }
}

/// Checks output paths before any change is made.
public enum OutputFiles {
    /// Why `path` cannot be created as a new regular file, or nil when it can.
    public static func problem(newFile path: String) -> String? {
        var info = stat()
        if lstat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                return stat(path, &info) == 0 ? "it is a symbolic link to an existing file or device" : "it is a dangling symbolic link"
            case S_IFDIR: return "it is a folder"
            case S_IFREG: return "it already exists (the secret is only ever written to a new file)"
            default: return "it already exists and is not a regular file (a device, pipe or socket)"
            }
        }
        return folderProblem(of: path)
    }

    /// Why a report cannot be written to `path` (an existing regular file is replaced), or nil.
    public static func problem(reportFile path: String) -> String? {
        var info = stat()
        if lstat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: return access(path, W_OK) == 0 ? folderProblem(of: path) : "it is not writable"
            case S_IFLNK: return "it is a symbolic link"
            case S_IFDIR: return "it is a folder"
            default: return "it is not a regular file (a device, pipe or socket)"
            }
        }
        return folderProblem(of: path)
    }

    static func folderProblem(of path: String) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        let dir = folder.isEmpty ? "." : folder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) else { return "the folder \(dir) does not exist" }
        guard isDirectory.boolValue else { return "\(dir) is not a folder" }
        return access(dir, W_OK) == 0 ? nil : "the folder \(dir) is not writable"
    }
}
