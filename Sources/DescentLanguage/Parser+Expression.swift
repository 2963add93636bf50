// Parsing expressions: one function per precedence level, calls and matrix literals.

/// Expressions: `+ -` below `* / @` below unary minus below `^` (right-associative, so
/// `-2^2` is −4 and `2^3^2` is 2⁹); numbers, names, calls, literals, parentheses.
extension Parser {
    mutating func expression() throws(Diagnostic) -> Expr {
        var lhs = try term()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return lhs
            }
            advance()
            let rhs = try term()
            lhs = .binary(op, lhs, rhs, lhs.range.through(rhs.range))
        }
    }

    private mutating func term() throws(Diagnostic) -> Expr {
        var lhs = try unary()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            case .at: op = .product
            default: return lhs
            }
            advance()
            let rhs = try unary()
            lhs = .binary(op, lhs, rhs, lhs.range.through(rhs.range))
        }
    }

    private mutating func unary() throws(Diagnostic) -> Expr {
        if current.kind == .minus {
            let minus = advance()
            let operand = try unary()
            if case .number(let x, let r) = operand { return .number(-x, minus.range.through(r)) }
            return .negate(operand, minus.range.through(operand.range))
        }
        if current.kind == .plus {
            advance()
            return try unary()
        }
        return try power()
    }

    private mutating func power() throws(Diagnostic) -> Expr {
        let base = try primary()
        guard current.kind == .caret else { return base }
        advance()
        let exponent = try unary()
        return .binary(.power, base, exponent, base.range.through(exponent.range))
    }

    private mutating func primary() throws(Diagnostic) -> Expr {
        let token = current
        switch token.kind {
        case .number(let x):
            advance()
            return .number(x, token.range)
        case .identifier(let name):
            advance()
            if current.kind == .leftParen { return try call(name, token) }
            return .name(name, token.range)
        case .leftBracket:
            return .matrix(try matrixLiteral())
        case .leftParen:
            advance()
            let inner = try expression()
            _ = try expect(.rightParen, "')'", suggestion: "the '(' at column \(token.range.column) is not closed")
            return inner
        case .end:
            throw Diagnostic("expected a value (a number, a name such as W1, or [[…]]), found the end of the line", at: token.range)
        default:
            throw Diagnostic("expected a value (a number, a name such as W1, or [[…]]), found \(token.quoted)", at: token.range)
        }
    }

    private mutating func call(_ name: String, _ nameToken: Token) throws(Diagnostic) -> Expr {
        let open = advance()
        var args: [Expr] = []
        if current.kind != .rightParen {
            repeat { args.append(try expression()) } while match(.comma)
        }
        let close = try expect(.rightParen, "')' or ',' in the call of \(name)",
                               suggestion: "the '(' at column \(open.range.column) is not closed")
        return .call(name, args, nameToken.range.through(close.range))
    }

    /// `[1, 2, 3]` or `[[1, 2], [3, 4]]`. Rows must have equal lengths.
    private mutating func matrixLiteral() throws(Diagnostic) -> MatrixLiteral {
        let open = advance()
        if current.kind == .rightBracket {
            throw Diagnostic("an empty matrix has no shape", at: open.range.through(current.range), suggestion: "e.g. [[1, 2]] or zeros(2, 3)")
        }
        if current.kind == .leftBracket {
            var rows: [[Expr]] = []
            var firstRowRange = current.range
            repeat {
                if current.kind == .rightBracket { break }  // trailing comma
                let rowOpen = try expect(.leftBracket, "'[' to start a row", suggestion: "write every row in brackets: [[1, 2], [3, 4]]")
                let row = try entries(closing: rowOpen)
                let rowRange = rowOpen.range.through(tokens[index - 1].range)
                if rows.isEmpty { firstRowRange = rowRange }
                if let first = rows.first, first.count != row.count {
                    throw Diagnostic("row \(rows.count + 1) has \(counted(row.count, "entry", "entries")) but row 1 has \(first.count)",
                                     at: rowRange, suggestion: "all rows of a matrix have the same length (row 1 is at column \(firstRowRange.column))")
                }
                rows.append(row)
                if rows.count * row.count > Parser.maxLiteralEntries {
                    throw Diagnostic("this literal has more than \(Parser.maxLiteralEntries) entries", at: rowRange,
                                     suggestion: "load large data with 'data load \"file.csv\"' or make it with randn(r, c)")
                }
            } while match(.comma)
            let close = try expect(.rightBracket, "']' to close the matrix",
                                   suggestion: "the '[' at column \(open.range.column) is not closed")
            return MatrixLiteral(rows: rows, isFlat: false, range: open.range.through(close.range))
        }
        let values = try entries(closing: open)
        return MatrixLiteral(rows: [values], isFlat: true, range: open.range.through(tokens[index - 1].range))
    }

    /// The most entries one literal may have; bigger data comes from files or randn(…).
    static let maxLiteralEntries = 100_000

    /// Comma-separated entries up to and including the `]` that closes `open`.
    private mutating func entries(closing open: Token) throws(Diagnostic) -> [Expr] {
        var values: [Expr] = []
        if current.kind == .rightBracket {
            throw Diagnostic("an empty row has no entries", at: open.range.through(current.range))
        }
        repeat {
            if current.kind == .rightBracket, !values.isEmpty { break }  // trailing comma
            if current.kind == .leftBracket {
                throw Diagnostic("a '[' inside a row: matrices have two levels of brackets at most", at: current.range)
            }
            values.append(try expression())
            if values.count > Parser.maxLiteralEntries {
                throw Diagnostic("this literal has more than \(Parser.maxLiteralEntries) entries in a row", at: values.last!.range,
                                 suggestion: "load large data with 'data load \"file.csv\"' or make it with randn(r, c)")
            }
        } while match(.comma)
        guard current.kind == .rightBracket else {
            if current.kind == .end {
                throw Diagnostic("the '[' at column \(open.range.column) is not closed", at: open.range, suggestion: "add ']'")
            }
            throw Diagnostic("expected ',' or ']' in the matrix, found \(current.quoted)", at: current.range)
        }
        advance()
        return values
    }
}
