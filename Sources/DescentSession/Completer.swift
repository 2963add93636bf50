import DescentLanguage

/// What Tab offers for the word under the cursor: command words first, then the keywords of
/// the command being typed, parameter and variable names that exist in the session, and file
/// names where a file is expected.
public struct Completer: Sendable {
    public enum Result: Equatable, Sendable {
        case words([String])
        /// Let the line editor complete file names.
        case fileNames
    }

    public var parameterNames: [String]
    public var variableNames: [String]

    public init(session: Session) {
        var names: [String] = []
        if let state = session.training {
            for l in 1...state.network.depth {
                names += ["W\(l)", "b\(l)"]
                if state.gradients != nil { names += ["dW\(l)", "db\(l)"] }
            }
        }
        parameterNames = names
        variableNames = session.variables.keys.sorted()
    }

    /// `before` is the text of the line before the word being completed.
    public func complete(word: String, before: String) -> Result {
        let previous = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let command = previous.first else {
            return .words(CommandCatalog.names.filter { $0.hasPrefix(word) })
        }
        if ["run", "save", "export"].contains(command) || (command == "data" && previous.count >= 2 && previous[1] == "load") {
            return .fileNames
        }
        var candidates: [String] = []
        if let entry = CommandCatalog.entry(named: command) { candidates += entry.keywords }
        switch command {
        case "net", "init", "loss", "optimizer", "schedule", "clip", "watch", "data", "lesson", "seed", "precision",
             "step", "epoch", "back", "rerun", "plot", "threads", "limit", "l2":
            break  // only the command's own keywords
        case "explain":
            candidates += parameterNames
        case "help":
            candidates += CommandCatalog.names + CommandCatalog.topics
        default:
            candidates += parameterNames + variableNames + ["loss", "lr", "step", "X", "y"]
            candidates += FunctionCatalog.allNames.sorted()
        }
        var seen = Set<String>()
        let unique = candidates.filter { seen.insert($0).inserted }
        return .words(unique.filter { $0.hasPrefix(word) && $0 != word })
    }
}
