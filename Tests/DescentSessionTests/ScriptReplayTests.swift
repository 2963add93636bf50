import Foundation
import Testing
@testable import DescentSession

/// Every script in Scripts/ replays without an error: the PyTorch reference scripts (copied
/// from the project's reference set, values computed independently in float64), the
/// article's example, and the diverging run.
@Suite struct ScriptReplayTests {
    @Test(arguments: scriptURLs().map(\.lastPathComponent))
    func scriptReplays(_ name: String) throws {
        let url = scriptURLs().first { $0.lastPathComponent == name }!
        let text = try String(contentsOf: url, encoding: .utf8)
        var s = Session(baseDirectory: url.deletingLastPathComponent())
        var checks = 0
        let error = ScriptRunner.run(text, file: name, in: &s) { event in
            checks += event.output.blocks.filter { if case .check = $0 { true } else { false } }.count
        }
        #expect(error == nil, "\(error.map { "\($0.locationPrefix)\($0.fullMessage)" } ?? "")")
        #expect(checks > 0)
    }

    @Test func thereAreScripts() {
        #expect(scriptURLs().count >= 5)
    }

    /// The reference values are really checked: change one digit and the script fails at
    /// that line.
    @Test func aWrongReferenceValueFailsAtItsLine() throws {
        let url = scriptURLs().first { $0.lastPathComponent == "ref-sigmoid-mse-one-step.descent" }!
        var text = try String(contentsOf: url, encoding: .utf8)
        text = text.replacingOccurrences(of: "expect db2 ~= [[-1.277779174387314]]", with: "expect db2 ~= [[-1.277789174387314]]")
        var s = Session()
        let error = try #require(ScriptRunner.run(text, file: "x", in: &s) { _ in })
        let lines = ScriptRunner.lines(of: text)
        #expect(lines[error.line! - 1].hasPrefix("expect db2"))
        #expect(error.message.hasPrefix("expectation failed: db2 ~= [[-1.277789174387314]]"))
        #expect(error.range?.column == 8)
    }

    @Test func divergenceIsReportedWithStepAndLayer() throws {
        var s = try session(["seed 3", "data line n=64 noise=0.1", "let Z = randn(64, 16)", "data Z, y",
                             "net 16 -> 16 * 10 -> 1", "init normal std=1", "optimizer gd lr=0.01"])
        let result = s.perform("train 200")
        #expect(result.error == nil)
        let warnings = result.output!.blocks.compactMap { if case .warning(let w) = $0 { w } else { nil } }
        let warning = try #require(warnings.first)
        let step = s.training!.step
        #expect(step > 0 && step < 200)
        #expect(warning.hasPrefix("step \(step + 1): "))
        #expect(warning.contains("layer"))
        #expect(s.training!.network.layers.allSatisfy { $0.weights.allFinite })
        #expect(s.bench.losses.count == step)
    }
}
