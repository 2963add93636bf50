// Parsing step, epoch, train (its count or goal, and max=) and back.

/// `step`, `epoch`, `train`, `back` (`reset` takes nothing).
extension Parser {
    mutating func parseStep() throws(Diagnostic) -> Command {
        .step(try optionalCount(of: "the number of steps"))
    }

    mutating func parseEpoch() throws(Diagnostic) -> Command {
        .epoch(try optionalCount(of: "the number of epochs"))
    }

    mutating func parseBack() throws(Diagnostic) -> Command {
        .back(try optionalCount(of: "the number of steps to undo"))
    }

    mutating func parseTrain() throws(Diagnostic) -> Command {
        if current.identifier == "until" {
            advance()
            if atEnd {
                throw Diagnostic("train until needs a condition", at: current.range, suggestion: "e.g. 'train until loss < 1e-6'")
            }
            let (condition, options) = try expectation(allowing: ["tol", "max"])
            let max = try options.integer("max", minimum: 1) ?? 100_000
            if max > Parser.maxCount {
                throw Diagnostic("max must be at most \(Parser.maxCount), got \(max)", at: options.values["max"]!.range)
            }
            return .train(.until(condition, max: max))
        }
        guard current.number != nil else {
            throw Diagnostic("train needs a number of steps or 'until'", at: current.range,
                             suggestion: "e.g. 'train 100' or 'train until loss < 1e-6'")
        }
        return .train(.steps(try integer(what: "the number of steps", minimum: 1, maximum: Parser.maxCount)))
    }
}
