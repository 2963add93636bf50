import DescentCore
import DescentLanguage

/// `show`, `plot`, `predict`, `watch`: looking at values, parameters, gradients and charts.
extension Session {
    mutating func runShow(_ target: ShowTarget, into output: inout Output) throws(Diagnostic) {
        switch target {
        case .value(let expression, let full):
            let value: Value
            do {
                value = try evaluate(expression)
            } catch {
                // `show nrms` is a misspelt `show norms` more often than an unknown variable.
                if case .name(let word, let range) = expression, bench.variables[word] == nil,
                   let keyword = Suggestions.closest(to: word, in: ShowTarget.keywords) {
                    throw Diagnostic(error.message, at: range, suggestion: "did you mean 'show \(keyword)'?")
                }
                throw error
            }
            output.append(.value(name: expression.sourceText, matrix: value.matrix, style: value.style, full: full))
        case .histogram(let expression):
            let value = try evaluate(expression)
            output.append(.chart(.histogram(Histogram(title: "\(expression.sourceText): \(value.matrix.count) entries", values: value.matrix.storage))))
        case .weights:
            appendParameters(of: try bench.requireNetwork(for: "show weights"), into: &output)
        case .grads:
            let (state, gradients) = try bench.requireGradients(for: "show grads")
            appendGradients(gradients, of: state.network, into: &output)
        case .norms:
            try appendNorms(into: &output)
        case .activations:
            try appendActivations(into: &output)
        case .loss:
            // The loss now, then how it got here.
            let (state, data) = try bench.requireTrainable(at: nil, for: "show loss")
            output.append(.value(name: "loss", matrix: Matrix(scalar: state.loss(on: data, config: bench.config)), style: .number, full: false))
            if bench.losses.isEmpty {
                output.append(.note("no steps yet; the history appears here after 'step' or 'train'"))
            } else {
                output.append(.chart(.line(lossChart)))
            }
        case .config:
            appendConfig(into: &output)
        case .optimizer:
            try appendOptimizerState(into: &output)
        }
    }

    /// The optimizer's buffers, parameter by parameter, named after what they hold:
    /// gd's velocity `v(W1)`, Adam's first and second moments `m(W1)` and `v(W1)`, RMSprop's
    /// square average `v(W1)` and momentum buffer `buf(W1)` (not `m·W1`, which reads as a
    /// product).
    func appendOptimizerState(into output: inout Output) throws(Diagnostic) {
        let state = try bench.requireNetwork(for: "show optimizer").optimizerState
        let roles: [(Int, String, String)]
        switch bench.config.optimizer {
        case .gd(let momentum) where momentum != 0: roles = [(0, "v", "velocity v ← μ·v + g")]
        case .gd: roles = []
        case .adam: roles = [(1, "m", "first moment m ← β1·m + (1−β1)·g"), (2, "v", "second moment v ← β2·v + (1−β2)·g²")]
        case .rmsprop(_, _, let momentum):
            roles = [(2, "v", "square average v ← α·v + (1−α)·g²")] + (momentum != 0 ? [(3, "buf", "momentum buffer buf ← μ·buf + g/(√v + ε)")] : [])
        }
        output.append(.note("\(bench.config.optimizerDescription): \(counted(state.updates, "update")) since it started"))
        guard !roles.isEmpty else {
            output.append(.note("plain gradient descent keeps nothing between steps"))
            return
        }
        let network = bench.training!.network
        for (role, symbol, meaning) in roles {
            output.append(.heading(meaning))
            guard let buffer = state[buffer: role] else {
                output.append(.note("all zeros until the first step"))
                continue
            }
            for l in network.layers.indices {
                output.append(.value(name: "\(symbol)(W\(l + 1))", matrix: buffer.weights[l], style: .matrix, full: false))
                if network.layers[l].hasBias { output.append(.value(name: "\(symbol)(b\(l + 1))", matrix: buffer.biases[l], style: .matrix, full: false)) }
                if network.layers[l].batchNorm != nil {
                    output.append(.value(name: "\(symbol)(scale\(l + 1))", matrix: buffer.scales[l], style: .matrix, full: false))
                    output.append(.value(name: "\(symbol)(shift\(l + 1))", matrix: buffer.shifts[l], style: .matrix, full: false))
                }
            }
        }
    }

    /// W1, b1, W2, … as literals (biases of `nobias` layers left out).
    func appendParameters(of state: TrainingState, into output: inout Output) {
        for (l, layer) in state.network.layers.enumerated() {
            output.append(.value(name: "W\(l + 1)", matrix: layer.weights, style: .matrix, full: false))
            if layer.hasBias { output.append(.value(name: "b\(l + 1)", matrix: layer.bias, style: .matrix, full: false)) }
            if let bn = layer.batchNorm {
                output.append(.value(name: "scale\(l + 1)", matrix: bn.scale, style: .matrix, full: false))
                output.append(.value(name: "shift\(l + 1)", matrix: bn.shift, style: .matrix, full: false))
            }
        }
    }

    /// dW1, db1, dW2, … as literals (biases of `nobias` layers left out).
    func appendGradients(_ gradients: Gradients, of network: Network, into output: inout Output) {
        for l in gradients.weights.indices {
            output.append(.value(name: "dW\(l + 1)", matrix: gradients.weights[l], style: .matrix, full: false))
            if network.layers[l].hasBias { output.append(.value(name: "db\(l + 1)", matrix: gradients.biases[l], style: .matrix, full: false)) }
            if network.layers[l].batchNorm != nil {
                output.append(.value(name: "dscale\(l + 1)", matrix: gradients.scales[l], style: .matrix, full: false))
                output.append(.value(name: "dshift\(l + 1)", matrix: gradients.shifts[l], style: .matrix, full: false))
            }
        }
    }

    /// The batch loss by step, and with a test set the test set's loss after each step.
    var lossChart: LineChart {
        var series = [LineSeries(name: "batch loss", values: bench.losses.values, firstX: bench.losses.firstStep)]
        if bench.testData != nil && !bench.testLosses.isEmpty {
            series.append(LineSeries(name: "test loss", values: bench.testLosses.values, firstX: bench.testLosses.firstStep))
        }
        return LineChart(title: series.count > 1 ? "loss by step" : "batch loss by step", xLabel: "step", yLabel: "loss", series: series)
    }

    func runPlot(_ kind: PlotKind, into output: inout Output) throws(Diagnostic) {
        switch kind {
        case .loss:
            guard !bench.losses.isEmpty else {
                throw Diagnostic("no steps yet, so nothing to plot", suggestion: "take some with 'train 100'")
            }
            output.append(.chart(.line(lossChart)))
        case .norms:
            let state = try bench.requireNetwork(for: "plot norms")
            guard !bench.norms.rows.isEmpty else {
                throw Diagnostic("no steps yet, so no gradient norms to plot", suggestion: "take some with 'train 100'")
            }
            output.append(.chart(.heat(HeatStrip(title: "‖dW‖ per layer and step (log scale), input layer on top",
                                                 rowLabels: (1...state.network.depth).map { "dW\($0)" },
                                                 values: bench.norms.rows, firstStep: bench.norms.firstStep,
                                                 valueLabel: "‖dW‖"))))
        case .boundary:
            output.append(.chart(.boundary(try boundaryMap())))
        case .neurons(let layer):
            let maps = try unitMaps(layer: layer)
            output.append(.chart(.neurons(maps)))
            if maps.omitted > 0 {
                output.append(.note("the first \(maps.units.count) of \(maps.units.count + maps.omitted) units; the others are left out"))
            }
        }
    }

    mutating func runPredict(_ expression: Expr, into output: inout Output) throws(Diagnostic) {
        let state = try bench.requireNetwork(for: "predict")
        let value = try evaluate(expression)
        let inputs = state.network.inputs
        var x = value.matrix
        if value.isFlat && x.count == inputs { x = x.reshaped(rows: 1, cols: x.count) }
        if value.isFlat && inputs == 1 { x = value.asColumn }
        guard x.cols == inputs else {
            throw Diagnostic(state.network.rowMismatch(x), at: expression.range,
                             suggestion: "one row per example, e.g. 'predict [[\(Array(repeating: "0", count: inputs).joined(separator: ", "))]]'")
        }
        let prediction = state.network.predict(x)
        output.append(.value(name: "ŷ", matrix: prediction, style: .matrix, full: false))
        // Under ce the last layer is linear: ŷ are logits, which a learner may read as
        // probabilities. The softmax and the predicted classes say what they mean.
        if bench.config.loss == .ce, prediction.cols >= 2 {
            let probabilities = LossKind.softmaxRows(prediction)
            output.append(.value(name: "softmax(ŷ)", matrix: probabilities, style: .matrix, full: false))
            let classes = (0..<probabilities.rows).map { i in
                probabilities.row(i).allSatisfy(\.isFinite) ? String(probabilities.argmaxInRow(i)) : "none (not finite)"
            }
            output.append(.note("ŷ are logits (loss ce applies the softmax); predicted class\(classes.count == 1 ? "" : "es"), 0-based: \(classes.joined(separator: ", "))"))
        }
    }

    mutating func runWatch(_ kind: WatchKind?, into output: inout Output) {
        display.watch = kind
        output.append(.note(kind.map { "watching \($0.rawValue) after every step ('watch off' to stop)" } ?? "watch off"))
    }

    /// What `watch` prints after a step: what `show` prints of the same thing.
    func appendWatched(_ kind: WatchKind, into output: inout Output) {
        guard let state = bench.training else { return }
        switch kind {
        case .grads:
            if let gradients = state.gradients { appendGradients(gradients, of: state.network, into: &output) }
        case .weights:
            appendParameters(of: state, into: &output)
        case .norms:
            try? appendNorms(into: &output)
        }
    }
}
