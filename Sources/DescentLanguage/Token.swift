// Token and TokenKind: what the lexer produces.

/// The smallest pieces of a command line.
public enum TokenKind: Equatable, Sendable {
    case identifier(String)
    case number(Double)
    case string(String)
    case leftBracket, rightBracket, leftParen, rightParen, comma
    case equals          // =
    case arrow           // ->
    case plus, minus, star, slash, at, caret
    case less, lessEqual, greater, greaterEqual, equalEqual, approxEqual  // < <= > >= == ~=
    case end
}

public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    /// The text as typed.
    public var text: String
    public var range: SourceRange

    public init(_ kind: TokenKind, text: String, range: SourceRange) {
        self.kind = kind
        self.text = text
        self.range = range
    }

    public var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }

    public var number: Double? {
        if case .number(let value) = kind { return value }
        return nil
    }

    /// How the token is named in "expected …, found …" messages.
    public var quoted: String { kind == .end ? "the end of the line" : "'\(text)'" }
}
