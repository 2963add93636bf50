// PythonExpression: a Descent expression as Python source over the TorchPrelude's names
// (S for the session, D for the functions, V for the `let` variables).
import DescentLanguage
import Foundation

/// Why a session cannot be exported faithfully: which cell, and what in it.
public struct ExportRefusal: Error, Equatable, Sendable {
    public var cell: Int
    public var reason: String

    public var message: String { "cannot export cell \(cell) to PyTorch: \(reason)" }
}

/// Translates expressions. `variables` are the `let` names bound at this point (they shadow
/// the session's names, as in Descent); `flatVariables` those holding flat vectors.
struct PythonExpression {
    var variables: Set<String>
    var flatVariables: Set<String>
    /// Wrap every computed value in `seen(…)`, which keeps the largest magnitude met: a value
    /// that is rounding noise of larger operands (mean(X − colmean(X))) is compared at their
    /// scale, not its own.
    var recordsMagnitudes = false

    /// Python source for `expression`, and whether its value is a flat vector.
    func translate(_ expression: Expr) throws(PythonExpression.Unsupported) -> (code: String, flat: Bool) {
        let (code, flat) = try translateNode(expression)
        if recordsMagnitudes, !expression.isNumberLiteral { return ("seen(\(code))", flat) }
        return (code, flat)
    }

    /// The same expression, its values' magnitudes recorded (see `recordsMagnitudes`).
    var recording: PythonExpression {
        var copy = self
        copy.recordsMagnitudes = true
        return copy
    }

    private func translateNode(_ expression: Expr) throws(PythonExpression.Unsupported) -> (code: String, flat: Bool) {
        switch expression {
        case .number(let x, _):
            return (PythonLiteral.number(x), false)
        case .name(let name, _):
            return try translateName(name)
        case .matrix(let literal):
            var rows: [String] = []
            for row in literal.rows {
                var entries: [String] = []
                for entry in row {
                    if case .number(let x, _) = entry { entries.append(PythonLiteral.number(x)); continue }
                    entries.append("float(\(try translate(entry).code))")
                }
                rows.append("[" + entries.joined(separator: ", ") + "]")
            }
            if literal.isFlat { return ("v(\(rows.first ?? "[]"))", true) }
            return ("m([" + rows.joined(separator: ", ") + "])", false)
        case .negate(let inner, _):
            let (code, flat) = try translate(inner)
            return ("(-\(code))", flat)
        case .binary(let op, let lhs, let rhs, _):
            let (a, aFlat) = try translate(lhs), (b, bFlat) = try translate(rhs)
            if op == .product { return ("(as_matrix(\(a)) @ as_matrix(\(b)))", false) }
            if aFlat != bFlat { return ("op(\(a), \"\(op.rawValue)\", \(b))", true) }
            // `/` and `^` of plain numbers as float64 tensors: IEEE's inf and nan, as in
            // Descent, where Python's floats raise (1 / 0, 0 ^ -1, 10 ^ 400).
            if op == .power { return ("(tensor(\(a)) ** \(b))", aFlat) }
            if op == .divide { return ("(tensor(\(a)) / \(b))", aFlat) }
            return ("(\(a) \(op.rawValue) \(b))", aFlat)
        case .call(let name, let args, _):
            return try translateCall(name, args)
        }
    }

    /// Something Descent evaluates that the export cannot write as Python.
    struct Unsupported: Error {
        var reason: String
    }

    private func translateName(_ name: String) throws(Unsupported) -> (code: String, flat: Bool) {
        if variables.contains(name) { return ("V[\(PythonLiteral.string(name))]", flatVariables.contains(name)) }
        switch name {
        case "loss": return ("S.loss()", false)
        case "losses": return ("S.losses()", true)
        case "testlosses": return ("S.testlosses()", true)
        case "lr": return ("S.lr()", false)
        case "step": return ("S.step", false)
        case "epoch": return ("S.epoch", false)
        case "accuracy": return ("S.accuracy()", false)
        case "X", "y", "Xtest", "ytest": return ("S.\(name)", false)
        case "nan": return ("math.nan", false)
        case "inf": return ("math.inf", false)
        case "pi": return ("math.pi", false)
        default: break
        }
        if let output = LayerOutputName(name) { return ("S.\(output.isActivation ? "A" : "Z")(\(output.layer))", false) }
        if let delta = DeltaName(name) { return ("S.delta(\(delta.layer))", false) }
        if let parameter = ParameterName(name) {
            let method: String
            switch parameter.kind {
            case .weights: method = "W"
            case .bias: method = "b"
            case .weightGradient: method = "dW"
            case .biasGradient: method = "db"
            case .scale: method = "scale"
            case .shift: method = "shift"
            case .scaleGradient: method = "dscale"
            case .shiftGradient: method = "dshift"
            case .runningMean: method = "runmean"
            case .runningVariance: method = "runvar"
            }
            return ("S.\(method)(\(parameter.layer))", false)
        }
        throw Unsupported(reason: "the name '\(name)' has no PyTorch counterpart here")
    }

    private func translateCall(_ name: String, _ args: [Expr]) throws(Unsupported) -> (code: String, flat: Bool) {
        var codes: [String] = []
        var flats: [Bool] = []
        for arg in args {
            let (code, flat) = try translate(arg)
            codes.append(code)
            flats.append(flat)
        }
        let joined = codes.joined(separator: ", ")
        switch name {
        case "rand", "randn", "randint":
            throw Unsupported(reason: "\(name)(…) draws random numbers here, which only a `let` can carry into the export")
        case "eye", "ones", "zeros": return ("D.\(name)(\(joined))", false)
        case "loss": return ("S.loss_on(\(joined))", false)
        case "accuracy": return ("S.accuracy_on(\(joined))", false)
        case "forward": return ("S.predict(\(joined))", false)
        case "eigvals": return ("D.eigvals(\(joined))", true)
        case "abs", "sqrt", "exp", "log", "sigmoid", "tanh", "relu": return ("D.\(name)(\(joined))", flats.first ?? false)
        default: return ("D.\(name)(\(joined))", false)
        }
    }

    /// Whether an expression draws random numbers (rand, randn, randint).
    static func drawsRandomNumbers(_ expression: Expr) -> Bool {
        switch expression {
        case .number, .name: return false
        case .matrix(let literal): return literal.rows.joined().contains(where: drawsRandomNumbers)
        case .negate(let inner, _): return drawsRandomNumbers(inner)
        case .binary(_, let lhs, let rhs, _): return drawsRandomNumbers(lhs) || drawsRandomNumbers(rhs)
        case .call(let name, let args, _): return ["rand", "randn", "randint"].contains(name) || args.contains(where: drawsRandomNumbers)
        }
    }
}

extension Expr {
    var isNumberLiteral: Bool { if case .number = self { true } else { false } }
}

/// Python literals for values Descent computed: every double written so that Python reads
/// back the same bits, every string escaped so that no text can become code.
enum PythonLiteral {
    static func number(_ x: Double) -> String {
        if x.isNaN { return "math.nan" }
        if x.isInfinite { return x > 0 ? "math.inf" : "-math.inf" }
        // Swift's description is the shortest text that reads back to the same double.
        return "\(x)"
    }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                    || (0x2028...0x2029).contains(scalar.value) || (0xD800...0xDFFF).contains(scalar.value) {
                    out += String(format: "\\U%08x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A comment line's text: no line breaks or other control characters survive.
    static func comment(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                || (0x2028...0x2029).contains(scalar.value) || scalar == "\u{85}" ? "\u{FFFD}" : scalar
        }))
    }

    static func matrix(_ rows: Int, _ cols: Int, _ storage: [Double]) -> String {
        var lines: [String] = []
        for i in 0..<rows {
            lines.append("[" + (0..<cols).map { number(storage[i * cols + $0]) }.joined(separator: ", ") + "]")
        }
        return "m([" + lines.joined(separator: ", ") + "])"
    }
}
