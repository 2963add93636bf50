import DescentCore
import DescentLanguage

/// The tables `show norms`, `show activations` and `show config` print.
extension Session {
    /// Per-layer ‖W‖ and ‖dW‖, and the bar chart of ‖dW‖ on a log scale.
    func appendNorms(into output: inout Output) throws(Diagnostic) {
        let (state, gradients) = try bench.requireGradients(for: "show norms")
        let layers = state.network.layers
        func f3(_ x: Double) -> String { NumberFormat.format(x, precision: 3) }
        var rows: [[String]] = []
        for l in layers.indices {
            let w = layers[l].weights.norm, g = gradients.weights[l].norm
            let kind = (layers[l].batchNorm != nil ? "bn " : "") + layers[l].activation.name + (layers[l].isResidual ? " res" : "")
            rows.append(["\(l + 1)", "\(layers[l].inputs)→\(layers[l].outputs) \(kind)",
                         f3(w), f3(g), w == 0 ? "—" : f3(g / w), f3(gradients.deltaNorms[l])])
        }
        output.append(.table(Table(headers: ["layer", "shape", "‖W‖", "‖dW‖", "‖dW‖/‖W‖", "‖δ‖"], rows: rows,
                                   alignments: [.right, .left, .right, .right, .right, .right])))
        output.append(.chart(.bars(BarChart(title: "‖dW‖ by layer (log scale), input layer first",
                                            labels: layers.indices.map { "dW\($0 + 1)" },
                                            values: gradients.weights.map(\.norm), valueLabel: "‖dW‖", logScale: true))))
    }

    /// Per layer: mean and std of the activations on the whole data set, and the share of
    /// saturated (sigmoid, tanh) or dead (relu) units.
    func appendActivations(into output: inout Output) throws(Diagnostic) {
        let state = try bench.requireNetwork(for: "show activations")
        guard let data = bench.data else {
            throw Diagnostic("show activations needs data to run through the net", suggestion: "choose it, e.g. 'data X, y'")
        }
        guard data.x.cols == state.network.inputs else {
            throw Diagnostic(state.network.inputMismatch(columns: data.x.cols))
        }
        func f3(_ x: Double) -> String { NumberFormat.format(x, precision: 3) }
        var trace = ForwardTrace()
        state.network.forward(data.x, trace: &trace)
        var rows: [[String]] = []
        for (l, layer) in state.network.layers.enumerated() {
            // Saturation is the activation's own: f(Z), not a residual layer's sum with its input.
            let z = trace.preActivations[l], a = trace.activations[l], f = trace.unitOutput(l)
            var flagged = 0
            for i in f.storage.indices where layer.activation.isSaturatedOrDead(z: z.storage[i], a: f.storage[i]) { flagged += 1 }
            let percent = f3(100 * Double(flagged) / Double(max(a.count, 1)))
            let share: String
            switch layer.activation {
            case .linear: share = "—"
            case .relu, .leakyReLU: share = percent + "% dead"
            default: share = percent + "% saturated"
            }
            rows.append(["\(l + 1)", layer.activation.name, f3(a.mean), f3(a.standardDeviation), share])
        }
        output.append(.table(Table(headers: ["layer", "activation", "mean", "std", "saturated/dead"], rows: rows,
                                   alignments: [.right, .left, .right, .right, .right])))
    }

    func appendConfig(into output: inout Output) {
        let config = bench.config, step = bench.training?.step ?? 0
        var rows: [[String]] = []
        rows.append(["net", bench.training.map { $0.network.architecture.description } ?? "none yet"])
        rows.append(["init", bench.initializer.description])
        rows.append(["seed", "\(bench.seed)"])
        rows.append(["data", bench.data.map { "\(bench.dataDescription): X \($0.x.shapeDescription), y \($0.y.shapeDescription)" } ?? "none yet"])
        rows.append(["split", bench.split.map { "test=\(NumberFormat.short($0.fraction)): \(counted($0.testRows.count, "row")) held out" } ?? "off"])
        rows.append(["scale", bench.scaling.rawValue])
        rows.append(["loss", "\(config.loss.rawValue) (\(config.loss.description))"])
        rows.append(["optimizer", config.optimizerDescription])
        rows.append(["schedule", config.schedule.description])
        rows.append(["clip", config.clipNorm.map { "norm=\(NumberFormat.short($0))" } ?? "off"])
        rows.append(["l2", config.l2.map { NumberFormat.short($0) } ?? "off"])
        rows.append(["step", "\(step), next lr \(NumberFormat.format(config.learningRate(atStep: step), precision: precision))"])
        rows.append(["watch", display.watch?.rawValue ?? "off"])
        rows.append(["precision", "\(precision)"])
        output.append(.table(Table(headers: ["setting", "value"], rows: rows, alignments: [.left, .left])))
    }
}
