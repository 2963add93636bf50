/// `lesson`, `help`, `limit` (the other notebook commands take a path or a count; see
/// `Parser.command`).
extension Parser {
    /// `limit` (show both), `limit memory N KB|MB|GB` or `limit history N KB|MB|GB`.
    mutating func parseLimit() throws(Diagnostic) -> Command {
        if atEnd { return .showLimits }
        let kind = try word(from: ["memory", "history"], what: "limit", example: "limit memory 2 GB")
        if atEnd { return kind.value == "memory" ? .limitMemory(bytes: nil) : .limitHistory(bytes: nil) }
        let amount = try number(what: "an amount of memory, e.g. \(kind.value == "memory" ? "2 GB" : "64 MB")")
        let units = ["KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30]
        let unit = try word(from: ["KB", "MB", "GB"], what: "unit", example: "limit \(kind.value) \(kind.value == "memory" ? "512" : "64") MB")
        let bytes = amount.value * Double(units[unit.value]!)
        if kind.value == "history" {
            guard bytes >= 0, bytes < 1e15 else {
                throw Diagnostic("a history limit is between 0 and 900 TB", at: amount.range.through(unit.range))
            }
            return .limitHistory(bytes: Int(bytes))
        }
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
