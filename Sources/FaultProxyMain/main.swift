import FaultProxy
import Foundation

// mamori-fault-proxy: see `--help` and docs/resilience.md.
let options: ProxyOptions
do {
    options = try ProxyOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    if error.isHelp {
        print(error.description)
        exit(0)
    }
    FileHandle.standardError.write(Data("mamori-fault-proxy: \(error.description)\n".utf8))
    exit(2)
}

// A parent that holds our stdin as a pipe (a test) stops us by closing it. A terminal or
// /dev/null (a background job) does not: Ctrl-C or SIGTERM do.
var status = stat()
if fstat(STDIN_FILENO, &status) == 0, (status.st_mode & S_IFMT) == S_IFIFO || (status.st_mode & S_IFMT) == S_IFSOCK {
    Thread.detachNewThread {
        _ = FileHandle.standardInput.readDataToEndOfFile()
        exit(0)
    }
}

do {
    let server = try FaultProxyServer(options: options)
    try await server.run { port in
        // Unbuffered: a parent waits for this line on a pipe.
        FileHandle.standardOutput.write(Data("READY http://127.0.0.1:\(port)\n".utf8))
    }
} catch let error as ProxyOptionError {
    FileHandle.standardError.write(Data("mamori-fault-proxy: \(error.description)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("mamori-fault-proxy: \(error)\n".utf8))
    exit(1)
}
