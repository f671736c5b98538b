import Remediation

/// A step of a response plan that runs in order: rotation and containment steps.
protocol OrderedStep {
    var state: RotationStep.State { get set }
    var detail: String { get set }
    /// The journal's step name.
    var stepName: String { get }
}

extension RotationStep: OrderedStep { var stepName: String { kind.rawValue } }
extension ContainmentStep: OrderedStep { var stepName: String { kind.rawValue } }

/// The one loop both executors share: planned steps run in order, and a failed step blocks every
/// step after it, because later steps depend on earlier ones (a key is never deactivated when its
/// replacement could not be created, nor around a deny that failed). A journal that cannot be
/// written ends the run at once: a change that is not journalled could not be undone.
/// `perform` returns false for a step it leaves alone.
enum StepRunner {
    static func run<Step: OrderedStep>(
        _ steps: [Step], notes: inout [StepNote],
        perform: (inout Step) async throws -> Bool,
        afterDone: (Step) throws -> Void = { _ in }
    ) async throws -> [Step] {
        var result = steps
        var stopped: String?
        for index in result.indices where result[index].state == .planned {
            if let stopped {
                result[index].state = .blocked
                result[index].detail += " (not run: \(stopped) failed)"
                continue
            }
            var step = result[index]
            do {
                // false: the step does not apply (left as planned, as the plan showed it).
                guard try await perform(&step) else { continue }
                step.state = .done
                result[index] = step
            } catch let error as JournalError {
                throw error
            } catch {
                result[index].state = .failed
                result[index].detail += ": failed: \(error)"
                notes.append(StepNote(step: step.stepName, level: .error, message: "\(step.stepName) failed: \(error)"))
                stopped = step.stepName
                continue
            }
            try afterDone(result[index])
        }
        return result
    }
}
