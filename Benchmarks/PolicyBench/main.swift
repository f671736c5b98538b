import Foundation
import PolicyAnalysis

// Dev-only: analyse one policy file N times in-process and print the mean time per policy.
let args = CommandLine.arguments
let text = try String(contentsOfFile: args[1], encoding: .utf8)
let runs = args.count > 2 ? Int(args[2]) ?? 100 : 100
let clock = ContinuousClock()
var publicCount = 0
let elapsed = try clock.measure {
    for _ in 0..<runs {
        if try PolicyAnalyzer.analyze(policy: text, type: .s3).isPublic { publicCount += 1 }
    }
}
let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
print("\(args[1]): \(String(format: "%.3f", ms / Double(runs))) ms per policy (\(runs) runs, public \(publicCount))")
