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
            let verdict = switch result.verdict {
            case .agrees: "ok"
            case .withinResolution: "ok, round-off"
            case .mismatch: "MISMATCH"
            }
            rows.append(["\(result.layer)", format(result.analyticNorm, 4), format(result.numericNorm, 4),
                         format(result.relativeError, 2), verdict])
        }
        output.append(.table(Table(headers: ["layer", "‖backprop‖", "‖numeric‖", "relative error", "check"], rows: rows,
                                   alignments: [.right, .right, .right, .right, .left])))
        if check.results.count < state.network.depth {
            output.append(.warning("interrupted after \(check.results.count) of \(state.network.depth) layers"))
            return
        }
        let limited = check.results.filter { $0.verdict == .withinResolution }
        if check.passes {
            let worst = check.worstAgreeing.map { "worst relative error \(format($0, 2))" }
            output.append(.check("backprop agrees with finite differences" + (worst.map { " (\($0))" } ?? "")))
            if !limited.isEmpty {
                let perEntry = limited.map { $0.difference / Double(max($0.entries, 1)).squareRoot() }.max() ?? 0
                output.append(.note("\(layerList(limited.map(\.layer))): gradients too small for finite differences to check closer: "
                    + "they differ by about \(format(perEntry, 1)) an entry, the round-off of a loss of \(format(check.loss, 3)) "
                    + "(ε·L/h = \(format(Double.ulpOfOne * abs(check.loss) / GradientCheck.largeStep, 1)))"))
            }
        } else {
            let bad = check.results.filter { $0.verdict == .mismatch }.map(\.layer)
            let kinks = state.network.layers.contains { $0.activation.hasKink }
            output.append(.warning("backprop and finite differences disagree at \(layerList(bad)) (worst relative error \(format(check.worst, 2)))"
                + (kinks ? "; a ReLU kink near a data point can cause this" : "")))
        }
    }

    /// "layer 3", "layers 1–5", "layers 1, 3 and 4".
    private func layerList(_ layers: [Int]) -> String {
        guard let first = layers.first, let last = layers.last else { return "no layer" }
        if layers.count == 1 { return "layer \(first)" }
        if last - first + 1 == layers.count { return "layers \(first)–\(last)" }
        return "layers " + layers.dropLast().map(String.init).joined(separator: ", ") + " and \(last)"
    }
}
