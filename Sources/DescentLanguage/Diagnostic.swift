// Diagnostic: an error with its message, the source range it points at and a suggested fix.

/// An error that points at the problem: the message, where it is, and a likely fix.
///
/// Every phase (lexing, parsing, running a command) throws this one type, so the REPL and
/// `descent run` render all of them the same way: `FILE:LINE:COL: error: …`, the line, a caret.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// The columns the caret marks, nil when the error is about the line as a whole.
    public var range: SourceRange?
    /// A suggestion shown after the message: "did you mean 'sigmoid'?".
    public var suggestion: String?
    /// Filled in by whoever knows the line: the script runner or the REPL.
    public var line: Int?
    public var file: String?

    public init(_ message: String, at range: SourceRange? = nil, suggestion: String? = nil) {
        self.message = message
        self.range = range
        self.suggestion = suggestion
    }

    /// "unknown activation 'sigmod' — did you mean 'sigmoid'?"
    public var fullMessage: String {
        if let suggestion { return "\(message) — \(suggestion)" }
        return message
    }

    public var description: String { fullMessage }

    /// `FILE:LINE:COL: ` (as much of it as is known).
    public var locationPrefix: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let line { parts.append(String(line)) }
        if let range, !parts.isEmpty { parts.append(String(range.column)) }
        return parts.isEmpty ? "" : parts.joined(separator: ":") + ": "
    }

    /// The source line with a caret line under the offending characters. Ranges count
    /// characters; the carets are placed by display width, so they stand under Chinese text
    /// (two columns a character) too.
    public func caretLines(source: String, indent: String = "  ") -> [String] {
        guard let range else { return [indent + source] }
        let characters = Array(source)
        let start = min(max(range.column - 1, 0), characters.count)
        let end = min(start + range.length, characters.count)
        let before = DisplayWidth.of(String(characters[..<start])) + max(range.column - 1 - characters.count, 0)
        // Columns past the end of the line (the end of input) count one each.
        let under = max(DisplayWidth.of(String(characters[start..<end])) + range.length - (end - start), 1)
        return [indent + source, indent + String(repeating: " ", count: before) + String(repeating: "^", count: under)]
    }
}
