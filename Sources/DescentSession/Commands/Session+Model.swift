import DescentCore
import DescentLanguage
import Foundation

/// `let`, `data`, `net`, `init`, `seed`, `loss`, `set`.
extension Session {
    mutating func runLet(_ name: Located<String>, _ expression: Expr, into output: inout Output) throws(Diagnostic) {
        if BuiltinNames.isReserved(name.value) {
            let hint = ParameterName(name.value).map { $0.isGradient ? "gradients are computed by 'step'" : "to change a parameter use 'set \(name.value) = …'" }
            throw Diagnostic("'\(name.value)' is a built-in name and cannot be redefined", at: name.range,
                             suggestion: hint ?? "choose another name")
        }
        if CommandCatalog.entry(named: name.value) != nil || FunctionCatalog.allNames.contains(name.value) {
            throw Diagnostic("'\(name.value)' is the name of a command or function", at: name.range, suggestion: "choose another name")
        }
        let value = try evaluate(expression)
        bench.variables[name.value] = value
        output.append(describe(name: name.value, value: value))
        // A learner who writes `let X = …` after `data` may think the net now trains on it.
        if bench.data != nil, name.value == "X" || name.value == "y" {
            output.append(.note("\(name.value) is now your matrix; step, loss and A0 still use the data set (give it to them with 'data X, y')"))
        }
    }

    /// A value small enough to read is printed; a large one is summarised.
    func describe(name: String, value: Value) -> Block {
        if value.matrix.count <= 24 {
            return .value(name: name, matrix: value.matrix, style: value.style, full: false)
        }
        let m = value.matrix
        return .note("\(name): \(m.shapeDescription) matrix, mean \(NumberFormat.format(m.mean, precision: 3)), std \(NumberFormat.format(m.standardDeviation, precision: 3)) — 'show \(name)' prints it")
    }

    mutating func runData(_ source: DataSource, into output: inout Output) throws(Diagnostic) {
        let (dataset, loadWarnings) = try makeDataset(source)
        bench.source = dataset
        if let split = bench.split {
            guard dataset.rows >= 2 else { throw Diagnostic("split test=\(NumberFormat.short(split.fraction)) needs at least 2 rows; this data set has \(dataset.rows)", suggestion: "'split off' first") }
            bench.split = TestSplit(fraction: split.fraction, rows: dataset.rows, random: &bench.random)
        }
        bench.rebuildData()
        if bench.training != nil { bench.training!.cursor = BatchCursor(seed: bench.seed) }
        output.append(.note("data: \(counted(dataset.rows, "example")), \(counted(dataset.x.cols, "feature")) → \(counted(dataset.y.cols, "target column")) (X is \(dataset.x.shapeDescription), y is \(dataset.y.shapeDescription))"))
        appendSplitAndScaling(into: &output)
        if case .load = source, bench.scaling == .off, let spread = Session.columnScaleSpread(dataset.x), spread > 100 {
            output.append(.warning("the columns' scales differ by ×\(NumberFormat.format(spread, precision: 2)) (their standard deviations); gradient descent crawls on such data: 'scale standard' puts every column on the same scale"))
        }
        for warning in loadWarnings { output.append(.warning(warning)) }
        var own: Set<String> = []
        if case .variables(let x, let y) = source { own = [x.value, y.value] }
        bindDataNames(keeping: own, into: &output)
        // New data mid-training: the counter and the loss curve go on (a curriculum is a real
        // use), which a learner comparing curves should know.
        if let training = bench.training, training.step > 0, training.network.inputs == dataset.x.cols {
            output.append(.note("the net keeps its weights, step count (\(training.step)) and loss history: the curve goes on with this data; 'reset' starts over"))
        }
    }

    /// X and y name the data set's training rows from now on: a `let X` or `let y` gives way,
    /// except the learner's own X and y that `data X, y` just used, while they are still the
    /// training rows (no split, no scaling).
    mutating func bindDataNames(keeping own: Set<String>, into output: inout Output) {
        var replaced: [String] = []
        for name in ["X", "y"] where bench.variables[name] != nil {
            if own.contains(name) && bench.split == nil && bench.scaling == .off { continue }
            bench.variables[name] = nil
            replaced.append("let \(name)")
        }
        if !replaced.isEmpty {
            output.append(.note("X and y now name this data set's training rows (replacing your \(replaced.joined(separator: " and ")))"))
        }
    }

    /// The data set a `data` command names (drawing from the generator for the built-in ones),
    /// and warnings about a loaded file; sets `dataDescription`.
    private mutating func makeDataset(_ source: DataSource) throws(Diagnostic) -> (Dataset, [String]) {
        switch source {
        case .variables(let xName, let yName):
            bench.dataDescription = "\(xName.value), \(yName.value)"
            return (try datasetFromVariables(xName, yName), [])
        case .xor:
            bench.dataDescription = "xor"
            return (Datasets.xor(), [])
        case .circles(let n, let noise):
            try limits.checkMatrix(rows: n, cols: 3, at: nil)
            bench.dataDescription = "circles n=\(n) noise=\(NumberFormat.short(noise))"
            return (Datasets.circles(n: n, noise: noise, random: &bench.random), [])
        case .spiral(let n, let classes, let noise):
            try limits.checkMatrix(rows: n, cols: 3, at: nil)
            bench.dataDescription = "spiral n=\(n) classes=\(classes) noise=\(NumberFormat.short(noise))"
            return (Datasets.spiral(n: n, classes: classes, noise: noise, random: &bench.random), [])
        case .line(let n, let noise):
            try limits.checkMatrix(rows: n, cols: 2, at: nil)
            bench.dataDescription = "line n=\(n) noise=\(NumberFormat.short(noise))"
            return (Datasets.line(n: n, noise: noise, random: &bench.random), [])
        case .load(let path, let target):
            bench.dataDescription = "load \"\(path)\""
            return try CSVLoader.load(url(for: path), displayName: path, target: target, limits: limits)
        }
    }

    /// `data X, y` from the learner's variables (X and y, when not variables, are the current
    /// data set's).
    private func datasetFromVariables(_ xName: Located<String>, _ yName: Located<String>) throws(Diagnostic) -> Dataset {
        // X and y, when not variables, are the current data set's: all its rows, unscaled.
        func lookUp(_ name: String) -> Value? {
            if let v = bench.variables[name] { return v }
            if name == "X", let data = bench.source { return Value(data.x) }
            if name == "y", let data = bench.source { return Value(data.y) }
            return nil
        }
        guard let x = lookUp(xName.value) else {
            throw Diagnostic("unknown variable '\(xName.value)'", at: xName.range,
                             suggestion: Suggestions.didYouMean(xName.value, in: Array(bench.variables.keys)) ?? "define it first, e.g. 'let \(xName.value) = [[1], [2], [3]]'")
        }
        guard let y = lookUp(yName.value) else {
            throw Diagnostic("unknown variable '\(yName.value)'", at: yName.range,
                             suggestion: Suggestions.didYouMean(yName.value, in: Array(bench.variables.keys)) ?? "define it first, e.g. 'let \(yName.value) = [1, 2, 3]'")
        }
        let xm = x.isFlat ? x.asColumn : x.matrix
        let ym = y.asColumn
        guard xm.rows == ym.rows else {
            throw Diagnostic("\(xName.value) has \(counted(xm.rows, "row")) (examples) but \(yName.value) has \(counted(ym.rows, "target"))", at: xName.range.through(yName.range),
                             suggestion: "one target per row of \(xName.value)")
        }
        return Dataset(x: xm, y: ym)
    }

    mutating func runNet(_ architecture: Architecture, source: String, into output: inout Output) throws(Diagnostic) {
        try limits.checkNetwork(architecture, at: nil)
        let network = startTraining(drawing: architecture)
        let layers = network.depth
        output.append(.note("net \(architecture.description): \(counted(layers, "layer")), \(counted(network.parameterCount, "parameter")), init \(bench.initializer.description)"))
    }

    /// Draws the weights of `architecture` with the current initializer and starts training
    /// from step 0: no velocity, no history. `reset` draws them again from the same state of
    /// the generator (see `InitialState`).
    @discardableResult
    mutating func startTraining(drawing architecture: Architecture) -> Network {
        bench.initialTraining = .drawn(architecture: architecture, initializer: bench.initializer, random: bench.random, shuffleSeed: bench.seed)
        var network = Network(architecture)
        network.initialize(with: bench.initializer, random: &bench.random)
        bench.training = TrainingState(network: network, shuffleSeed: bench.seed)
        bench.clearStepRecords()
        bench.workspace = StepWorkspace()
        return network
    }

    mutating func runInit(_ initializer: Initializer, into output: inout Output) {
        bench.initializer = initializer
        guard let architecture = bench.training?.network.architecture else {
            output.append(.note("init \(bench.initializer.description): the next 'net' starts from it"))
            return
        }
        startTraining(drawing: architecture)
        output.append(.note("init \(bench.initializer.description): new weights, biases 0, back to step 0"))
    }

    mutating func runSeed(_ seed: UInt64, into output: inout Output) {
        bench.seed = seed
        bench.random = RandomSource(seed: bench.seed)
        output.append(.note("seed \(bench.seed)"))
    }

    mutating func runLoss(_ loss: LossKind, into output: inout Output) {
        bench.config.loss = loss
        output.append(.note("loss \(loss.rawValue): \(loss.description)"))
    }

    mutating func runSet(_ name: Located<String>, _ expression: Expr, into output: inout Output) throws(Diagnostic) {
        guard let parameter = ParameterName(name.value) else {
            if bench.variables[name.value] != nil {
                throw Diagnostic("set changes parameters (W1, b1, …); '\(name.value)' is a variable", at: name.range,
                                 suggestion: "use 'let \(name.value) = …'")
            }
            throw Diagnostic("set changes a parameter such as W1 or b2, not '\(name.value)'", at: name.range,
                             suggestion: Suggestions.didYouMean(name.value, in: BuiltinNames.layerNames(layers: bench.training?.network.depth ?? 1, outputs: false))
                                ?? "e.g. 'set W1 = [[0.5]]'")
        }
        guard var state = bench.training else {
            throw Diagnostic("there is no network yet, so no \(name.value)", at: name.range, suggestion: "build one first, e.g. 'net 1 -> 1'")
        }
        if parameter.isGradient {
            throw Diagnostic("\(name.value) is a gradient, computed by 'step'; it cannot be set", at: name.range,
                             suggestion: "set the weights instead, e.g. 'set W\(parameter.layer) = …'")
        }
        try state.network.checkLayer(parameter.layer, named: name.value, at: name.range)
        let l = parameter.layer - 1
        if parameter.isBatchNorm && state.network.layers[l].batchNorm == nil {
            throw Diagnostic("layer \(parameter.layer) has no batch norm, so no \(name.value)", at: name.range,
                             suggestion: "build it with 'bn', e.g. 'net 2 -> 16 bn relu -> 1'")
        }
        let value = try evaluate(expression)
        let current = state.network.layers[l][parameter]
        guard let fitted = value.fitted(rows: current.rows, cols: current.cols) else {
            throw Diagnostic("\(name.value) is \(current.shapeDescription), got \(value.matrix.shapeDescription)", at: expression.range,
                             suggestion: parameter.kind == .weights
                                ? "W\(parameter.layer) has one row per input of layer \(parameter.layer) and one column per unit"
                                : parameter.kind == .bias ? "a bias is one row with one entry per unit" : "one row with one entry per unit")
        }
        if parameter.kind == .runningVariance, let bad = fitted.storage.first(where: { !($0 >= 0) }) {
            throw Diagnostic("a running variance cannot be negative, got \(NumberFormat.short(bad))", at: expression.range)
        }
        if parameter.kind == .bias && !state.network.layers[l].hasBias {
            throw Diagnostic("layer \(parameter.layer) was built with nobias", at: name.range)
        }
        state.network.layers[l][parameter] = fitted
        bench.training = state
        bench.explainableStep = nil
        if state.step == 0 { bench.initialTraining = .kept(state) }
        output.append(.value(name: name.value, matrix: fitted, style: .matrix, full: false))
    }
}
