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

/// Runs the planned rotation steps through Remediation's ``AccessKeyChange`` (which journals every call).
public struct RotationExecutor: Sendable {
    public var client: AWSClient
    public var region: String
    /// The secret file claimed before the first change, or nil for `--print-secret`.
    public var secretFile: SecretFileClaim?
    /// Test hook: stop with ``InjectedFailure`` right after this step has been journaled as done.
    public var failAfterStep: String?
    /// Receives the new secret for `--print-secret` (the CLI writes it to stdout).
    public var printSecret: @Sendable (String, String) -> Void

    public init(client: AWSClient, region: String, secretFile: SecretFileClaim?, failAfterStep: String?,
                printSecret: @escaping @Sendable (String, String) -> Void) {
        self.client = client
        self.region = region
        self.secretFile = secretFile
        self.failAfterStep = failAfterStep
        self.printSecret = printSecret
    }

    /// Runs `steps` in order through StepRunner. A failed step stops the rotation: the steps after
    /// it depend on it (a key is never deactivated when its replacement could not be created).
    public func run(_ steps: [RotationStep], user: String, journal: Journal, notes: inout [StepNote]) async throws -> [RotationStep] {
        let change = AccessKeyChange(client: client, journal: journal, region: region)
        let secretFile = secretFile, printSecret = printSecret, failAfterStep = failAfterStep
        return try await StepRunner.run(steps, notes: &notes, perform: { step in
            switch step.kind {
            case .createKey:
                step.keyId = try await change.create(user: user, step: step.kind.rawValue) { key in
                    if let secretFile {
                        try secretFile.write("[default]\naws_access_key_id = \(key.accessKeyId)\naws_secret_access_key = \(key.secret)\n")
                    } else {
                        printSecret(key.accessKeyId, key.secret)
                    }
                }
            case .deactivateKey:
                try await change.setStatus(user: user, key: step.keyId ?? "", active: false, step: step.kind.rawValue)
            case .deleteKey:
                try await change.delete(user: user, key: step.keyId ?? "", step: step.kind.rawValue)
            }
            return true
        }, afterDone: { step in
            // Test hook: stop the process right after a step, as a crash would (resume tests).
            if failAfterStep == step.kind.rawValue { throw InjectedFailure(step: step.kind.rawValue) }
        })
    }
}
