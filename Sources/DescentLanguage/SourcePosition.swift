// SourceRange (a column and a length in a line) and Located (a value with its range).

/// Where something is in a line of input: a 1-based column and a length in characters.
/// (Commands are one line each; the line number belongs to the script, see `Diagnostic`.)
public struct SourceRange: Equatable, Hashable, Sendable {
    public var column: Int
    public var length: Int

    public init(column: Int, length: Int) {
        self.column = column
        self.length = max(length, 1)
    }

    /// From the start of `self` to the end of `other`.
    public func through(_ other: SourceRange) -> SourceRange {
        SourceRange(column: column, length: other.column + other.length - column)
    }

}

/// A value with the range it was written at.
public struct Located<Value: Equatable & Sendable>: Equatable, Sendable {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, at range: SourceRange) {
        self.value = value
        self.range = range
    }
}
