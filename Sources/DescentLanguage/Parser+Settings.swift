// Parsing precision, limit and threads.

/// `precision`, `limit`, `threads`: how numbers are shown and what the session may use.
extension Parser {
    mutating func parsePrecision() throws(Diagnostic) -> Command {
        let n = try integer(what: "the number of significant digits", minimum: 1)
        guard n <= 17 else {
            throw Diagnostic("precision goes up to 17 (every digit of a Double), got \(n)", at: tokens[index - 1].range)
        }
        return .precision(n)
    }

    /// `limit` (show both), `limit memory N KB|MB|GB|TB` or `limit history N KB|MB|GB|TB`.
    mutating func parseLimit() throws(Diagnostic) -> Command {
        if atEnd { return .showLimits }
        let kind = try word(from: ["memory", "history"], what: "limit", example: "limit memory 2 GB")
        if atEnd { return kind.value == "memory" ? .limitMemory(bytes: nil) : .limitHistory(bytes: nil) }
        let amount = try number(what: "an amount of memory, e.g. \(kind.value == "memory" ? "2 GB" : "64 MB")")
        let units = ["KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40]
        let unit = try word(from: ["KB", "MB", "GB", "TB"], what: "unit", example: "limit \(kind.value) \(kind.value == "memory" ? "512" : "64") MB")
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

    mutating func parseThreads() throws(Diagnostic) -> Command {
        .threads(try integer(what: "the number of threads", minimum: 1))
    }
}
