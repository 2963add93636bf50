import DescentCore
import DescentLanguage
import Foundation

/// Evaluates expressions against a session: names, arithmetic, functions, literals.
struct Evaluator {
    var session: Session

    /// Values that can be read by name, besides `let` variables.
    static func reservedNames(layers: Int) -> [String] {
        var names = ["loss", "losses", "lr", "step", "epoch", "X", "y"]
        for l in 1...max(layers, 1) { names += ["W\(l)", "b\(l)", "dW\(l)", "db\(l)"] }
        return names
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
            return try binary(op, a, b, lhs: lhs, rhs: rhs, range: range)
        case .call(let name, let args, let range):
            return try call(name, args, range: range, random: &random)
        }
    }

    private func lookUp(_ name: String, at range: SourceRange) throws(Diagnostic) -> Value {
        if let value = session.variables[name] { return value }
        switch name {
        case "loss":
            let (state, data) = try session.requireTrainable(at: range, for: "loss")
            return Value(scalar: state.loss(on: data, config: session.config))
        case "lr":
            return Value(scalar: session.config.learningRate(atStep: session.training?.step ?? 0))
        case "step":
            return Value(scalar: Double(session.training?.step ?? 0))
        case "losses":
            guard !session.lossHistory.isEmpty else {
                throw Diagnostic("losses is the loss of every step so far, and no step has been taken", at: range, suggestion: "type 'step'")
            }
            return Value(Matrix(row: session.lossHistory.values), isFlat: true)
        case "epoch":
            return Value(scalar: Double(session.training?.cursor.epoch ?? 0))
        case "X":
            guard let data = session.data else { throw Diagnostic("X is not set yet", at: range, suggestion: "set the data first, e.g. 'data X, y' or 'data xor'") }
            return Value(data.x)
        case "y":
            guard let data = session.data else { throw Diagnostic("y is not set yet", at: range, suggestion: "set the data first, e.g. 'data X, y' or 'data xor'") }
            return Value(data.y)
        case "nan":
            return Value(scalar: .nan)
        case "inf":
            return Value(scalar: .infinity)
        case "pi":
            return Value(scalar: .pi)
        default:
            break
        }
        if let (isActivation, layer) = Evaluator.layerOutputName(name) {
            return try layerOutput(isActivation: isActivation, layer: layer, name: name, at: range)
        }
        if let parameter = ParameterName(name) {
            guard let training = session.training else {
                throw Diagnostic("there is no network yet, so no \(name)", at: range, suggestion: "build one first, e.g. 'net 2 -> 8 tanh -> 1'")
            }
            let layers = training.network.layers.count
            guard parameter.layer >= 1 && parameter.layer <= layers else {
                throw Diagnostic("\(name): the net has \(layers) layer\(layers == 1 ? "" : "s"), so layers are numbered 1…\(layers)", at: range)
            }
            let l = parameter.layer - 1
            switch parameter.kind {
            case .weights: return Value(training.network.layers[l].weights)
            case .bias: return Value(training.network.layers[l].bias)
            case .weightGradient, .biasGradient:
                guard let gradients = training.gradients else {
                    if training.step > 0 {
                        throw session.gradientsUndone("\(name) is", at: range)
                    }
                    throw Diagnostic("\(name) is computed by a step; none has been taken yet", at: range, suggestion: "type 'step'")
                }
                return Value(parameter.kind == .weightGradient ? gradients.weights[l] : gradients.biases[l])
            }
        }
        let known = Array(session.variables.keys) + Evaluator.reservedNames(layers: session.training?.network.layers.count ?? 1)
            + FunctionCatalog.allNames
        throw Diagnostic("unknown name '\(name)'", at: range,
                         suggestion: Suggestions.didYouMean(name, in: known) ?? "define it with 'let \(name) = …'")
    }

    /// `A3` (activations of layer 3) or `Z3` (its pre-activations); `A0` is X.
    static func layerOutputName(_ name: String) -> (isActivation: Bool, layer: Int)? {
        guard let first = name.first, first == "A" || first == "Z" else { return nil }
        let digits = name.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIINumberDigit), let layer = Int(digits) else { return nil }
        return (first == "A", layer)
    }

    /// Layer `layer`'s activations or pre-activations on the whole data set, now.
    private func layerOutput(isActivation: Bool, layer: Int, name: String, at range: SourceRange) throws(Diagnostic) -> Value {
        guard let network = session.training?.network else {
            throw Diagnostic("there is no network yet, so no \(name)", at: range, suggestion: "build one first, e.g. 'net 2 -> 8 tanh -> 1'")
        }
        guard let data = session.data else {
            throw Diagnostic("\(name) is computed on the data, and there is none yet", at: range, suggestion: "choose it, e.g. 'data X, y'")
        }
        let lowest = isActivation ? 0 : 1
        guard layer >= lowest && layer <= network.depth else {
            throw Diagnostic("\(name): the net has \(network.depth) layer\(network.depth == 1 ? "" : "s"), so \(isActivation ? "A0 (the input) to A" : "Z1 to Z")\(network.depth)", at: range)
        }
        guard data.x.cols == network.inputs else {
            throw Diagnostic("the net takes \(network.inputs) inputs but X has \(data.x.cols) columns", at: range)
        }
        if layer == 0 { return Value(data.x) }
        var trace = ForwardTrace()
        network.forward(data.x, trace: &trace)
        return Value(isActivation ? trace.activations[layer - 1] : trace.preActivations[layer - 1])
    }

    private func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, lhs: Expr, rhs: Expr, range: SourceRange) throws(Diagnostic) -> Value {
        if op == .product {
            let x = a.matrix, y = b.matrix
            guard x.cols == y.rows else {
                throw Diagnostic("cannot multiply \(x.shapeDescription) by \(y.shapeDescription) with '@': the inner sizes \(x.cols) and \(y.rows) differ", at: range)
            }
            return Value(Matrix.product(x, y))
        }
        let f: (Double, Double) -> Double
        switch op {
        case .add: f = (+)
        case .subtract: f = (-)
        case .multiply: f = (*)
        case .divide: f = (/)
        case .power: f = { Foundation.pow($0, $1) }
        case .product: f = (*)
        }
        let (x, y) = Evaluator.aligned(a, b)
        guard let result = x.zipped(with: y, f) else {
            throw Diagnostic("shapes do not fit for '\(op.rawValue)': \(x.shapeDescription) and \(y.shapeDescription)", at: range,
                             suggestion: "entry by entry needs equal shapes, a 1×1 or a 1×n row; '@' is the matrix product")
        }
        return Value(result, isFlat: a.isFlat && b.isFlat, isNumber: a.isNumber && b.isNumber)
    }

    /// Gives a flat vector the orientation of the other operand, when the counts agree.
    static func aligned(_ a: Value, _ b: Value) -> (Matrix, Matrix) {
        if a.isFlat, !b.isFlat, let fitted = a.fitted(rows: b.matrix.rows, cols: b.matrix.cols) { return (fitted, b.matrix) }
        if b.isFlat, !a.isFlat, let fitted = b.fitted(rows: a.matrix.rows, cols: a.matrix.cols) { return (a.matrix, fitted) }
        return (a.matrix, b.matrix)
    }

    private func call(_ name: String, _ args: [Expr], range: SourceRange, random: inout RandomSource) throws(Diagnostic) -> Value {
        if let constructor = FunctionCatalog.constructors[name] {
            guard args.count == constructor.arity else {
                throw Diagnostic("\(name) takes \(constructor.arity) argument\(constructor.arity == 1 ? "" : "s"), got \(args.count)", at: range,
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
            try session.limits.checkMatrix(rows: sizes[0], cols: sizes.count > 1 && name != "randint" ? sizes[1] : (name == "eye" ? sizes[0] : 1), at: range)
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
        guard FunctionCatalog.unary[name] != nil else {
            throw Diagnostic("unknown function '\(name)'", at: range,
                             suggestion: Suggestions.didYouMean(name, in: FunctionCatalog.allNames) ?? "see 'help expressions'")
        }
        guard args.count == 1 else {
            throw Diagnostic("\(name) takes one argument, got \(args.count)", at: range)
        }
        let v = try evaluate(args[0], random: &random)
        let m = v.matrix
        if name == "forward" {
            guard let network = session.training?.network else {
                throw Diagnostic("forward needs a network, and there is none yet", at: range, suggestion: "build one, e.g. 'net 1 -> 1'")
            }
            guard m.cols == network.inputs else {
                throw Diagnostic("the net takes \(network.inputs) input\(network.inputs == 1 ? "" : "s") per row, got \(m.shapeDescription)", at: args[0].range)
            }
            return Value(network.predict(m))
        }
        switch name {
        case "norm": return Value(scalar: m.norm)
        case "mean": return Value(scalar: m.mean)
        case "max": return Value(scalar: m.max)
        case "min": return Value(scalar: m.min)
        case "sum": return Value(scalar: m.sum)
        case "std": return Value(scalar: m.standardDeviation)
        case "rows": return Value(scalar: Double(m.rows))
        case "cols": return Value(scalar: Double(m.cols))
        case "transpose": return Value(m.transposed)
        case "abs": return Value(m.map { Swift.abs($0) }, isFlat: v.isFlat, isNumber: v.isNumber)
        case "sqrt": return Value(m.map { $0.squareRoot() }, isFlat: v.isFlat, isNumber: v.isNumber)
        case "exp": return Value(m.map { Foundation.exp($0) }, isFlat: v.isFlat, isNumber: v.isNumber)
        case "log": return Value(m.map { Foundation.log($0) }, isFlat: v.isFlat, isNumber: v.isNumber)
        case "sigmoid": return Value(m.map { Activation.sigmoid.apply($0) }, isFlat: v.isFlat, isNumber: v.isNumber)
        case "tanh": return Value(m.map { Foundation.tanh($0) }, isFlat: v.isFlat, isNumber: v.isNumber)
        default: return Value(m.map { Swift.max($0, 0) }, isFlat: v.isFlat, isNumber: v.isNumber)  // relu
        }
    }

    /// Whether `expectation` holds; when it does not, a message saying by how much.
    func check(_ expectation: Expectation, random: inout RandomSource) throws(Diagnostic) -> (holds: Bool, detail: String) {
        let a = try evaluate(expectation.lhs, random: &random)
        let b = try evaluate(expectation.rhs, random: &random)
        let (x, y) = Evaluator.aligned(a, b)
        let op = expectation.op
        let tol = expectation.tolerance
        guard x.zipped(with: y, { _, _ in 0 }) != nil else {
            throw Diagnostic("cannot compare \(x.shapeDescription) with \(y.shapeDescription)", at: expectation.range,
                             suggestion: "both sides need the same shape (or one side a single number)")
        }
        var worst: (index: Int, gap: Double)? = nil
        let holdsEverywhere = x.zipped(with: y) { p, q in
            let ok: Bool
            switch op {
            case .less: ok = p < q
            case .lessEqual: ok = p <= q
            case .greater: ok = p > q
            case .greaterEqual: ok = p >= q
            case .equal: ok = p == q
            case .approx: ok = Swift.abs(p - q) <= tol * (1 + Swift.abs(q))
            }
            return ok ? 1 : 0
        }!
        let holds = holdsEverywhere.storage.allSatisfy { $0 == 1 }
        if holds { return (true, "") }
        // Find the entry that fails worst, to say where.
        let gaps = x.zipped(with: y) { p, q in Swift.abs(p - q) }!
        for i in holdsEverywhere.storage.indices where holdsEverywhere.storage[i] == 0 {
            let gap = gaps.storage[i].isNaN ? .infinity : gaps.storage[i]
            if worst == nil || gap > worst!.gap { worst = (i, gap) }
        }
        let shape = holdsEverywhere
        let lhsText = expectation.lhs.sourceLabel
        let p = session.precision
        // Both sides in the shape they were compared in (a scalar or a row broadcasts).
        let lefts = x.zipped(with: y) { l, _ in l }!, rights = x.zipped(with: y) { _, r in r }!
        let left = lefts.storage[worst!.index], right = rights.storage[worst!.index]
        if shape.count == 1 {
            var detail = "\(lhsText) is \(NumberFormat.format(left, precision: max(p, 10)))"
            if op == .approx || op == .equal {
                detail += ", not \(NumberFormat.format(right, precision: max(p, 10)))"
                if op == .approx { detail += " (difference \(NumberFormat.format(Swift.abs(left - right), precision: 3)), allowed \(NumberFormat.format(tol * (1 + Swift.abs(right)), precision: 3)))" }
            }
            return (false, detail)
        }
        let i = worst!.index / shape.cols, j = worst!.index % shape.cols
        let position = a.isFlat && b.isFlat ? "entry \(worst!.index + 1)" : "[\(i + 1), \(j + 1)] (row, column)"
        let failing = holdsEverywhere.storage.filter { $0 == 0 }.count
        return (false, "\(failing) of \(shape.count) entries fail; worst at \(position): \(NumberFormat.format(left, precision: max(p, 10))) vs \(NumberFormat.format(right, precision: max(p, 10)))")
    }
}

/// `W3`, `b1`, `dW2`, `db4`.
struct ParameterName {
    enum Kind { case weights, bias, weightGradient, biasGradient }
    var kind: Kind
    var layer: Int

    init?(_ name: String) {
        let prefixes: [(String, Kind)] = [("dW", .weightGradient), ("db", .biasGradient), ("W", .weights), ("b", .bias)]
        for (prefix, kind) in prefixes where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count)
            if !digits.isEmpty, digits.allSatisfy(\.isASCIINumberDigit), let layer = Int(digits) {
                self.kind = kind
                self.layer = layer
                return
            }
        }
        return nil
    }

    var isGradient: Bool { kind == .weightGradient || kind == .biasGradient }
}

extension Character {
    var isASCIINumberDigit: Bool { isASCII && isNumber }
}

extension Expr {
    /// A short label for messages: the name, or "the left side".
    var sourceLabel: String {
        switch self {
        case .name(let name, _): name
        case .call(let name, _, _): "\(name)(…)"
        case .number(let x, _): formatShort(x)
        default: "the left side"
        }
    }
}
