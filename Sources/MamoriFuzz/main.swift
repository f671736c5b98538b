// `mamori-fuzz`: the parsers of untrusted bytes (FuzzTargets) as one binary.
//
// Built normally it replays inputs: `mamori-fuzz list`, `mamori-fuzz TARGET FILE...` (each file
// once; a crash reproduces under a debugger). Built by `scripts/fuzz.sh --libfuzzer`
// (`-sanitize=fuzzer -parse-as-library -D MAMORI_LIBFUZZER`) it is a coverage-guided libFuzzer
// binary for the target named in `MAMORI_FUZZ_TARGET`; libFuzzer supplies `main`.
import Foundation
import FuzzTargets

#if MAMORI_LIBFUZZER
private let selected: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["MAMORI_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.named(name) else {
        let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("mamori-fuzz: set MAMORI_FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func mamoriFuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    selected.run(data)
    return 0
}
#else
@main
struct MamoriFuzz {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        let names = FuzzTargets.all.map(\.name)
        guard let first = args.first, first != "-h", first != "--help" else {
            print("usage: mamori-fuzz list | mamori-fuzz dict TARGET | mamori-fuzz TARGET FILE...   (targets: \(names.joined(separator: ", ")))")
            exit(args.isEmpty ? 2 : 0)
        }
        if first == "list" {
            names.forEach { print($0) }
            return
        }
        if first == "dict", args.count == 2, let target = FuzzTargets.named(args[1]) {
            // libFuzzer's dictionary format: one quoted token per line, other bytes as \xNN.
            for (i, token) in target.dictionary.enumerated() {
                let quoted = token.map { b in
                    (32..<127).contains(b) && b != 0x22 && b != 0x5C ? String(UnicodeScalar(b)) : String(format: "\\x%02x", b)
                }.joined()
                print("kw\(i)=\"\(quoted)\"")
            }
            return
        }
        guard let target = FuzzTargets.named(first) else {
            FileHandle.standardError.write(Data("mamori-fuzz: unknown target '\(first)'; one of: \(names.joined(separator: ", "))\n".utf8))
            exit(2)
        }
        guard args.count > 1 else {
            FileHandle.standardError.write(Data("mamori-fuzz: give the input files to replay\n".utf8))
            exit(2)
        }
        for path in args.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("mamori-fuzz: cannot read \(path)\n".utf8))
                exit(2)
            }
            target.run(data)
            print("\(target.name): \(path): ok")
        }
    }
}
#endif
