/// `lesson`, `help`, `limit` (the other notebook commands take a path or a count; see
/// `Parser.command`).
extension Parser {
    /// `limit` (show) or `limit memory N KB|MB|GB`.
    mutating func parseLimit() throws(Diagnostic) -> Command {
        if atEnd { return .limitMemory(bytes: nil) }
        _ = try word(from: ["memory"], what: "limit", example: "limit memory 2 GB")
        if atEnd { return .limitMemory(bytes: nil) }
        let amount = try number(what: "an amount of memory, e.g. 2 GB")
        let units = ["KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30]
        let unit = try word(from: ["KB", "MB", "GB"], what: "unit", example: "limit memory 512 MB")
        let bytes = amount.value * Double(units[unit.value]!)
        guard bytes >= Double(1 << 20), bytes < 1e15 else {
            throw Diagnostic("a memory limit is between 1 MB and 900 TB", at: amount.range.through(unit.range))
        }
        return .limitMemory(bytes: Int(bytes))
    }

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
