/// `train` (`step`, `epoch`, `back` and `reset` take at most a count; see `Parser.command`).
extension Parser {
    mutating func parseTrain() throws(Diagnostic) -> Command {
        if current.identifier == "until" {
            let untilToken = advance()
            if atEnd {
                throw Diagnostic("train until needs a condition", at: current.range, suggestion: "e.g. 'train until loss < 1e-6'")
            }
            let (condition, options) = try expectation(allowing: ["tol", "max"])
            let max = try options.integer("max", minimum: 1) ?? 100_000
            if max > Parser.maxCount {
                throw Diagnostic("max must be at most \(Parser.maxCount), got \(max)", at: options.values["max"]!.range)
            }
            _ = untilToken
            return .train(.until(condition, max: max))
        }
        guard current.number != nil else {
            throw Diagnostic("train needs a number of steps or 'until'", at: current.range,
                             suggestion: "e.g. 'train 100' or 'train until loss < 1e-6'")
        }
        return .train(.steps(try integer(what: "the number of steps", minimum: 1, maximum: Parser.maxCount)))
    }
}
