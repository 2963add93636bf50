// Parser: command dispatch and the token helpers every Parser+… file uses.
import DescentCore

/// Parses one command line into a `Command`. Recursive descent over the tokens of `Lexer`;
/// each command's grammar lives in a `Parser+…` file named after its group.
public struct Parser {
    var tokens: [Token]
    var index = 0
    /// The line being parsed, for suggestions that quote part of it.
    var source = ""

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// The command on `line`, or nil for a blank or comment-only line.
    public static func parse(_ line: String) throws(Diagnostic) -> Command? {
        let tokens = try Lexer.tokenize(line)
        if tokens.first?.kind == .end { return nil }
        var parser = Parser(tokens: tokens)
        parser.source = line
        let command = try parser.command()
        try parser.expectEnd()
        return command
    }

    // MARK: - Dispatch

    mutating func command() throws(Diagnostic) -> Command {
        let word = advance()
        guard let name = word.identifier else {
            throw Diagnostic("a command starts with a word, not \(word.quoted)", at: word.range,
                             suggestion: habitHint(for: word) ?? "type 'help' for the list of commands")
        }
        switch name {
        case "let": return try parseLet()
        case "data": return try parseData()
        case "split": return try parseSplit()
        case "scale": return try parseScale()
        case "net": return try parseNet()
        case "init": return try parseInit()
        case "seed": return try parseSeed()
        case "loss": return try parseLoss()
        case "set": return try parseSet()
        case "optimizer": return try parseOptimizer()
        case "schedule": return try parseSchedule()
        case "clip": return try parseClip()
        case "l2": return try parseL2()
        case "step": return try parseStep()
        case "epoch": return try parseEpoch()
        case "train": return try parseTrain()
        case "back": return try parseBack()
        case "reset": return .reset
        case "show": return try parseShow()
        case "predict": return .predict(try expression())
        case "plot": return try parsePlot()
        case "watch": return try parseWatch()
        case "precision": return try parsePrecision()
        case "threads": return try parseThreads()
        case "limit": return try parseLimit()
        case "gradcheck": return .gradcheck
        case "explain": return try parseExplain()
        case "expect": return .expect(try expectation(allowing: ["tol"]).expectation)
        case "history": return .history
        case "rerun": return try parseRerun()
        case "save": return try parseSave()
        case "run": return try parseRun()
        case "export": return try parseExport()
        case "lessons":
            guard let language = try lessonLanguage(for: "lessons") else { return .lessons }
            return .lessonsIn(language)
        case "lesson": return try parseLesson()
        case "next": return .next
        case "help": return try parseHelp()
        case "quit", "exit":
            if current.kind == .leftParen {
                throw Diagnostic("\(name) takes no brackets", at: current.range, suggestion: "write '\(name)' (or press Ctrl-D)")
            }
            return .quit
        default:
            throw Diagnostic("unknown command '\(name)'", at: word.range,
                             suggestion: Suggestions.didYouMean(name, in: CommandCatalog.names) ?? habitHint(for: word)
                                ?? "type 'help' for the list of commands")
        }
    }

    // MARK: - Token helpers

    var current: Token { tokens[index] }

    func peekKind(_ offset: Int = 0) -> TokenKind {
        index + offset < tokens.count ? tokens[index + offset].kind : .end
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if token.kind != .end { index += 1 }
        return token
    }

    var atEnd: Bool { current.kind == .end }

    mutating func match(_ kind: TokenKind) -> Bool {
        if current.kind == kind {
            advance()
            return true
        }
        return false
    }

    mutating func expect(_ kind: TokenKind, _ description: String, suggestion: String? = nil) throws(Diagnostic) -> Token {
        guard current.kind == kind else {
            throw Diagnostic("expected \(description), found \(current.quoted)", at: current.range, suggestion: suggestion)
        }
        return advance()
    }

    mutating func expectEnd() throws(Diagnostic) {
        guard atEnd else {
            if current.kind == .comma, index > 0, tokens[index - 1].number != nil, peekKind(1) != .end,
               case .number = peekKind(1) {
                throw Diagnostic("unexpected ',' after the command", at: current.range,
                                 suggestion: "numbers are written without thousands separators, e.g. 1000")
            }
            if current.kind == .leftBracket, index > 0,
               tokens[index - 1].identifier != nil || [.rightParen, .rightBracket].contains(tokens[index - 1].kind) {
                throw Diagnostic("expressions have no indexing ('[' after a value)", at: current.range,
                                 suggestion: "'show NAME' prints the whole matrix; rows(NAME) and cols(NAME) give its size")
            }
            let last = tokens[tokens.count - 1].range
            let extra = current.range.through(SourceRange(column: last.column - 1, length: 1))
            throw Diagnostic("unexpected \(current.quoted) after the command", at: extra.length > 0 ? extra : current.range,
                             suggestion: "one command per line; see 'help'")
        }
    }

    /// A word from `choices`; anything else is an error naming them all.
    mutating func word(from choices: [String], what: String, example: String? = nil) throws(Diagnostic) -> Located<String> {
        let token = current
        guard let name = token.identifier else {
            let list = choices.joined(separator: ", ")
            throw Diagnostic("expected \(what) (\(list)), found \(token.quoted)", at: token.range,
                             suggestion: example.map { "e.g. '\($0)'" })
        }
        guard choices.contains(name) else {
            throw Diagnostic("unknown \(what) '\(name)'", at: token.range,
                             suggestion: Suggestions.didYouMean(name, in: choices) ?? "expected one of: \(choices.joined(separator: ", "))")
        }
        advance()
        return Located(name, at: token.range)
    }

    /// A number, possibly negative.
    mutating func number(what: String) throws(Diagnostic) -> Located<Double> {
        let start = current.range
        let negative = match(.minus)
        guard let value = current.number else {
            throw Diagnostic("expected \(what), found \(current.quoted)", at: current.range)
        }
        let token = advance()
        return Located(negative ? -value : value, at: negative ? start.through(token.range) : token.range)
    }

    /// The most steps, epochs or cells one command may count (about a week of tiny steps).
    static let maxCount = 1_000_000_000

    mutating func integer(what: String, minimum: Int, maximum: Int = Int.max) throws(Diagnostic) -> Int {
        let n = try number(what: what)
        guard n.value == n.value.rounded(), abs(n.value) < 1e15 else {
            throw Diagnostic("expected \(what), a whole number, found '\(NumberFormat.short(n.value))'", at: n.range)
        }
        let value = Int(n.value)
        guard value >= minimum else {
            throw Diagnostic("\(what) must be at least \(minimum), got \(value)", at: n.range)
        }
        guard value <= maximum else {
            throw Diagnostic("\(what) must be at most \(maximum), got \(value)", at: n.range)
        }
        return value
    }

    /// `step`, `step 10`: a count that defaults to 1.
    mutating func optionalCount(of what: String) throws(Diagnostic) -> Int {
        if atEnd { return 1 }
        return try integer(what: what, minimum: 1, maximum: Parser.maxCount)
    }

    mutating func path(for command: String, example: String) throws(Diagnostic) -> String {
        let token = current
        if case .string(let path) = token.kind {
            advance()
            guard !path.isEmpty else { throw Diagnostic("the file name is empty", at: token.range) }
            return path
        }
        if token.kind == .end {
            throw Diagnostic("\(command) needs a file name in double quotes", at: token.range, suggestion: "e.g. '\(example)'")
        }
        throw Diagnostic("\(command) needs a file name in double quotes, found \(token.quoted)", at: token.range,
                         suggestion: "e.g. '\(example)'")
    }
}
