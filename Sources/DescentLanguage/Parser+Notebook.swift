/// `lesson`, `help` (the other notebook commands take a path or a count; see `Parser.command`).
extension Parser {
    mutating func parseLesson() throws(Diagnostic) -> Command {
        if current.identifier == "off" {
            advance()
            return .lessonOff
        }
        guard current.number != nil else {
            throw Diagnostic("lesson needs a number or 'off'", at: current.range, suggestion: "type 'lessons' to see them")
        }
        return .lesson(try integer(what: "a lesson number", minimum: 1))
    }

    mutating func parseHelp() throws(Diagnostic) -> Command {
        guard let word = current.identifier else {
            if atEnd { return .help(topic: nil) }
            throw Diagnostic("help takes a command name, found \(current.quoted)", at: current.range, suggestion: "e.g. 'help step'")
        }
        let token = advance()
        guard CommandCatalog.entry(named: word) != nil || CommandCatalog.topics.contains(word) else {
            throw Diagnostic("no help for '\(word)'", at: token.range,
                             suggestion: Suggestions.didYouMean(word, in: CommandCatalog.names + CommandCatalog.topics)
                                ?? "type 'help' for the list of commands")
        }
        return .help(topic: word)
    }
}
