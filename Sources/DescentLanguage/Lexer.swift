// The lexer: one line of input → tokens, reading pasted Unicode look-alikes as what they mean.
import Foundation

/// Turns one line of input into tokens. `#` starts a comment that runs to the end of the line.
///
/// A few Unicode look-alikes that text pasted from papers and slides is full of are read as
/// what they clearly mean: `−` (minus sign) as `-`, `→` as `->`, `×` as `*`, `≤ ≥ ≈` as
/// `<= >= ~=`, and curly quotes as `"`.
public struct Lexer {
    private let chars: [Character]
    private var index = 0

    public init(_ line: String) {
        chars = Array(line)
    }

    /// The longest line Descent reads (a 256×256 literal fits with room to spare); longer
    /// input is refused before it is scanned.
    public static let maxLineLength = 1_000_000

    public static func tokenize(_ line: String) throws(Diagnostic) -> [Token] {
        let length = line.utf8.count
        if length > maxLineLength {
            throw Diagnostic("this line is \(length) bytes long; Descent reads lines of at most \(maxLineLength)",
                             suggestion: "load large data from a file with 'data load \"file.csv\"'")
        }
        var lexer = Lexer(line)
        return try lexer.tokens()
    }

    public mutating func tokens() throws(Diagnostic) -> [Token] {
        var result: [Token] = []
        while true {
            let token = try nextToken()
            result.append(token)
            if token.kind == .end { return result }
        }
    }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    private func range(from start: Int) -> SourceRange { SourceRange(column: start + 1, length: index - start) }

    private func text(from start: Int) -> String { String(chars[start..<index]) }

    private mutating func nextToken() throws(Diagnostic) -> Token {
        // Spaces, tabs, line ends, and the no-break and other Unicode spaces pasted text brings.
        while let c = peek(), c == " " || c == "\t" || c == "\r" || c == "\n" || (c.isWhitespace && !c.isNewline) { index += 1 }
        let start = index
        guard let c = peek(), c != "#" else {
            return Token(.end, text: "", range: SourceRange(column: index + 1, length: 1))
        }
        func single(_ kind: TokenKind) -> Token {
            index += 1
            return Token(kind, text: String(c), range: range(from: start))
        }
        func double(_ kind: TokenKind) -> Token {
            index += 2
            return Token(kind, text: text(from: start), range: range(from: start))
        }
        switch c {
        case "[": return single(.leftBracket)
        case "]": return single(.rightBracket)
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case ",": return single(.comma)
        case "+": return single(.plus)
        case "*", "×": return single(.star)
        case "/": return single(.slash)
        case "@": return single(.at)
        case "^": return single(.caret)
        case "→": return single(.arrow)
        case "−": return single(.minus)
        case "≤": return single(.lessEqual)
        case "≥": return single(.greaterEqual)
        case "≈": return single(.approxEqual)
        case "-": return peek(1) == ">" ? double(.arrow) : single(.minus)
        case "<": return peek(1) == "=" ? double(.lessEqual) : single(.less)
        case ">": return peek(1) == "=" ? double(.greaterEqual) : single(.greater)
        case "=": return peek(1) == "=" ? double(.equalEqual) : single(.equals)
        case "~":
            if peek(1) == "=" { return double(.approxEqual) }
            throw Diagnostic("'~' on its own means nothing here", at: SourceRange(column: start + 1, length: 1),
                             suggestion: "did you mean '~=' (approximately equal)?")
        case "!":
            throw Diagnostic("there is no '!' operator", at: SourceRange(column: start + 1, length: peek(1) == "=" ? 2 : 1),
                             suggestion: "write the comparison the other way round, e.g. 'expect a > b'")
        case "\"", "“", "”": return try string()
        case "'", "‘", "’":
            throw Diagnostic("strings take double quotes", at: SourceRange(column: start + 1, length: 1),
                             suggestion: "write \"file.descent\"")
        default:
            if c.isASCII && (c.isNumber || (c == "." && peek(1)?.isASCIINumber == true)) { return try number() }
            if c.isASCII && (c.isLetter || c == "_") { return identifier() }
            throw Lexer.unexpected(c, at: start)
        }
    }

    /// Full-width punctuation (what a Chinese or Japanese input method types) and its ASCII.
    private static let fullWidth: [Character: String] = [
        "，": ",", "（": "(", "）": ")", "［": "[", "］": "]", "＝": "=", "．": ".", "。": ".", "：": ":",
        "；": ";", "＋": "+", "－": "-", "＊": "*", "／": "/", "＜": "<", "＞": ">", "＂": "\"", "＃": "#", "　": " ",
    ]

    /// The error for a character no token starts with, with a hint for the look-alikes that
    /// pasted text and other keyboards bring (÷, ·, –, full-width digits, …).
    private static func unexpected(_ c: Character, at start: Int) -> Diagnostic {
        let value = c.unicodeScalars.first?.value ?? 0
        let code = "U+" + String(format: "%04X", value)
        if c.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            return Diagnostic("unexpected control character \(code)", at: SourceRange(column: start + 1, length: 1),
                              suggestion: "delete it; it may have come in with pasted text")
        }
        if c.isLetter {
            return Diagnostic("names are written in ASCII letters, digits and _; '\(c)' (\(code)) is not one", at: SourceRange(column: start + 1, length: 1),
                              suggestion: "e.g. 'let weights = …'")
        }
        if let ascii = fullWidth[c] {
            return Diagnostic("unexpected character '\(c)' (\(code))", at: SourceRange(column: start + 1, length: 1),
                              suggestion: "did you mean '\(ascii)'? (this is the full-width form)")
        }
        let hint: String? = switch c {
        case "÷": "did you mean '/'?"
        case "·", "∙", "⋅": "did you mean '*' (or '@' for the matrix product)?"
        case "–", "—": "did you mean '-'?"
        case "≠": "there is no '!=' either; compare the other way round, e.g. 'expect a > b'"
        case "⨯", "✕", "✖": "did you mean '*'?"
        default:
            // Full-width digits (０-９) and the like: say which digit.
            if let digit = c.unicodeScalars.first?.properties.numericType, digit == .decimal,
               let v = c.wholeNumberValue { "did you mean '\(v)'? (this is a full-width or non-Latin digit)" } else { nil }
        }
        return Diagnostic("unexpected character '\(c)' (\(code))", at: SourceRange(column: start + 1, length: 1), suggestion: hint)
    }

    private mutating func identifier() -> Token {
        let start = index
        // A dot followed by a letter or digit stays in the word, so that an unquoted file name
        // (`run file.descent`) reaches the parser whole and gets the "use quotes" error.
        while let c = peek(), c.isASCII && (c.isLetter || c.isNumber || c == "_" || (c == "." && peek(1).map { $0.isASCII && ($0.isLetter || $0.isNumber) } == true)) {
            index += 1
        }
        let name = text(from: start)
        return Token(.identifier(name), text: name, range: range(from: start))
    }

    private mutating func number() throws(Diagnostic) -> Token {
        let start = index
        while peek()?.isASCIINumber == true { index += 1 }
        if peek() == "." {
            index += 1
            while peek()?.isASCIINumber == true { index += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            let save = index
            index += 1
            if let sign = peek(), sign == "+" || sign == "-" || sign == "−" { index += 1 }
            if peek()?.isASCIINumber == true {
                while peek()?.isASCIINumber == true { index += 1 }
            } else {
                index = save
            }
        }
        // Glued letters, digits or dots make the whole word a malformed number: "1.2.3", "3x".
        var end = index
        while end < chars.count, chars[end].isASCII, chars[end].isLetter || chars[end].isNumber || chars[end] == "." || chars[end] == "_" { end += 1 }
        if end > index {
            index = end
            throw Diagnostic("malformed number '\(text(from: start))'", at: range(from: start))
        }
        let written = text(from: start).replacingOccurrences(of: "−", with: "-")
        guard let value = Double(written) else {
            throw Diagnostic("malformed number '\(written)'", at: range(from: start))
        }
        if !value.isFinite {
            throw Diagnostic("number '\(written)' is too large for a Double (the largest is about 1.8e308)", at: range(from: start))
        }
        return Token(.number(value), text: text(from: start), range: range(from: start))
    }

    private mutating func string() throws(Diagnostic) -> Token {
        let start = index
        index += 1
        var value = ""
        while let c = peek() {
            if c == "\"" || c == "”" || c == "“" {
                index += 1
                return Token(.string(value), text: text(from: start), range: range(from: start))
            }
            if c == "\\", let next = peek(1), next == "\"" || next == "\\" {
                value.append(next)
                index += 2
                continue
            }
            value.append(c)
            index += 1
        }
        throw Diagnostic("this string has no closing quote", at: SourceRange(column: start + 1, length: 1),
                         suggestion: "add \" at the end")
    }
}

extension Character {
    var isASCIINumber: Bool { isASCII && isNumber }
}
