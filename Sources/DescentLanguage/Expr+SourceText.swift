// Expressions and expectations written back as command text.
import DescentCore

/// Expressions and expectations written back as command text, for echoes and messages.
extension Expectation {
    /// The comparison written back as source.
    public var sourceText: String {
        var s = "\(lhs.sourceText) \(op.rawValue) \(rhs.sourceText)"
        if op == .approx && tolerance != Expectation.defaultTolerance { s += " tol=\(NumberFormat.short(tolerance))" }
        return s
    }
}

extension Expr {
    /// The expression written back as source (numbers in their shortest form).
    public var sourceText: String {
        switch self {
        case .number(let x, _): return NumberFormat.short(x)
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

    /// A short label for messages: the name, or "the left side".
    public var sourceLabel: String {
        switch self {
        case .name(let name, _): name
        case .call(let name, _, _): "\(name)(…)"
        case .number(let x, _): NumberFormat.short(x)
        default: "the left side"
        }
    }
}
