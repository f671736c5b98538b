import Foundation
import StreamIO

/// Everything one `mamori iac` run found.
public struct IaCScanResult: Sendable, Codable {
    public var findings: [IaCFinding]
    /// Files that could not be read or parsed; the rest of the scan went on.
    public var errors: [IaCFileError]
    /// Files deliberately not scanned (binary, too large), named so nothing is skipped silently.
    public var skipped: [IaCFileError]
    /// Findings muted by a `mamori:ignore` comment, kept for the record.
    public var suppressed: [IaCFinding]
    public var filesScanned: Int

    public init(findings: [IaCFinding] = [], errors: [IaCFileError] = [], skipped: [IaCFileError] = [],
                suppressed: [IaCFinding] = [], filesScanned: Int = 0) {
        self.findings = findings
        self.errors = errors
        self.skipped = skipped
        self.suppressed = suppressed
        self.filesScanned = filesScanned
    }
}

/// A problem that stops the scan before it starts.
public enum IaCScanError: Error, Sendable, Equatable, CustomStringConvertible {
    case pathNotFound(String)
    /// A path named on the command line that is neither a directory nor a regular file (a FIFO would hang the scan).
    case notARegularFile(String, reason: String)

    public var description: String {
        switch self {
        case .pathNotFound(let path): return "\(path): no such file or directory"
        case let .notARegularFile(path, reason): return "\(path): \(reason); not scanned"
        }
    }
}

/// Walks paths, classifies files, and runs the matching front end on each with bounded concurrency.
public struct IaCScanner: Sendable {
    /// Files larger than this are listed as skipped: IaC and scripts are far smaller.
    public var maxFileBytes = 10 * 1024 * 1024
    public var concurrency = max(2, ProcessInfo.processInfo.activeProcessorCount)

    public init() {}

    struct Candidate: Sendable {
        var display: String
        var path: String
        /// nil for an extension-less file that is scanned only if it starts with a shell shebang.
        var kind: IaCFileKind?
        /// Named on the command line: if it turns out not to be scannable, say so.
        var explicit = false
    }

    struct ParsedHCL: Sendable {
        var file: String
        var directory: String
        var kind: IaCFileKind
        var body: HCLBody?
        var jsonRoot: HCLExpression?
        var ignores = IgnoreDirectives()
    }

    enum Outcome: Sendable {
        /// Look-ups to evaluate, and findings a rule decided by itself (CloudFormation), for one file.
        case lookups([AMILookup], IgnoreDirectives, findings: [IaCFinding] = [], file: String? = nil)
        case hcl(ParsedHCL)
        case error(IaCFileError)
        case skipped(IaCFileError)
        case ignored
    }

    public func scan(paths: [String]) async throws(IaCScanError) -> IaCScanResult {
        var candidates: [Candidate] = []
        var result = IaCScanResult()
        for path in paths {
            let (found, errors) = try discover(path)
            candidates += found
            result.errors += errors
        }
        let outcomes = await process(candidates)

        var parsed: [ParsedHCL] = []
        var lookups: [AMILookup] = []
        var decided: [IaCFinding] = []
        var ignores: [String: IgnoreDirectives] = [:]
        for outcome in outcomes {
            switch outcome {
            case .lookups(let l, let i, let f, let file):
                lookups += l
                decided += f
                result.filesScanned += 1
                if let file = file ?? l.first?.file, !i.isEmpty { ignores[file] = i }
            case .hcl(let p):
                parsed.append(p)
                result.filesScanned += 1
                if !p.ignores.isEmpty { ignores[p.file] = p.ignores }
            case .error(let e): result.errors.append(e)
            case .skipped(let e): result.skipped.append(e)
            case .ignored: break
            }
        }
        lookups += Self.hclLookups(parsed)
        let all = (lookups.compactMap { $0.finding() } + decided).sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
        for finding in all {
            if ignores[finding.file]?.suppresses(finding) == true {
                result.suppressed.append(finding)
            } else {
                result.findings.append(finding)
            }
        }
        result.errors.sort { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        result.skipped.sort { $0.file < $1.file }
        return result
    }

    /// Variables are per directory (a Terraform module, a Packer template folder), so HCL files are
    /// evaluated only once every file of their directory is parsed.
    static func hclLookups(_ parsed: [ParsedHCL]) -> [AMILookup] {
        var variables: [String: ModuleVariables] = [:]
        for p in parsed where p.kind != .variableValues {
            if let body = p.body { variables[p.directory, default: ModuleVariables()].addDeclarations(from: body) }
        }
        for p in parsed where p.kind == .variableValues {
            if let body = p.body { variables[p.directory, default: ModuleVariables()].addAssignments(from: body) }
        }
        var lookups: [AMILookup] = []
        for p in parsed where p.kind != .variableValues {
            let vars = variables[p.directory] ?? ModuleVariables()
            if let body = p.body { lookups += HCLAMIRules.lookups(in: body, file: p.file, variables: vars) }
            if p.kind == .jsonCandidate, let root = p.jsonRoot {
                lookups += JSONTemplates.packerLegacyLookups(root: root, file: p.file, variables: vars)
            }
        }
        return lookups
    }

    // MARK: discovery

    private func discover(_ path: String) throws(IaCScanError) -> ([Candidate], [IaCFileError]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .pathNotFound(path)
        }
        if !isDirectory.boolValue {
            if let reason = Self.refusal(path) { throw .notARegularFile(path, reason: reason) }
            let name = (path as NSString).lastPathComponent
            return ([Candidate(display: path, path: path, kind: IaCFileKind.classify(name: name), explicit: true)], [])
        }
        var candidates: [Candidate] = []
        var errors: [IaCFileError] = []
        let root = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        var stack = [""]
        while let relative = stack.popLast() {
            let directory = relative.isEmpty ? root : root + "/" + relative
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            } catch {
                errors.append(IaCFileError(file: directory, message: "cannot list directory: \(error.localizedDescription)"))
                continue
            }
            for name in names {
                let rel = relative.isEmpty ? name : relative + "/" + name
                let full = root + "/" + rel
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: full),
                      let type = attributes[.type] as? FileAttributeType else {
                    errors.append(IaCFileError(file: full, message: "cannot read file attributes"))
                    continue
                }
                if type == .typeDirectory {
                    if !IaCFileKind.skippedDirectories.contains(name) { stack.append(rel) }
                } else if type == .typeRegular || type == .typeSymbolicLink {
                    // Symbolic links are followed for files only, so a link loop cannot trap the walk.
                    if type == .typeSymbolicLink {
                        var linkIsDirectory: ObjCBool = false
                        if !FileManager.default.fileExists(atPath: full, isDirectory: &linkIsDirectory) || linkIsDirectory.boolValue { continue }
                    }
                    let kind = IaCFileKind.classify(name: name)
                    if kind != nil || !name.contains(".") {
                        candidates.append(Candidate(display: full, path: full, kind: kind))
                    }
                }
            }
        }
        return (candidates, errors)
    }

    /// Why a path named on the command line is not read, or nil for a regular file.
    static func refusal(_ path: String) -> String? {
        do { try RegularFile.check(path) } catch {
            if case let .openFailed(_, reason) = error { return reason }
            return error.description
        }
        return nil
    }

    // MARK: processing

    private func process(_ candidates: [Candidate]) async -> [Outcome] {
        let limit = max(1, concurrency)
        let maxBytes = maxFileBytes
        return await withTaskGroup(of: (Int, Outcome).self) { group in
            var outcomes = [Outcome](repeating: .ignored, count: candidates.count)
            var next = 0
            while next < candidates.count && next < limit {
                let index = next
                group.addTask { (index, Self.process(candidates[index], maxBytes: maxBytes)) }
                next += 1
            }
            while let (index, outcome) = await group.next() {
                outcomes[index] = outcome
                if next < candidates.count {
                    let index = next
                    group.addTask { (index, Self.process(candidates[index], maxBytes: maxBytes)) }
                    next += 1
                }
            }
            return outcomes
        }
    }

    static func process(_ candidate: Candidate, maxBytes: Int) -> Outcome {
        let outcome = readAndAnalyse(candidate, maxBytes: maxBytes)
        if case .ignored = outcome, candidate.explicit {
            return .skipped(IaCFileError(file: candidate.display, message: "not a file type mamori iac reads (see docs/iac.md)"))
        }
        return outcome
    }

    static func readAndAnalyse(_ candidate: Candidate, maxBytes: Int) -> Outcome {
        let file = candidate.display
        // A link found in a folder may point at a FIFO or device: RegularFile refuses those without blocking.
        let handle: FileHandle
        do {
            handle = FileHandle(fileDescriptor: try RegularFile.open(candidate.path), closeOnDealloc: false)
        } catch {
            let reason: String
            if case let .openFailed(_, why) = error { reason = why } else { reason = error.description }
            return candidate.kind == nil ? .ignored : .error(IaCFileError(file: file, message: "cannot open file: \(reason)"))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            return .error(IaCFileError(file: file, message: "cannot read file: \(error.localizedDescription)"))
        }
        if data.count > maxBytes {
            return candidate.kind == nil ? .ignored : .skipped(IaCFileError(file: file, message: "larger than \(maxBytes / 1024 / 1024) MB, not scanned"))
        }
        if data.prefix(8192).contains(0) {
            return candidate.kind == nil ? .ignored : .skipped(IaCFileError(file: file, message: "binary file, not scanned"))
        }
        var kind = candidate.kind
        if kind == nil {
            let firstLine = String(decoding: data.prefix(200).prefix { $0 != 0x0A }, as: UTF8.self)
            guard IaCFileKind.isShellShebang(Substring(firstLine)) else { return .ignored }
            kind = .shell
        }
        let resolved = kind ?? .shell
        // Most files cannot hold a look-up at all; say so from the bytes, without decoding.
        switch resolved {
        case .shell, .makefile, .dockerfile:
            if !ByteSearch.contains(data, "describe-images") { return .lookups([], IgnoreDirectives()) }
        case .yaml:
            if !ByteSearch.containsAny(data, ["describe-images", "ec2_ami_"]) && !ByteSearch.contains(data, "ImageId") { return .lookups([], IgnoreDirectives()) }
        case .code:
            if !ByteSearch.containsAny(data, CodeAMIRules.keywords) { return .lookups([], IgnoreDirectives()) }
        case .jsonCandidate:
            if !ByteSearch.containsAny(data, ["source_ami_filter", "ImageId"]) { return .ignored }
        default:
            break
        }
        return analyse(String(decoding: data, as: UTF8.self), kind: resolved, file: file, path: candidate.path)
    }

    static func analyse(_ text: String, kind: IaCFileKind, file: String, path: String) -> Outcome {
        let directory = (path as NSString).deletingLastPathComponent
        let ignores = IgnoreDirectives(text: text)
        do throws(HCLParseError) {
            switch kind {
            case .terraform, .packerHCL, .otherHCL, .variableValues:
                let body = try HCLParser.parseFile(text)
                return .hcl(ParsedHCL(file: file, directory: directory, kind: kind, body: body, ignores: ignores))
            case .terraformJSON, .hclJSON:
                let root = try HCLParser.parseExpressionDocument(text)
                return .hcl(ParsedHCL(file: file, directory: directory, kind: kind,
                                      body: JSONTemplates.hclBody(fromJSON: root), ignores: ignores))
            case .jsonCandidate:
                guard text.contains("source_ami_filter") else {
                    // A CloudFormation template in JSON, or nothing Mamori has a rule for.
                    guard let findings = CloudFormationAMIRules.findings(in: text, file: file) else { return .ignored }
                    return .lookups([], ignores, findings: findings, file: file)
                }
                let root = try HCLParser.parseExpressionDocument(text)
                return .hcl(ParsedHCL(file: file, directory: directory, kind: kind, jsonRoot: root, ignores: ignores))
            case .shell, .makefile, .dockerfile:
                return .lookups(ShellAMIRules.lookups(in: text, file: file, yaml: false), ignores)
            case .yaml:
                let lookups = ShellAMIRules.lookups(in: text, file: file, yaml: true) + AnsibleAMIRules.lookups(in: text, file: file)
                return .lookups(lookups, ignores, findings: CloudFormationAMIRules.findings(in: text, file: file) ?? [], file: file)
            case .code(let language):
                return .lookups(CodeAMIRules.lookups(in: text, file: file, language: language), ignores)
            }
        } catch {
            return .error(IaCFileError(file: file, line: error.location.line, column: error.location.column, message: error.message))
        }
    }
}
