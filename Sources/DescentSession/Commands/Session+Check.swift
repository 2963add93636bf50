import DescentCore
import DescentLanguage

/// `expect` and `gradcheck`: checking values and backprop.
extension Session {
    mutating func runExpect(_ expectation: Expectation, into output: inout Output) throws(Diagnostic) {
        var random = bench.random
        let (holds, detail) = try scope.check(expectation, random: &random)
        bench.random = random
        let text = expectation.sourceText
        guard holds else {
            throw Diagnostic("expectation failed: \(text): \(detail)", at: expectation.range)
        }
        output.append(.check(text))
    }

    mutating func runGradcheck(into output: inout Output, shouldStop: () -> Bool) throws(Diagnostic) {
        let (state, data) = try bench.requireTrainable(at: nil, for: "gradcheck")
        let check = GradientCheck(state: state, data: data, config: bench.config, shouldStop: shouldStop)
        func format(_ x: Double, _ digits: Int) -> String { NumberFormat.format(x, precision: digits) }
        var rows: [[String]] = []
        for result in check.results {
            rows.append(["\(result.layer)", format(result.analyticNorm, 4), format(result.numericNorm, 4),
                         format(result.relativeError, 2), result.relativeError < 1e-6 ? "ok" : "MISMATCH"])
        }
        output.append(.table(Table(headers: ["layer", "‖backprop‖", "‖numeric‖", "relative error", "check"], rows: rows,
                                   alignments: [.right, .right, .right, .right, .left])))
        if check.results.count < state.network.depth {
            output.append(.warning("interrupted after \(check.results.count) of \(state.network.depth) layers"))
        } else if check.worst < 1e-6 {
            output.append(.check("backprop agrees with finite differences (worst relative error \(format(check.worst, 2)))"))
        } else {
            output.append(.warning("backprop and finite differences disagree (worst relative error \(format(check.worst, 2))); a ReLU kink near a data point can cause this"))
        }
    }
}
