import DescentCore
import DescentLanguage
import DescentSession

/// `explain`'s report written out: the gradient's formula with this step's numbers put in,
/// the chain rule as a table of factors, and the update rule with its numbers. Becomes plain
/// blocks (text, a table, a note), which every medium draws as it draws those.
extension StepExplanation {
    public func blocks(precision: Int) -> [Block] {
        let p = min(precision, 6)
        let names = Names(layer: layer, isWeight: isWeight)
        var blocks: [Block] = []
        let what = asksForGradient ? "made \(names.g)" : "changed \(names.w)"
        blocks.append(.heading("How step \(step) \(what) (batch of \(counted(batchRows, "row")), loss \(loss.rawValue))"))
        blocks += gradientLines(names, p).map { .text($0) }
        if let chain { blocks += chainBlocks(chain) }
        blocks += updateLines(names, p).map { .text($0) }
        if let clipping {
            let f = Format(p)
            blocks.append(.note("clipped: ‖g‖ = \(f(clipping.norm)) over all parameters exceeded \(f(clipping.threshold)), so every gradient was scaled by \(f(clipping.threshold / clipping.norm))"))
        }
        return blocks
    }

    /// The parameter's names: `dW2` and `W2`, or `db2` and `b2`.
    private struct Names {
        var g: String, w: String
        init(layer: Int, isWeight: Bool) {
            g = isWeight ? "dW\(layer)" : "db\(layer)"
            w = isWeight ? "W\(layer)" : "b\(layer)"
        }
    }

    /// Numbers at `digits` significant digits; `term` puts negative ones in parentheses.
    private struct Format {
        var digits: Int
        init(_ digits: Int) { self.digits = digits }
        func callAsFunction(_ v: Double) -> String { NumberFormat.format(v, precision: digits) }
        func term(_ v: Double) -> String { v < 0 ? "(\(self(v)))" : self(v) }
    }

    private func gradientLines(_ n: Names, _ p: Int) -> [String] {
        let f = Format(p)
        let l = layer - 1
        switch gradient {
        case .article(let inputs, let predictions, let targets, let value):
            let rows = predictions.indices
            if let inputs {
                let terms = rows.map { "\(f.term(inputs[$0]))·(\(f(predictions[$0])) − \(f(targets[$0])))" }.joined(separator: " + ")
                return ["\(n.g) = 2/m · Σ x·(ŷ − y)", "    = 2/\(predictions.count) · (\(terms))", "    = \(f(value))"]
            }
            let terms = rows.map { "(\(f(predictions[$0])) − \(f(targets[$0])))" }.joined(separator: " + ")
            return ["\(n.g) = 2/m · Σ (ŷ − y)", "    = 2/\(predictions.count) · (\(terms))", "    = \(f(value))"]
        case .weightProduct(let inputShape, let deltaShape, let terms, let value, let inputNorm, let deltaNorm, let gradientNorm):
            let source = l == 0 ? "A0 = X, the batch" : "A\(l) = layer \(l)'s output"
            var lines = ["\(n.g) = A\(l)ᵀ · δ\(layer)   (\(source), \(inputShape); δ\(layer) = ∂loss/∂Z\(layer), \(deltaShape))"]
            if let terms {
                lines.append("    = \(terms.map { "\(f.term($0.input))·\(f.term($0.delta))" }.joined(separator: " + ")) = \(f(value))")
            } else {
                lines.append("    ‖A\(l)‖ = \(f(inputNorm)), ‖δ\(layer)‖ = \(f(deltaNorm)), ‖\(n.g)‖ = \(f(gradientNorm))")
            }
            if let l2 {
                lines.append("    + (λ/m)·\(n.w) = \(NumberFormat.short(l2.lambda))/\(l2.weights)·\(n.w), the L2 term's gradient (included above)")
            }
            return lines
        case .biasSum(let gradientNorm):
            return ["\(n.g) = Σ over the batch's rows of δ\(layer) = ∂loss/∂Z\(layer)   ‖\(n.g)‖ = \(f(gradientNorm))"]
        }
    }

    private func chainBlocks(_ chain: ChainRule) -> [Block] {
        let f = Format(3)
        let top = chain.outputLayer
        guard let bottom = chain.links.last?.layer else {
            return [.text("δ\(top) comes straight from the loss (the output layer): ‖δ\(top)‖ = \(f(chain.outputDeltaNorm))")]
        }
        var rows: [[String]] = [["\(top)", "∂loss/∂Z\(top)", f(chain.outputDeltaNorm), "", "", ""]]
        var weightProduct = 1.0, derivativeProduct = 1.0
        for link in chain.links {
            weightProduct *= link.weightFactor
            derivativeProduct *= link.derivativeFactor
            let derivative = (link.activation == .linear ? "1" : "\(link.activation.name)′(Z\(link.layer))") + (link.batchNorm ? " → bn" : "")
            let upstream = link.skip ? "(δ\(link.layer + 1)·W\(link.layer + 1)ᵀ + skip)" : "(δ\(link.layer + 1)·W\(link.layer + 1)ᵀ)"
            rows.append(["\(link.layer)", "\(upstream) ⊙ \(derivative)", f(link.deltaNorm),
                         "×" + f(link.weightFactor), "×" + f(link.derivativeFactor), "×" + f(link.factor)])
        }
        let total = weightProduct * derivativeProduct
        func effect(_ x: Double) -> String { x < 1 ? "shrank it" : "grew it" }
        let verdict: String
        if (weightProduct < 1) == (derivativeProduct < 1) {
            verdict = "both \(effect(total)), ×\(f(total)) in all"
        } else {
            let winner = (total < 1) == (weightProduct < 1) ? "the weights" : "the derivatives"
            verdict = "overall ×\(f(total)): \(winner) won, the gradient \(total < 1 ? "shrank" : "grew") towards the input"
        }
        var notes: [Block] = []
        if chain.links.contains(where: \.skip) {
            notes.append(.note("skip: a res layer's input reaches its output unchanged, so ∂loss/∂A passes down beside the weights (counted in the weights column); the gradient keeps a path that no factor shrinks"))
        }
        if chain.links.contains(where: \.batchNorm) {
            notes.append(.note("bn: batch norm's backward pass (×scale/σ per unit, with the batch's mean and Ẑ's share taken out) is counted in the f′ column"))
        }
        return [
            .text("δ\(bottom) comes from the loss through the layers above, one factor per layer:"),
            .table(Table(headers: ["layer", "δ = ∂loss/∂Z", "‖δ‖", "weights", "f′", "factor"], rows: rows,
                         alignments: [.right, .left, .right, .right, .right, .right],
                         recordLabels: ["layer", "δ =", "‖δ‖", "weights", "f′", "factor"])),
            .text("Over layers \(top)→\(bottom) the weights multiplied ‖δ‖ by \(f(weightProduct)),"),
            .text("the derivatives by \(f(derivativeProduct)):"),
            .text("\(verdict)."),
        ] + notes
    }

    private func updateLines(_ n: Names, _ p: Int) -> [String] {
        let f = Format(p)
        let scale = clipping.map { "·(\(f($0.threshold))/\(f($0.norm)))" } ?? ""
        switch update {
        case .momentum(let mu, let lr, let scalar, let velocityNorm):
            guard let s = scalar else {
                return ["v ← μ·v + \(n.g)\(scale), then \(n.w) ← \(n.w) − lr·v: ‖v‖ = \(f(velocityNorm)), lr = \(f(lr))"]
            }
            return ["v ← μ·v + \(n.g)\(scale) = \(f(mu))·v + \(f.term(s.gradient)) = \(f(s.velocity))",
                    "\(n.w) ← \(n.w) − lr·v = \(f(s.before)) − \(f(lr))·\(f.term(s.velocity)) = \(f(s.after))"]
        case .scalar(let lr, let before, let gradient, let after):
            return ["\(n.w) ← \(n.w) − lr·\(n.g)\(scale) = \(f(before)) − \(f(lr))·\(f.term(gradient))\(scale) = \(f(after))"]
        case .adaptive(let rule, let lr, let moved, let norm):
            let s3 = Format(3)
            let formula = rule == "adam" ? "lr·m̂/(√v̂ + ε)" : rule == "rmsprop" ? "lr·g/(√v + ε)" : "lr·buf, buf ← μ·buf + g/(√v + ε),"
            return ["\(rule): \(n.w) ← \(n.w) − \(formula) with lr = \(f(lr)) moved \(n.w) by \(s3(moved))",
                    "    (" + share(norm, moved) + "; 'show optimizer' shows the averages)"]
        case .matrix(let lr, let moved, let norm):
            let s3 = Format(3)
            return ["\(n.w) ← \(n.w) − lr·\(n.g)\(scale) with lr = \(f(lr)) moved \(n.w) by \(s3(moved))",
                    "    (" + share(norm, moved) + ")"]
        }
        /// How big the move was next to the parameter: "‖W1‖ = 2.5: 0.4% of it", or, for a
        /// parameter that was all zeros (a bias at its start), that the move is all of it.
        func share(_ norm: Double, _ moved: Double) -> String {
            let s3 = Format(3)
            return norm == 0 ? "\(n.w) was all zeros before: this move is all of it" : "‖\(n.w)‖ = \(s3(norm)): \(s3(100 * moved / norm))% of it"
        }
    }
}
