// key=value options (Options) and how a command reads them.
import DescentCore

/// `key=value` options, as in `optimizer gd lr=0.1 batch=8` or `data circles n=200`.
struct Options {
    enum Value: Equatable, Sendable {
        case number(Double)
        case word(String)
        /// A quoted value: `target="class label"`.
        case string(String)
    }

    var values: [String: Located<Value>] = [:]
    var keyRanges: [String: SourceRange] = [:]

    func has(_ key: String) -> Bool { values[key] != nil }

    /// A number option; nil when absent. `positive` rejects ≤ 0, `nonNegative` rejects < 0.
    func number(_ key: String, positive: Bool = false, nonNegative: Bool = false) throws(Diagnostic) -> Double? {
        guard let value = values[key] else { return nil }
        guard case .number(let x) = value.value else {
            throw Diagnostic("\(key)= takes a number", at: value.range)
        }
        if positive && !(x > 0) { throw Diagnostic("\(key) must be greater than 0, got \(NumberFormat.short(x))", at: value.range) }
        if nonNegative && !(x >= 0) { throw Diagnostic("\(key) must not be negative, got \(NumberFormat.short(x))", at: value.range) }
        return x
    }

    func integer(_ key: String, minimum: Int) throws(Diagnostic) -> Int? {
        guard let value = values[key] else { return nil }
        guard case .number(let x) = value.value, x == x.rounded(), abs(x) < 1e15 else {
            throw Diagnostic("\(key)= takes a whole number", at: value.range)
        }
        guard Int(x) >= minimum else {
            throw Diagnostic("\(key) must be at least \(minimum), got \(Int(x))", at: value.range)
        }
        return Int(x)
    }

    /// A word option from `choices`; nil when absent.
    func word(_ key: String, from choices: [String]) throws(Diagnostic) -> Located<String>? {
        guard let value = values[key] else { return nil }
        guard case .word(let w) = value.value, choices.contains(w) else {
            let found: String
            switch value.value {
            case .word(let w), .string(let w): found = w
            case .number(let x): found = NumberFormat.short(x)
            }
            var suggestion: String? = nil
            if case .word(let w) = value.value { suggestion = Suggestions.didYouMean(w, in: choices) }
            throw Diagnostic("\(key)= takes \(choices.joined(separator: " or ")), not '\(found)'", at: value.range,
                             suggestion: suggestion)
        }
        return Located(w, at: value.range)
    }

    /// Fails naming `key` and an example when it is absent.
    func require(_ key: String, for what: String, example: String, at range: SourceRange) throws(Diagnostic) {
        if values[key] == nil {
            throw Diagnostic("\(what) needs \(key)=…", at: range, suggestion: "e.g. '\(example)'")
        }
    }
}

extension Parser {
    /// Reads `key=value` pairs to the end of the line (or until a token that is not one).
    mutating func options(allowed: [String], for command: String) throws(Diagnostic) -> Options {
        var options = Options()
        while let key = current.identifier, peekKind(1) == .equals {
            let keyToken = advance()
            guard allowed.contains(key) else {
                let list = allowed.isEmpty ? "no options" : allowed.map { "\($0)=" }.joined(separator: ", ")
                throw Diagnostic("\(command) has no option '\(key)='", at: keyToken.range,
                                 suggestion: Suggestions.didYouMean(key, in: allowed).map { $0 } ?? "it takes \(list)")
            }
            if options.values[key] != nil {
                throw Diagnostic("\(key)= is given twice", at: keyToken.range)
            }
            advance()  // =
            let valueToken = current
            let value: Located<Options.Value>
            switch valueToken.kind {
            case .number, .minus:
                let n = try number(what: "a value for \(key)=")
                value = Located(.number(n.value), at: n.range)
            case .identifier(let w):
                advance()
                value = Located(.word(w), at: valueToken.range)
            case .string(let text):
                advance()
                value = Located(.string(text), at: valueToken.range)
            default:
                throw Diagnostic("expected a value after '\(key)=', found \(valueToken.quoted)", at: valueToken.range)
            }
            options.values[key] = value
            options.keyRanges[key] = keyToken.range
        }
        if let stray = current.identifier, !atEnd, allowed.contains(stray) {
            throw Diagnostic("'\(stray)' needs a value", at: current.range, suggestion: "write \(stray)=…")
        }
        return options
    }
}
