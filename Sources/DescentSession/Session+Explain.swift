import DescentCore
import DescentLanguage

/// `explain`: how the last step produced a gradient or a weight, as the formula with this
/// step's numbers put in. For a deep net, the chain rule one factor per layer, each split into
/// what the weights contributed and what the activation's derivative did.
extension Session {
    mutating func runExplain(_ name: Located<String>, into output: inout Output) throws(Diagnostic) {
        guard let parameter = ParameterName(name.value) else {
            throw Diagnostic("explain takes a weight, bias or gradient such as dW1, not '\(name.value)'", at: name.range,
                             suggestion: "e.g. 'explain dW1'")
        }
        let state = try requireNetwork(for: "explain")
        let layers = state.network.depth
        guard parameter.layer >= 1 && parameter.layer <= layers else {
            throw Diagnostic("\(name.value): the net has \(layers) layer\(layers == 1 ? "" : "s"), so layers are numbered 1…\(layers)", at: name.range)
        }
        guard let data, explainableStep == state.step, undo.count > 0 else {
            throw Diagnostic("explain shows what the last step did, and there is no step to explain (none taken since the weights last changed)",
                             at: name.range, suggestion: "type 'step', then 'explain \(name.value)'")
        }
        let start = undo.state(stepsAgo: 1, template: state)
        let l = parameter.layer - 1
        if (parameter.kind == .bias || parameter.kind == .biasGradient) && !state.network.layers[l].hasBias {
            throw Diagnostic("layer \(parameter.layer) was built with nobias, so it has no \(name.value)", at: name.range,
                             suggestion: "explain its weights: 'explain dW\(parameter.layer)'")
        }
        let indices = start.nextBatch(rows: data.rows, config: config)
        let x = data.x.selectingRows(indices), y = data.y.selectingRows(indices)
        let (trace, outputDelta) = start.outputDelta(x: x, y: y, config: config)
        let chain = start.network.deltaChain(trace: trace, outputDelta: outputDelta)
        let lr = config.learningRate(atStep: start.step)
        let p = min(precision, 6)
        func f(_ v: Double) -> String { NumberFormat.format(v, precision: p) }
        /// A number as a term in a formula: negative ones in parentheses.
        func t(_ v: Double) -> String { v < 0 ? "(\(f(v)))" : f(v) }

        let isWeight = parameter.kind == .weights || parameter.kind == .weightGradient
        let g = isWeight ? "dW\(parameter.layer)" : "db\(parameter.layer)"
        let w = isWeight ? "W\(parameter.layer)" : "b\(parameter.layer)"
        let gradient = start.gradientsForExplain(x: x, y: y, config: config)
        let gValue = isWeight ? gradient.weights[l] : gradient.biases[l]
        let input = trace.layerInput(l)
        let rows = x.rows

        let what = parameter.isGradient ? "made \(g)" : "changed \(w)"
        output.append(.heading("How step \(start.step + 1) \(what) (batch of \(rows) row\(rows == 1 ? "" : "s"), loss \(config.loss.rawValue))"))
        // 1. The gradient.
        let article = config.loss == .mse && layers == 1 && state.network.layers[0].activation == .linear
            && input.cols == 1 && gValue.count == 1 && rows <= 8 && config.l2 == nil
        if article {
            // The article's form: 2/m · Σ x·(ŷ − y).
            let yhat = trace.output
            if isWeight {
                let terms = (0..<rows).map { "\(t(input[$0, 0]))·(\(f(yhat[$0, 0])) − \(f(y[$0, 0])))" }.joined(separator: " + ")
                output.append(.text("\(g) = 2/m · Σ x·(ŷ − y)"))
                output.append(.text("    = 2/\(rows) · (\(terms))"))
                output.append(.text("    = \(f(gValue[0, 0]))"))
            } else {
                let terms = (0..<rows).map { "(\(f(yhat[$0, 0])) − \(f(y[$0, 0])))" }.joined(separator: " + ")
                output.append(.text("\(g) = 2/m · Σ (ŷ − y)"))
                output.append(.text("    = 2/\(rows) · (\(terms))"))
                output.append(.text("    = \(f(gValue[0, 0]))"))
            }
        } else {
            let delta = chain.deltas[l]
            if isWeight {
                output.append(.text("\(g) = A\(l)ᵀ · δ\(parameter.layer)   (\(l == 0 ? "A0 = X, the batch" : "A\(l) = layer \(l)'s output"), \(input.shapeDescription); δ\(parameter.layer) = ∂loss/∂Z\(parameter.layer), \(delta.shapeDescription))"))
                if gValue.count == 1 && rows <= 8 {
                    let terms = (0..<rows).map { "\(t(input[$0, 0]))·\(t(delta[$0, 0]))" }.joined(separator: " + ")
                    output.append(.text("    = \(terms) = \(f(gValue[0, 0]))"))
                } else {
                    output.append(.text("    ‖A\(l)‖ = \(f(input.norm)), ‖δ\(parameter.layer)‖ = \(f(delta.norm)), ‖\(g)‖ = \(f(gValue.norm))"))
                }
            } else {
                output.append(.text("\(g) = Σ over the batch's rows of δ\(parameter.layer) = ∂loss/∂Z\(parameter.layer)   ‖\(g)‖ = \(f(gValue.norm))"))
            }
            if let lambda = config.l2, isWeight {
                output.append(.text("    + (λ/m)·\(w) = \(formatShort(lambda))/\(start.network.weightCount)·\(w), the L2 term's gradient (included above)"))
            }
            appendChain(chain, down: l, layers: start.network.layers, into: &output, format: f)
        }

        // 2. The update.
        let before = isWeight ? start.network.layers[l].weights : start.network.layers[l].bias
        let after = isWeight ? state.network.layers[l].weights : state.network.layers[l].bias
        let norm = gradient.globalNorm
        var scaleText = ""
        if let c = config.clipNorm, norm > c { scaleText = "·(\(f(c))/\(f(norm)))" }
        if config.momentum != 0 {
            let velocity = state.velocity ?? Gradients(zerosLike: state.network)
            let v = isWeight ? velocity.weights[l] : velocity.biases[l]
            if v.count == 1 {
                output.append(.text("v ← μ·v + \(g)\(scaleText) = \(f(config.momentum))·v + \(t(gValue[0, 0])) = \(f(v[0, 0]))"))
                output.append(.text("\(w) ← \(w) − lr·v = \(f(before[0, 0])) − \(f(lr))·\(t(v[0, 0])) = \(f(after[0, 0]))"))
            } else {
                output.append(.text("v ← μ·v + \(g)\(scaleText), then \(w) ← \(w) − lr·v: ‖v‖ = \(f(v.norm)), lr = \(f(lr))"))
            }
        } else if gValue.count == 1 {
            output.append(.text("\(w) ← \(w) − lr·\(g)\(scaleText) = \(f(before[0, 0])) − \(f(lr))·\(t(gValue[0, 0]))\(scaleText) = \(f(after[0, 0]))"))
        } else {
            let moved = after.zipped(with: before, -)!.norm
            func s3(_ v: Double) -> String { NumberFormat.format(v, precision: 3) }
            output.append(.text("\(w) ← \(w) − lr·\(g)\(scaleText) with lr = \(f(lr)) moved \(w) by \(s3(moved))"))
            output.append(.text("    (‖\(w)‖ = \(s3(before.norm)): \(s3(before.norm == 0 ? 0 : 100 * moved / before.norm))% of it)"))
        }
        if !scaleText.isEmpty {
            output.append(.note("clipped: ‖g‖ = \(f(norm)) over all parameters exceeded \(f(config.clipNorm!)), so every gradient was scaled by \(f(config.clipNorm! / norm))"))
        }
    }

    /// The chain rule from the output down to layer `target`, one row per layer: ‖δ‖ and the
    /// factor each layer multiplied it by, split into the weights' part and f′'s part.
    private func appendChain(_ chain: (deltas: [Matrix], upstream: [Matrix?]), down target: Int, layers: [Layer],
                             into output: inout Output, format: (Double) -> String) {
        func f(_ v: Double) -> String { NumberFormat.format(v, precision: 3) }
        let last = layers.count - 1
        guard target < last else {
            output.append(.text("δ\(last + 1) comes straight from the loss (the output layer): ‖δ\(last + 1)‖ = \(f(chain.deltas[last].norm))"))
            return
        }
        output.append(.text("δ\(target + 1) comes from the loss through the layers above, one factor per layer:"))
        var rows: [[String]] = [["\(last + 1)", "∂loss/∂Z\(last + 1)", f(chain.deltas[last].norm), "", "", ""]]
        var weightProduct = 1.0, derivativeProduct = 1.0
        for k in stride(from: last - 1, through: target, by: -1) {
            let above = chain.deltas[k + 1].norm, up = chain.upstream[k]!.norm, here = chain.deltas[k].norm
            let wf = above == 0 ? 0 : up / above, df = up == 0 ? 0 : here / up
            weightProduct *= wf
            derivativeProduct *= df
            let fname = layers[k].activation == .linear ? "1" : "\(layers[k].activation.name)′(Z\(k + 1))"
            rows.append(["\(k + 1)", "(δ\(k + 2)·W\(k + 2)ᵀ) ⊙ \(fname)", f(here), "×" + f(wf), "×" + f(df), "×" + f(above == 0 ? 0 : here / above)])
        }
        output.append(.table(Table(headers: ["layer", "δ = ∂loss/∂Z", "‖δ‖", "weights", "f′", "factor"], rows: rows,
                                   alignments: [.right, .left, .right, .right, .right, .right])))
        let span = "layers \(last + 1)→\(target + 1)"
        let total = weightProduct * derivativeProduct
        func effect(_ x: Double) -> String { x < 1 ? "shrank it" : "grew it" }
        let verdict: String
        if (weightProduct < 1) == (derivativeProduct < 1) {
            verdict = "both \(effect(total)), ×\(f(total)) in all"
        } else {
            let winner = (total < 1) == (weightProduct < 1) ? "the weights" : "the derivatives"
            verdict = "overall ×\(f(total)): \(winner) won, the gradient \(total < 1 ? "shrank" : "grew") towards the input"
        }
        output.append(.text("Over \(span) the weights multiplied ‖δ‖ by \(f(weightProduct)),"))
        output.append(.text("the derivatives by \(f(derivativeProduct)):"))
        output.append(.text("\(verdict)."))
    }
}

extension TrainingState {
    /// The raw gradients of a batch at these weights (what the step computed).
    func gradientsForExplain(x: Matrix, y: Matrix, config: TrainingConfig) -> Gradients {
        var workspace = StepWorkspace()
        var gradients = Gradients(zerosLike: network)
        _ = lossAndGradients(x: x, y: y, config: config, workspace: &workspace, into: &gradients)
        return gradients
    }
}
