/// What someone used to Python or NumPy types first (`W1`, `1 + 1`, `print(W1)`, `x = 3`),
/// and the Descent command that does it.
extension Parser {
    /// A suggestion for a line that is not a command but reads as an expression, a call to
    /// `print`, or an assignment; nil when it is none of these. `first` is the line's first
    /// token, already consumed.
    func habitHint(for first: Token) -> String? {
        if let name = first.identifier {
            if ["print", "display", "repr"].contains(name), current.kind == .leftParen,
               let close = tokens.lastIndex(where: { $0.kind == .rightParen }), close > index + 1 {
                return "to print a value, write 'show \(text(from: index + 1, to: close - 1))'"
            }
            if current.kind == .equals, index + 1 < tokens.count - 1 {
                let value = text(from: index + 1, to: tokens.count - 2)
                if ParameterName(name) != nil { return "to change a parameter, write 'set \(name) = \(value)'" }
                return "to name a value, write 'let \(name) = \(value)'"
            }
        }
        // A lone word that is not a built-in name is more likely a mistyped command.
        if let name = first.identifier, current.kind == .end, !BuiltinNames.isReserved(name), !BuiltinNames.dataNames.contains(name) {
            return nil
        }
        // Does the whole line read as an expression? Then `show` prints it.
        var probe = Parser(tokens: tokens)
        probe.index = index - 1
        guard (try? probe.expression()) != nil, probe.atEnd else { return nil }
        return "to see a value, write 'show \(text(from: index - 1, to: tokens.count - 2))'"
    }

    /// The source text from token `first` through token `last`, as typed.
    func text(from first: Int, to last: Int) -> String {
        let characters = Array(source)
        let start = tokens[first].range.column - 1
        let end = tokens[last].range.column - 1 + tokens[last].range.length
        guard start >= 0, end <= characters.count, start < end else { return tokens[first...last].map(\.text).joined(separator: " ") }
        return String(characters[start..<end])
    }
}
