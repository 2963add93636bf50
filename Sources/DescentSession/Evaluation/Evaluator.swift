import DescentCore
import DescentLanguage
import Foundation

/// What an expression can see of the session: variables, the network and its gradients,
/// the data, the training settings, the loss series, the limits and the precision (for
/// messages). A narrow copy (copy-on-write: nothing is duplicated), so evaluation cannot
/// change the session; random constructors draw from the generator passed in.
struct EvaluationScope {
    var variables: [String: Value]
    var training: TrainingState?
    var data: Dataset?
    var testData: Dataset?
    var config: TrainingConfig
    var losses: StepSeries
    var testLosses: StepSeries
    var limits: Limits
    var precision: Int

    init(bench: Workbench, limits: Limits, precision: Int) {
        variables = bench.variables
        training = bench.training
        data = bench.data
        testData = bench.testData
        config = bench.config
        losses = bench.losses
        testLosses = bench.testLosses
        self.limits = limits
        self.precision = precision
    }

    /// Evaluates, drawing any random constructor from `random`.
    func evaluate(_ expression: Expr, random: inout RandomSource) throws(Diagnostic) -> Value {
        switch expression {
        case .number(let x, _):
            return Value(scalar: x)
        case .name(let name, let range):
            return try lookUp(name, at: range)
        case .matrix(let literal):
            var rows: [[Double]] = []
            for row in literal.rows {
                var values: [Double] = []
                for entry in row {
                    let v = try evaluate(entry, random: &random)
                    guard v.matrix.isScalar else {
                        throw Diagnostic("a matrix entry must be a number; this is \(v.matrix.shapeDescription)", at: entry.range)
                    }
                    values.append(v.matrix.storage[0])
                }
                rows.append(values)
            }
            return Value(Matrix(rows), isFlat: literal.isFlat)
        case .negate(let inner, _):
            let v = try evaluate(inner, random: &random)
            return Value(v.matrix.map { -$0 }, isFlat: v.isFlat, isNumber: v.isNumber)
        case .binary(let op, let lhs, let rhs, let range):
            let a = try evaluate(lhs, random: &random), b = try evaluate(rhs, random: &random)
            return try Arithmetic.apply(op, a, b, range: range)
        case .call(let name, let args, let range):
            if FunctionCatalog.constructors[name] != nil {
                return try construct(name, args, range: range, random: &random)
            }
            if FunctionCatalog.dataFunctions[name] != nil {
                return try dataFunction(name, args, range: range, random: &random)
            }
            return try call(name, args, range: range, random: &random)
        }
    }

    private func lookUp(_ name: String, at range: SourceRange) throws(Diagnostic) -> Value {
        if let value = variables[name] { return value }
        if let value = try sessionValue(name, at: range) { return value }
        if let output = LayerOutputName(name) {
            return try layerOutput(output, name: name, at: range)
        }
        if let parameter = ParameterName(name) {
            return try parameterValue(parameter, name: name, at: range)
        }
        if let delta = DeltaName(name) {
            let training = try requireLayer(delta.layer, of: name, at: range)
            guard let gradients = training.gradients else {
                if training.step > 0 { throw Workbench.gradientsUndone("\(name) is", at: range) }
                throw Diagnostic("\(name) is measured by a step; none has been taken yet", at: range, suggestion: "type 'step'")
            }
            return Value(scalar: gradients.deltaNorms[delta.layer - 1])
        }
        let known = Array(variables.keys) + BuiltinNames.sessionValues + BuiltinNames.dataNames + BuiltinNames.constants
            + BuiltinNames.layerNames(layers: training?.network.depth ?? 1) + FunctionCatalog.allNames
        throw Diagnostic("unknown name '\(name)'", at: range,
                         suggestion: Suggestions.didYouMean(name, in: known) ?? "define it with 'let \(name) = …'")
    }

    /// `loss`, `lr`, `step`, `losses`, `testlosses`, `epoch`, `X`, `y` and the constants; nil for other names.
    private func sessionValue(_ name: String, at range: SourceRange) throws(Diagnostic) -> Value? {
        switch name {
        case "loss":
            let (state, data) = try Workbench.requireTrainable(training, data, config, at: range, for: "loss")
            return Value(scalar: state.loss(on: data, config: config))
        case "lr": return Value(scalar: config.learningRate(atStep: training?.step ?? 0))
        case "step": return Value(scalar: Double(training?.step ?? 0))
        case "epoch": return Value(scalar: Double(training?.cursor.epoch ?? 0))
        case "losses":
            guard !losses.isEmpty else {
                throw Diagnostic("losses is the loss of every step so far, and no step has been taken", at: range, suggestion: "type 'step'")
            }
            return Value(Matrix(row: losses.values), isFlat: true)
        case "testlosses":
            guard testData != nil else {
                throw Diagnostic("testlosses is the test loss at every step, and no rows are held out", at: range,
                                 suggestion: "hold some out with 'split test=0.25'")
            }
            guard !testLosses.isEmpty else {
                throw Diagnostic("testlosses is the test loss at every step since the split, and no step has been taken", at: range,
                                 suggestion: "type 'step'")
            }
            return Value(Matrix(row: testLosses.values), isFlat: true)
        case "X", "y":
            guard let data else {
                throw Diagnostic("\(name) is not set yet", at: range, suggestion: "set the data first, e.g. 'data X, y' or 'data xor'")
            }
            return Value(name == "X" ? data.x : data.y)
        case "Xtest", "ytest":
            guard let testData else {
                throw Diagnostic("\(name) is the held-out rows, and there are none", at: range, suggestion: "hold some out with 'split test=0.25'")
            }
            return Value(name == "Xtest" ? testData.x : testData.y)
        case "accuracy":
            let (state, data) = try Workbench.requireTrainable(training, data, config, at: range, for: "accuracy")
            return Value(scalar: try accuracy(of: state.network, on: data, at: range))
        case "nan": return Value(scalar: .nan)
        case "inf": return Value(scalar: .infinity)
        case "pi": return Value(scalar: .pi)
        default: return nil
        }
    }

    private func parameterValue(_ parameter: ParameterName, name: String, at range: SourceRange) throws(Diagnostic) -> Value {
        let training = try requireLayer(parameter.layer, of: name, at: range)
        let l = parameter.layer - 1
        if parameter.isGradient {
            guard let gradients = training.gradients else {
                if training.step > 0 { throw Workbench.gradientsUndone("\(name) is", at: range) }
                throw Diagnostic("\(name) is computed by a step; none has been taken yet", at: range, suggestion: "type 'step'")
            }
            return Value(gradients[parameter.slot])
        }
        return Value(training.network.layers[l][parameter])
    }

    /// The training state, when the net has a layer `layer` (numbered from 1).
    private func requireLayer(_ layer: Int, of name: String, at range: SourceRange) throws(Diagnostic) -> TrainingState {
        guard let training else {
            throw Diagnostic("there is no network yet, so no \(name)", at: range, suggestion: "build one first, e.g. 'net 2 -> 8 tanh -> 1'")
        }
        try training.network.checkLayer(layer, named: name, at: range)
        if let parameter = ParameterName(name), parameter.isBatchNorm, training.network.layers[layer - 1].batchNorm == nil {
            throw Diagnostic("layer \(layer) has no batch norm, so no \(name)", at: range, suggestion: "build it with 'bn', e.g. 'net 2 -> 16 bn relu -> 1'")
        }
        return training
    }

    /// Layer `layer`'s activations or pre-activations on the whole data set, now.
    private func layerOutput(_ output: LayerOutputName, name: String, at range: SourceRange) throws(Diagnostic) -> Value {
        guard let network = training?.network else {
            throw Diagnostic("there is no network yet, so no \(name)", at: range, suggestion: "build one first, e.g. 'net 2 -> 8 tanh -> 1'")
        }
        guard let data else {
            throw Diagnostic("\(name) is computed on the data, and there is none yet", at: range, suggestion: "choose it, e.g. 'data X, y'")
        }
        let lowest = output.isActivation ? 0 : 1
        guard output.layer >= lowest && output.layer <= network.depth else {
            throw Diagnostic("\(name): the net has \(counted(network.depth, "layer")), so \(output.isActivation ? "A0 (the input) to A" : "Z1 to Z")\(network.depth)", at: range)
        }
        guard data.x.cols == network.inputs else { throw Diagnostic(network.inputMismatch(columns: data.x.cols), at: range) }
        if output.layer == 0 { return Value(data.x) }
        var trace = ForwardTrace()
        network.forward(data.x, trace: &trace)
        return Value(output.isActivation ? trace.activations[output.layer - 1] : trace.preActivations[output.layer - 1])
    }

    /// `randn(r, c)`, `zeros(r, c)`, `eye(n)`, `randint(n, k)`, …
    private func construct(_ name: String, _ args: [Expr], range: SourceRange, random: inout RandomSource) throws(Diagnostic) -> Value {
        let constructor = FunctionCatalog.constructors[name]!
        guard args.count == constructor.arity else {
            throw Diagnostic("\(name) takes \(counted(constructor.arity, "argument")), got \(args.count)", at: range,
                             suggestion: constructor.help)
        }
        var sizes: [Int] = []
        for arg in args {
            let v = try evaluate(arg, random: &random)
            guard v.matrix.isScalar, let x = v.matrix.storage.first, x == x.rounded(), x >= 1, x <= 1e8 else {
                throw Diagnostic("\(name) needs whole numbers of at least 1", at: arg.range, suggestion: constructor.help)
            }
            sizes.append(Int(x))
        }
        try limits.checkMatrix(rows: sizes[0], cols: sizes.count > 1 && name != "randint" ? sizes[1] : (name == "eye" ? sizes[0] : 1), at: range)
        switch name {
        case "randn": return Value(random.normalMatrix(rows: sizes[0], cols: sizes[1]))
        case "rand": return Value(random.uniformMatrix(rows: sizes[0], cols: sizes[1]))
        case "zeros": return Value(Matrix(rows: sizes[0], cols: sizes[1]))
        case "ones": return Value(Matrix(rows: sizes[0], cols: sizes[1], repeating: 1))
        case "eye":
            var m = Matrix(rows: sizes[0], cols: sizes[0])
            for i in 0..<sizes[0] { m[i, i] = 1 }
            return Value(m)
        default:  // randint
            var labels: [Double] = []
            for _ in 0..<sizes[0] { labels.append(Double(random.integer(below: sizes[1]))) }
            return Value(Matrix(row: labels), isFlat: true)
        }
    }

    /// A function of one matrix: a reduction, an entry-by-entry function, or `forward`.
    private func call(_ name: String, _ args: [Expr], range: SourceRange, random: inout RandomSource) throws(Diagnostic) -> Value {
        guard FunctionCatalog.unary[name] != nil else {
            throw Diagnostic("unknown function '\(name)'", at: range,
                             suggestion: Suggestions.didYouMean(name, in: FunctionCatalog.allNames) ?? "see 'help expressions'")
        }
        guard args.count == 1 else {
            throw Diagnostic("\(name) takes one argument, got \(args.count)", at: range)
        }
        let v = try evaluate(args[0], random: &random)
        if name == "forward" {
            guard let network = training?.network else {
                throw Diagnostic("forward needs a network, and there is none yet", at: range, suggestion: "build one, e.g. 'net 1 -> 1'")
            }
            guard v.matrix.cols == network.inputs else {
                throw Diagnostic(network.rowMismatch(v.matrix), at: args[0].range)
            }
            return Value(network.predict(v.matrix))
        }
        if name == "eigvals" {
            let m = v.matrix
            guard m.rows == m.cols else {
                throw Diagnostic("eigvals needs a square matrix, got \(m.shapeDescription)", at: args[0].range,
                                 suggestion: "a Hessian of a linear model is e.g. 2 * transpose(X) @ X / rows(X)")
            }
            guard m.isSymmetric(tolerance: 1e-9) else {
                throw Diagnostic("eigvals is for symmetric matrices (Hessians, XᵀX), and this one is not", at: args[0].range,
                                 suggestion: "(A + transpose(A)) / 2 is its symmetric part")
            }
            guard m.storage.allSatisfy(\.isFinite) else {
                throw Diagnostic("eigvals needs finite entries, and this matrix has nan or inf", at: args[0].range)
            }
            return Value(Matrix(row: m.symmetricEigenvalues()), isFlat: true)
        }
        guard let result = Arithmetic.function(name, v) else {
            preconditionFailure("FunctionCatalog.unary lists '\(name)', which Arithmetic.function does not compute")
        }
        return result
    }

    /// `loss(X, y)` and `accuracy(X, y)`: on the rows given, at the current weights, in eval mode;
    /// `loss(…)` is the loss function alone, without the L2 term (plain `loss` has it).
    private func dataFunction(_ name: String, _ args: [Expr], range: SourceRange, random: inout RandomSource) throws(Diagnostic) -> Value {
        guard args.count == 2 else {
            throw Diagnostic("\(name) takes 2 arguments, the rows and their targets, got \(args.count)", at: range,
                             suggestion: "e.g. '\(name)(Xtest, ytest)'")
        }
        let x = try evaluate(args[0], random: &random), y = try evaluate(args[1], random: &random)
        let xm = x.isFlat && x.matrix.rows == 1 && training?.network.inputs == 1 ? x.asColumn : x.matrix
        let ym = y.isFlat ? y.asColumn : y.matrix
        guard xm.rows == ym.rows else {
            throw Diagnostic("\(name) needs one target per row: \(counted(xm.rows, "row")) but \(counted(ym.rows, "target"))", at: range)
        }
        let (state, rows) = try Workbench.requireTrainable(training, Dataset(x: xm, y: ym), config, at: range, for: name)
        if name == "loss" { return Value(scalar: state.loss(on: rows, config: config, includingL2: false)) }
        return Value(scalar: try accuracy(of: state.network, on: rows, at: range))
    }

    /// The share of rows classified right: bce counts ŷ ≥ 0.5 as class 1, ce takes the largest
    /// output; mse has no classes.
    private func accuracy(of network: Network, on data: Dataset, at range: SourceRange) throws(Diagnostic) -> Double {
        let predicted = network.predict(data.x)
        if config.loss == .bce {
            // Each output column is its own yes/no question: the share of answers right.
            var right = 0
            for (p, y) in zip(predicted.storage, data.y.storage) where (p >= 0.5 ? 1.0 : 0.0) == y { right += 1 }
            return Double(right) / Double(max(data.y.count, 1))
        }
        var right = 0
        for i in 0..<data.rows {
            switch config.loss {
            case .mse:
                throw Diagnostic("accuracy counts classes, and loss mse has none", at: range, suggestion: "use loss bce or ce, or look at loss")
            case .bce:
                break  // above
            case .ce:
                let guess = predicted.argmaxInRow(i)
                let target = data.y.cols == 1 ? Int(data.y[i, 0]) : data.y.argmaxInRow(i)
                if guess == target { right += 1 }
            }
        }
        return Double(right) / Double(max(data.rows, 1))
    }
}
