import AWSClient
import Foundation
import Remediation

/// Where the new secret goes. It is never logged and never journaled.
public enum SecretDestination: Sendable, Equatable {
    /// A new file created with mode 0600 (it must not exist yet).
    case file(String)
    /// Standard output, only when the user asked with `--print-secret`.
    case standardOutput
}

/// A failure injected by the test hook `MAMORI_TEST_FAIL_AFTER_STEP`, to prove `--resume` works.
public struct InjectedFailure: Error, CustomStringConvertible, Sendable {
    public let step: String
    public var description: String { "stopped after step \(step) (test hook MAMORI_TEST_FAIL_AFTER_STEP)" }
}

/// Runs the planned rotation steps, journaling before and after every call.
public struct RotationExecutor: Sendable {
    public var client: AWSClient
    public var region: String
    public var secretDestination: SecretDestination?
    /// Test hook: stop with ``InjectedFailure`` right after this step has been journaled as done.
    public var failAfterStep: String?
    /// Receives the new secret for `--print-secret` (the CLI writes it to stdout).
    public var printSecret: @Sendable (String, String) -> Void

    public init(client: AWSClient, region: String, secretDestination: SecretDestination?, failAfterStep: String?,
                printSecret: @escaping @Sendable (String, String) -> Void) {
        self.client = client
        self.region = region
        self.secretDestination = secretDestination
        self.failAfterStep = failAfterStep
        self.printSecret = printSecret
    }

    /// Runs `steps` in order; a failing step is recorded and the next one still runs.
    public func run(_ steps: [RotationStep], user: String, journal: Journal, notes: inout [StepNote]) async throws -> [RotationStep] {
        var result = steps
        for index in result.indices where result[index].state == .planned {
            let step = result[index]
            do {
                switch step.kind {
                case .createKey:
                    result[index].keyId = try await createKey(user: user, journal: journal)
                case .deactivateKey:
                    try await call(step.kind, action: "UpdateAccessKey", user: user, key: step.keyId ?? "", extra: ["Status": "Inactive"],
                                   undo: "aws iam update-access-key --user-name \(user) --access-key-id \(step.keyId ?? "") --status Active", journal: journal)
                case .deleteKey:
                    try await call(step.kind, action: "DeleteAccessKey", user: user, key: step.keyId ?? "", extra: [:], undo: nil, journal: journal)
                }
                result[index].state = .done
            } catch let error as InjectedFailure {
                throw error
            } catch let error as JournalError {
                throw error
            } catch {
                result[index].state = .failed
                result[index].detail += ": failed: \(error)"
                notes.append(StepNote(step: step.kind.rawValue, level: .error, message: "\(step.kind.rawValue) failed: \(error)"))
            }
            if failAfterStep == step.kind.rawValue && result[index].state == .done { throw InjectedFailure(step: step.kind.rawValue) }
        }
        return result
    }

    private func call(_ kind: RotationStep.Kind, action: String, user: String, key: String, extra: [String: String],
                      undo: String?, journal: Journal) async throws {
        var params = ["UserName": user, "AccessKeyId": key]
        params.merge(extra) { _, b in b }
        try await journal.record(try entry("before", kind, action, params, result: nil, undo: undo))
        do {
            _ = try await client.query(.iam, region: region, action: action, params)
        } catch {
            try await journal.record(try entry("failed", kind, action, params, result: "\(error)", undo: nil))
            throw error
        }
        try await journal.record(try entry("after", kind, action, params, result: key, undo: undo))
    }

    /// Creates the replacement key. The secret goes to the file or stdout only; the journal keeps the key ID.
    private func createKey(user: String, journal: Journal) async throws -> String {
        guard let secretDestination else {
            throw RespondInputError("a new key needs a place for its secret: pass --secret-file PATH (written with mode 0600) or --print-secret")
        }
        // Claim the file before creating the key: a secret with nowhere to go would be lost.
        var fd: Int32 = -1
        if case .file(let path) = secretDestination {
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd < 0 { throw RespondInputError("cannot create the secret file \(path): \(String(cString: strerror(errno))) (it must not exist yet)") }
        }
        defer { if fd >= 0 { close(fd) } }
        let params = ["UserName": user]
        try await journal.record(try entry("before", .createKey, "CreateAccessKey", params, result: nil, undo: nil))
        let created: XElement
        do {
            created = try await client.query(.iam, region: region, action: "CreateAccessKey", params)
        } catch {
            try await journal.record(try entry("failed", .createKey, "CreateAccessKey", params, result: "\(error)", undo: nil))
            if case .file(let path) = secretDestination { unlink(path) }
            throw error
        }
        guard let key = created.child("AccessKey"), let id = key.string("AccessKeyId"), let secret = key.string("SecretAccessKey") else {
            throw AWSError.decoding("CreateAccessKey answered without AccessKeyId and SecretAccessKey")
        }
        switch secretDestination {
        case .file(let path):
            let text = "[default]\naws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n"
            let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
            if written != text.utf8.count {
                throw RespondInputError("could not write the new secret to \(path); delete key \(id) and run again")
            }
        case .standardOutput:
            printSecret(id, secret)
        }
        try await journal.record(try entry("after", .createKey, "CreateAccessKey", params, result: id,
                                       undo: "aws iam delete-access-key --user-name \(user) --access-key-id \(id)"))
        return id
    }

    private func entry(_ phase: String, _ kind: RotationStep.Kind, _ call: String, _ params: [String: String],
                       result: String?, undo: String?) throws -> Journal.Entry {
        try JournalEntries.make(phase: phase, step: kind.rawValue, region: region, call: "iam:\(call)",
                                parameters: params, result: result, undo: undo)
    }
}
