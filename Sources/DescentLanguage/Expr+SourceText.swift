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
    /// The expression written back as source (numbers in their shortest form), with the
    /// brackets its structure needs and no others: `2 * (1 - 1)`, `(a + b) ^ 2`, `-(x + 1)`.
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
        case .negate(let inner, _):
            let text = inner.sourceText
            return inner.precedence >= Expr.unaryPrecedence && !text.hasPrefix("-") ? "-" + text : "-(\(text))"
        case .binary(let op, let l, let r, _):
            let p = Expr.precedence(of: op)
            // `^` is right-associative and its base is a plain value; the others are
            // left-associative, so an equal-precedence right operand keeps its brackets.
            let left = op == .power ? l.bracketed(unless: l.precedence > p) : l.bracketed(unless: l.precedence >= p)
            let right = op == .power ? r.bracketed(unless: r.precedence >= Expr.unaryPrecedence) : r.bracketed(unless: r.precedence > p)
            return "\(left) \(op.rawValue) \(right)"
        }
    }

    private func bracketed(unless bare: Bool) -> String { bare ? sourceText : "(\(sourceText))" }

    static let unaryPrecedence = 3

    /// How tightly an operator binds: + - below * / @ below unary minus below ^.
    static func precedence(of op: BinaryOperator) -> Int {
        switch op {
        case .add, .subtract: 1
        case .multiply, .divide, .product: 2
        case .power: 4
        }
    }

    /// The precedence of the expression's outermost operation (5 for a plain value).
    var precedence: Int {
        switch self {
        case .binary(let op, _, _, _): Expr.precedence(of: op)
        case .negate: Expr.unaryPrecedence
        case .number(let x, _): x < 0 || (x == 0 && x.sign == .minus) ? Expr.unaryPrecedence : 5
        default: 5
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
