import DescentCore
import DescentLanguage

/// `explain`: how the last step produced a gradient or changed a weight. Computes a
/// `StepExplanation` (one forward pass at the step's starting weights, for the chain of δ;
/// the gradients are the step's own), which DescentRendering writes out as formulas.
extension Session {
    mutating func runExplain(_ name: Located<String>, into output: inout Output) throws(Diagnostic) {
        guard let parameter = ParameterName(name.value), !parameter.isBatchNorm else {
            let hint = ParameterName(name.value)?.isBatchNorm == true ? "batch norm's parameters are shown by 'show \(name.value)'; explain follows W and b" : "e.g. 'explain dW1'"
            throw Diagnostic("explain takes a weight, bias or gradient such as dW1, not '\(name.value)'", at: name.range,
                             suggestion: hint)
        }
        let state = try bench.requireNetwork(for: "explain")
        try state.network.checkLayer(parameter.layer, named: name.value, at: name.range)
        guard let data = bench.data, bench.explainableStep == state.step, bench.snapshots.count > 0, let gradients = state.gradients else {
            throw Diagnostic("explain shows what the last step did, and there is no step to explain (none taken since the weights, the data or the settings last changed, or the last one was refused as not finite)",
                             at: name.range, suggestion: "type 'step', then 'explain \(name.value)'")
        }
        let l = parameter.layer - 1
        if !parameter.isWeight && !state.network.layers[l].hasBias {
            throw Diagnostic("layer \(parameter.layer) was built with nobias, so it has no \(name.value)", at: name.range,
                             suggestion: "explain its weights: 'explain dW\(parameter.layer)'")
        }
        let start = bench.snapshots.state(stepsAgo: 1, template: state)
        output.append(.explanation(explain(parameter, from: start, to: state, gradients: gradients, data: data)))
    }

    /// The explanation of `parameter` for the step from `start` to `end`, whose raw
    /// gradients were `gradients`.
    private func explain(_ parameter: ParameterName, from start: TrainingState, to end: TrainingState,
                         gradients: Gradients, data: Dataset) -> StepExplanation {
        let config = bench.config
        let l = parameter.layer - 1
        let indices = start.nextBatch(rows: data.rows, config: config)
        let x = data.x.selectingRows(indices), y = data.y.selectingRows(indices)
        let (trace, outputDelta) = start.outputDelta(x: x, y: y, config: config)
        let g = parameter.isWeight ? gradients.weights[l] : gradients.biases[l]
        let input = trace.layerInput(l)
        let isArticle = config.loss == .mse && end.network.depth == 1 && end.network.layers[0].activation == .linear
            && input.cols == 1 && g.count == 1 && x.rows <= 8 && config.l2 == nil
        var explanation = StepExplanation(
            step: start.step + 1, layer: parameter.layer, isWeight: parameter.isWeight, asksForGradient: parameter.isGradient,
            batchRows: x.rows, loss: config.loss, gradient: .biasSum(gradientNorm: g.norm), chain: nil, l2: nil,
            update: update(parameter, from: start, to: end, gradient: g), clipping: nil)
        if isArticle {
            let column = { (m: Matrix) in (0..<x.rows).map { m[$0, 0] } }
            explanation.gradient = .article(inputs: parameter.isWeight ? column(input) : nil, predictions: column(trace.output),
                                            targets: column(y), value: g[0, 0])
        } else {
            let chain = start.network.deltaChain(trace: trace, outputDelta: outputDelta)
            let delta = chain.deltas[l]
            if parameter.isWeight {
                let terms = g.count == 1 && x.rows <= 8
                    ? (0..<x.rows).map { StepExplanation.Term(input: input[$0, 0], delta: delta[$0, 0]) } : nil
                explanation.gradient = .weightProduct(inputShape: input.shapeDescription, deltaShape: delta.shapeDescription, terms: terms,
                                                      value: g[0, 0], inputNorm: input.norm, deltaNorm: delta.norm, gradientNorm: g.norm)
                if let lambda = config.l2 { explanation.l2 = .init(lambda: lambda, weights: start.network.weightCount) }
            }
            explanation.chain = chainRule(chain, down: l, layers: start.network.layers)
        }
        let norm = gradients.globalNorm
        if let c = config.clipNorm, norm > c { explanation.clipping = .init(threshold: c, norm: norm) }
        return explanation
    }

    /// How the update of the step used gradient `g` of `parameter`.
    private func update(_ parameter: ParameterName, from start: TrainingState, to end: TrainingState, gradient g: Matrix) -> StepExplanation.UpdateForm {
        let config = bench.config
        let l = parameter.layer - 1
        let lr = config.learningRate(atStep: start.step)
        let before = parameter.isWeight ? start.network.layers[l].weights : start.network.layers[l].bias
        let after = parameter.isWeight ? end.network.layers[l].weights : end.network.layers[l].bias
        switch config.optimizer {
        case .adam: return .adaptive(rule: "adam", lr: lr, moved: after.zipped(with: before, -)!.norm, norm: before.norm)
        case .rmsprop(_, _, let momentum):
            return .adaptive(rule: momentum != 0 ? "rmsprop with momentum" : "rmsprop", lr: lr, moved: after.zipped(with: before, -)!.norm, norm: before.norm)
        case .gd: break
        }
        if config.momentum != 0 {
            let velocity = end.velocity ?? Gradients(zerosLike: end.network)
            let v = parameter.isWeight ? velocity.weights[l] : velocity.biases[l]
            let scalar = v.count == 1
                ? StepExplanation.ScalarMomentum(gradient: g[0, 0], velocity: v[0, 0], before: before[0, 0], after: after[0, 0]) : nil
            return .momentum(mu: config.momentum, lr: lr, scalar: scalar, velocityNorm: v.norm)
        }
        if g.count == 1 { return .scalar(lr: lr, before: before[0, 0], gradient: g[0, 0], after: after[0, 0]) }
        return .matrix(lr: lr, moved: after.zipped(with: before, -)!.norm, norm: before.norm)
    }

    /// The chain rule from the output down to layer index `target`: ‖δ‖ per layer and the
    /// factor each layer multiplied it by, split into the weights' part and f′'s part.
    private func chainRule(_ chain: (deltas: [Matrix], upstream: [Matrix?]), down target: Int, layers: [Layer]) -> StepExplanation.ChainRule {
        let last = layers.count - 1
        var links: [StepExplanation.ChainRule.Link] = []
        for k in stride(from: last - 1, through: target, by: -1) {
            let above = chain.deltas[k + 1].norm, up = chain.upstream[k]!.norm, here = chain.deltas[k].norm
            links.append(.init(layer: k + 1, activation: layers[k].activation, deltaNorm: here,
                               weightFactor: above == 0 ? 0 : up / above, derivativeFactor: up == 0 ? 0 : here / up,
                               factor: above == 0 ? 0 : here / above, skip: layers[k + 1].isResidual,
                               batchNorm: layers[k].batchNorm != nil))
        }
        return .init(outputLayer: last + 1, outputDeltaNorm: chain.deltas[last].norm, links: links)
    }
}
