import DescentCore
import DescentLanguage

/// `show`, `predict`, `watch`, `gradcheck`, `expect`.
extension Session {
    mutating func runShow(_ target: ShowTarget, into output: inout Output) throws(Diagnostic) {
        switch target {
        case .value(let expression, let full):
            let value: Value
            do {
                value = try evaluate(expression)
            } catch {
                // `show nrms` is a misspelt `show norms` more often than an unknown variable.
                if case .name(let word, let range) = expression, variables[word] == nil,
                   let keyword = Suggestions.closest(to: word, in: ShowTarget.keywords) {
                    throw Diagnostic(error.message, at: range, suggestion: "did you mean 'show \(keyword)'?")
                }
                throw error
            }
            let name = expression.sourceText
            output.append(.value(name: name, matrix: value.matrix, style: value.style, full: full))
        case .histogram(let expression):
            let value = try evaluate(expression)
            output.append(.chart(.histogram(Histogram(title: "\(expression.sourceText): \(value.matrix.count) entries", values: value.matrix.storage))))
        case .weights:
            let state = try requireNetwork(for: "show weights")
            for (l, layer) in state.network.layers.enumerated() {
                output.append(.value(name: "W\(l + 1)", matrix: layer.weights, style: .matrix, full: false))
                if layer.hasBias { output.append(.value(name: "b\(l + 1)", matrix: layer.bias, style: .matrix, full: false)) }
            }
        case .grads:
            let gradients = try requireGradients(for: "show grads")
            let state = training!
            for l in gradients.weights.indices {
                output.append(.value(name: "dW\(l + 1)", matrix: gradients.weights[l], style: .matrix, full: false))
                if state.network.layers[l].hasBias { output.append(.value(name: "db\(l + 1)", matrix: gradients.biases[l], style: .matrix, full: false)) }
            }
        case .norms:
            try appendNorms(into: &output)
        case .activations:
            try appendActivations(into: &output)
        case .loss:
            // The loss now, then how it got here.
            let (state, data) = try requireTrainable(at: nil, for: "show loss")
            output.append(.value(name: "loss", matrix: Matrix(scalar: state.loss(on: data, config: config)), style: .number, full: false))
            if lossHistory.isEmpty {
                output.append(.note("no steps yet; the history appears here after 'step' or 'train'"))
            } else {
                output.append(.chart(.line(lossChart)))
            }
        case .config:
            appendConfig(into: &output)
        }
    }

    var lossChart: LineChart {
        LineChart(title: "batch loss by step", xLabel: "step", yLabel: "loss",
                  series: [LineSeries(name: "batch loss", values: lossHistory.values, firstX: lossHistory.firstStep)])
    }

    func runPlot(_ kind: PlotKind, into output: inout Output) throws(Diagnostic) {
        switch kind {
        case .loss:
            guard !lossHistory.isEmpty else {
                throw Diagnostic("no steps yet, so nothing to plot", suggestion: "take some with 'train 100'")
            }
            output.append(.chart(.line(lossChart)))
        case .norms:
            let state = try requireNetwork(for: "plot norms")
            guard !normHistory.rows.isEmpty else {
                throw Diagnostic("no steps yet, so no gradient norms to plot", suggestion: "take some with 'train 100'")
            }
            output.append(.chart(.heat(HeatStrip(title: "‖dW‖ per layer and step (log scale), input layer on top",
                                                 rowLabels: (1...state.network.depth).map { "dW\($0)" },
                                                 values: normHistory.rows, firstStep: normHistory.firstStep,
                                                 valueLabel: "‖dW‖"))))
        }
    }

    func requireNetwork(for what: String) throws(Diagnostic) -> TrainingState {
        guard let training else {
            throw Diagnostic("\(what) needs a network, and there is none yet", suggestion: "build one, e.g. 'net 2 -> 8 tanh -> 1'")
        }
        return training
    }

    /// Gradients belong to the step that made them; `back` past it leaves none to show.
    /// `subject` is "dW1 is" or "show grads: gradients are".
    func gradientsUndone(_ subject: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic("\(subject) computed by a step, and 'back' went back past the last one", at: range, suggestion: "type 'step'")
    }

    func requireGradients(for what: String) throws(Diagnostic) -> Gradients {
        let state = try requireNetwork(for: what)
        guard let gradients = state.gradients else {
            if state.step > 0 { throw gradientsUndone("\(what): gradients are", at: nil) }
            throw Diagnostic("\(what): gradients are computed by a step, and none has been taken yet", suggestion: "type 'step'")
        }
        return gradients
    }

    /// Per-layer ‖W‖ and ‖dW‖, and the bar chart of ‖dW‖ on a log scale.
    func appendNorms(into output: inout Output) throws(Diagnostic) {
        let gradients = try requireGradients(for: "show norms")
        let layers = training!.network.layers
        var rows: [[String]] = []
        for l in layers.indices {
            let w = layers[l].weights.norm, g = gradients.weights[l].norm
            rows.append(["\(l + 1)", "\(layers[l].inputs)→\(layers[l].outputs) \(layers[l].activation.name)",
                         NumberFormat.format(w, precision: 3), NumberFormat.format(g, precision: 3),
                         w == 0 ? "—" : NumberFormat.format(g / w, precision: 3)])
        }
        output.append(.table(Table(headers: ["layer", "shape", "‖W‖", "‖dW‖", "‖dW‖/‖W‖"], rows: rows,
                                   alignments: [.right, .left, .right, .right, .right])))
        output.append(.chart(.bars(BarChart(title: "‖dW‖ by layer (log scale), input layer first",
                                            labels: layers.indices.map { "dW\($0 + 1)" },
                                            values: gradients.weights.map(\.norm), valueLabel: "‖dW‖", logScale: true))))
    }

    /// Per layer: mean and std of the activations on the whole data set, and the share of
    /// saturated (sigmoid, tanh) or dead (relu) units.
    func appendActivations(into output: inout Output) throws(Diagnostic) {
        let state = try requireNetwork(for: "show activations")
        guard let data else {
            throw Diagnostic("show activations needs data to run through the net", suggestion: "choose it, e.g. 'data X, y'")
        }
        guard data.x.cols == state.network.inputs else {
            throw Diagnostic("the net takes \(state.network.inputs) inputs but X has \(data.x.cols) columns")
        }
        var trace = ForwardTrace()
        state.network.forward(data.x, trace: &trace)
        var rows: [[String]] = []
        for (l, layer) in state.network.layers.enumerated() {
            let z = trace.preActivations[l], a = trace.activations[l]
            var flagged = 0
            for i in a.storage.indices where layer.activation.isSaturatedOrDead(z: z.storage[i], a: a.storage[i]) { flagged += 1 }
            let share: String
            switch layer.activation {
            case .linear: share = "—"
            case .relu, .leakyReLU: share = NumberFormat.format(100 * Double(flagged) / Double(max(a.count, 1)), precision: 3) + "% dead"
            default: share = NumberFormat.format(100 * Double(flagged) / Double(max(a.count, 1)), precision: 3) + "% saturated"
            }
            rows.append(["\(l + 1)", layer.activation.name, NumberFormat.format(a.mean, precision: 3),
                         NumberFormat.format(a.standardDeviation, precision: 3), share])
        }
        output.append(.table(Table(headers: ["layer", "activation", "mean", "std", "saturated/dead"], rows: rows,
                                   alignments: [.right, .left, .right, .right, .right])))
    }

    func appendConfig(into output: inout Output) {
        var rows: [[String]] = []
        rows.append(["net", training.map { $0.network.architecture.description } ?? "none yet"])
        rows.append(["init", initializer.description])
        rows.append(["seed", "\(seed)"])
        rows.append(["data", data.map { "\(dataDescription): X \($0.x.shapeDescription), y \($0.y.shapeDescription)" } ?? "none yet"])
        rows.append(["loss", "\(config.loss.rawValue) (\(config.loss.description))"])
        rows.append(["optimizer", config.optimizerDescription])
        rows.append(["schedule", config.schedule.description])
        rows.append(["clip", config.clipNorm.map { "norm=\(formatShort($0))" } ?? "off"])
        rows.append(["l2", config.l2.map { formatShort($0) } ?? "off"])
        rows.append(["step", "\(training?.step ?? 0), next lr \(NumberFormat.format(config.learningRate(atStep: training?.step ?? 0), precision: precision))"])
        rows.append(["watch", watch?.rawValue ?? "off"])
        rows.append(["precision", "\(precision)"])
        output.append(.table(Table(headers: ["setting", "value"], rows: rows, alignments: [.left, .left])))
    }

    mutating func runPredict(_ expression: Expr, into output: inout Output) throws(Diagnostic) {
        let state = try requireNetwork(for: "predict")
        let value = try evaluate(expression)
        var x = value.matrix
        if value.isFlat && x.count == state.network.inputs { x = x.reshaped(rows: 1, cols: x.count) }
        if value.isFlat && state.network.inputs == 1 { x = value.asColumn }
        guard x.cols == state.network.inputs else {
            throw Diagnostic("the net takes \(state.network.inputs) input\(state.network.inputs == 1 ? "" : "s") per row, got \(x.shapeDescription)",
                             at: expression.range, suggestion: "one row per example, e.g. 'predict [[\(Array(repeating: "0", count: state.network.inputs).joined(separator: ", "))]]'")
        }
        output.append(.value(name: "ŷ", matrix: state.network.predict(x), style: .matrix, full: false))
    }

    mutating func runWatch(_ kind: WatchKind?, into output: inout Output) {
        watch = kind
        output.append(.note(kind.map { "watching \($0.rawValue) after every step ('watch off' to stop)" } ?? "watch off"))
    }

    /// What `watch` prints after a step.
    func appendWatched(_ kind: WatchKind, into output: inout Output) {
        guard let state = training else { return }
        switch kind {
        case .grads:
            guard let gradients = state.gradients else { return }
            for l in gradients.weights.indices {
                output.append(.value(name: "dW\(l + 1)", matrix: gradients.weights[l], style: .matrix, full: false))
                if state.network.layers[l].hasBias { output.append(.value(name: "db\(l + 1)", matrix: gradients.biases[l], style: .matrix, full: false)) }
            }
        case .weights:
            for (l, layer) in state.network.layers.enumerated() {
                output.append(.value(name: "W\(l + 1)", matrix: layer.weights, style: .matrix, full: false))
                if layer.hasBias { output.append(.value(name: "b\(l + 1)", matrix: layer.bias, style: .matrix, full: false)) }
            }
        case .norms:
            try? appendNorms(into: &output)
        }
    }

    mutating func runGradcheck(into output: inout Output, shouldStop: () -> Bool) throws(Diagnostic) {
        let (state, data) = try requireTrainable(at: nil, for: "gradcheck")
        let check = GradientCheck(state: state, data: data, config: config, shouldStop: shouldStop)
        var rows: [[String]] = []
        for result in check.results {
            rows.append(["\(result.layer)", NumberFormat.format(result.analyticNorm, precision: 4),
                         NumberFormat.format(result.numericNorm, precision: 4),
                         NumberFormat.format(result.relativeError, precision: 2),
                         result.relativeError < 1e-6 ? "ok" : "MISMATCH"])
        }
        output.append(.table(Table(headers: ["layer", "‖backprop‖", "‖numeric‖", "relative error", "check"], rows: rows,
                                   alignments: [.right, .right, .right, .right, .left])))
        if check.results.count < state.network.depth {
            output.append(.warning("interrupted after \(check.results.count) of \(state.network.depth) layers"))
        } else if check.worst < 1e-6 {
            output.append(.check("backprop agrees with finite differences (worst relative error \(NumberFormat.format(check.worst, precision: 2)))"))
        } else {
            output.append(.warning("backprop and finite differences disagree (worst relative error \(NumberFormat.format(check.worst, precision: 2))); a ReLU kink near a data point can cause this"))
        }
    }

    mutating func runExpect(_ expectation: Expectation, into output: inout Output) throws(Diagnostic) {
        var random = self.random
        let (holds, detail) = try evaluator().check(expectation, random: &random)
        self.random = random
        let text = expectation.sourceText
        guard holds else {
            throw Diagnostic("expectation failed: \(text): \(detail)", at: expectation.range)
        }
        output.append(.check(text))
    }
}

extension Expectation {
    /// The comparison written back as source, for messages.
    var sourceText: String {
        var s = "\(lhs.sourceText) \(op.rawValue) \(rhs.sourceText)"
        if op == .approx && tolerance != Expectation.defaultTolerance { s += " tol=\(formatShort(tolerance))" }
        return s
    }
}

extension Expr {
    /// The expression written back as source (numbers in their shortest form).
    var sourceText: String {
        switch self {
        case .number(let x, _): return formatShort(x)
        case .name(let name, _): return name
        case .matrix(let literal):
            let rows = literal.rows.map { "[" + $0.map(\.sourceText).joined(separator: ", ") + "]" }
            if literal.isFlat { return rows[0] }
            let text = "[" + rows.joined(separator: ", ") + "]"
            return text.count > 60 ? String(text.prefix(57)) + "…]" : text
        case .call(let name, let args, _): return "\(name)(\(args.map(\.sourceText).joined(separator: ", ")))"
        case .negate(let inner, _): return "-\(inner.sourceText)"
        case .binary(let op, let l, let r, _): return "\(l.sourceText) \(op.rawValue) \(r.sourceText)"
        }
    }
}
