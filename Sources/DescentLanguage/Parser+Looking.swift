// Parsing show, plot, watch and explain, and the comparisons of expect and train until.

/// `show`, `plot`, `watch`, `explain`, and the comparison of `expect` / `train until`.
extension Parser {
    mutating func parseShow() throws(Diagnostic) -> Command {
        if atEnd {
            throw Diagnostic("show needs something to show", at: current.range,
                             suggestion: "e.g. 'show W1', 'show grads' or 'show loss'; see 'help show'")
        }
        if let word = current.identifier, peekKind(1) == .end {
            switch word {
            case "weights": advance(); return .show(.weights)
            case "grads", "gradients": advance(); return .show(.grads)
            case "norms": advance(); return .show(.norms)
            case "activations": advance(); return .show(.activations)
            case "loss": advance(); return .show(.loss)
            case "config": advance(); return .show(.config)
            case "optimizer": advance(); return .show(.optimizer)
            default: break
            }
        }
        if current.identifier == "hist" {
            advance()
            if atEnd { throw Diagnostic("show hist needs a value to draw", at: current.range, suggestion: "e.g. 'show hist W1' or 'show hist dW3'") }
            return .show(.histogram(try expression()))
        }
        let value = try expression()
        var full = false
        if current.identifier == "full" {
            advance()
            full = true
        }
        return .show(.value(value, full: full))
    }

    mutating func parseWatch() throws(Diagnostic) -> Command {
        let kind = try word(from: WatchKind.allCases.map(\.rawValue) + ["off"], what: "thing to watch", example: "watch grads")
        return .watch(WatchKind(rawValue: kind.value))
    }

    mutating func parsePlot() throws(Diagnostic) -> Command {
        let kind = try word(from: PlotKind.words, what: "plot", example: "plot norms")
        switch kind.value {
        case "loss": return .plot(.loss)
        case "boundary": return .plot(.boundary)
        case "neurons":
            guard current.number != nil else {
                throw Diagnostic("plot neurons needs a layer number, found \(current.quoted)", at: current.range,
                                 suggestion: "e.g. 'plot neurons 1' for the first hidden layer")
            }
            let start = current.range
            let layer = try integer(what: "the layer number", minimum: 1)
            return .plot(.neurons(layer: Located(layer, at: start)))
        default: return .plot(.norms)
        }
    }

    mutating func parseExplain() throws(Diagnostic) -> Command {
        guard let name = current.identifier else {
            throw Diagnostic("explain needs a parameter or gradient, found \(current.quoted)", at: current.range,
                             suggestion: "e.g. 'explain dW1' or 'explain W2'")
        }
        return .explain(Located(name, at: advance().range))
    }

    /// `EXPR OP EXPR` followed by options among `allowing` (`tol=` always means the tolerance).
    mutating func expectation(allowing: [String]) throws(Diagnostic) -> (expectation: Expectation, options: Options) {
        let start = current.range
        if atEnd {
            throw Diagnostic("expect needs a comparison", at: start, suggestion: "e.g. 'expect loss < 0.01' or 'expect W1 ~= [[0.15]]'")
        }
        let lhs = try expression()
        let opToken = current
        let op: ComparisonOperator
        switch opToken.kind {
        case .less: op = .less
        case .lessEqual: op = .lessEqual
        case .greater: op = .greater
        case .greaterEqual: op = .greaterEqual
        case .equalEqual: op = .equal
        case .approxEqual: op = .approx
        case .equals:
            throw Diagnostic("'=' assigns; a comparison uses '==' (exactly) or '~=' (within a tolerance)", at: opToken.range,
                             suggestion: "did you mean '=='?")
        default:
            throw Diagnostic("expected a comparison (< <= > >= == ~=) after the expression, found \(opToken.quoted)", at: opToken.range)
        }
        advance()
        if atEnd { throw Diagnostic("expected an expression after '\(op.rawValue)'", at: current.range) }
        let rhs = try expression()
        let options = try self.options(allowing: allowing, forComparison: op)
        let tolerance = try options.number("tol", nonNegative: true) ?? Expectation.defaultTolerance
        let range = start.through(rhs.range)
        return (Expectation(lhs: lhs, op: op, rhs: rhs, tolerance: tolerance, range: range), options)
    }

    private mutating func options(allowing: [String], forComparison op: ComparisonOperator) throws(Diagnostic) -> Options {
        let before = current
        let o = try options(allowed: allowing, for: "the comparison")
        if o.has("tol") && op != .approx {
            throw Diagnostic("tol= only applies to '~='", at: o.keyRanges["tol"] ?? before.range,
                             suggestion: "compare with '~=' to allow a tolerance")
        }
        return o
    }
}
