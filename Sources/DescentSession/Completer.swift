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

    /// W1, b1 (and dW1, db1 once a step made them) for each layer of the net.
    public var parameterNames: [String]
    /// A1, Z1, … for each layer of the net.
    public var layerOutputNames: [String]
    public var variableNames: [String]

    public init(session: Session) {
        if let state = session.training {
            let depth = state.network.depth
            parameterNames = BuiltinNames.layerNames(layers: depth, gradients: state.gradients != nil, outputs: false)
            layerOutputNames = BuiltinNames.layerNames(layers: depth, gradients: false, outputs: true).filter { LayerOutputName($0) != nil }
        } else {
            parameterNames = []
            layerOutputNames = []
        }
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
            candidates += parameterNames + layerOutputNames + variableNames + BuiltinNames.sessionValues + BuiltinNames.dataNames
            candidates += FunctionCatalog.allNames.sorted()
        }
        var seen = Set<String>()
        let unique = candidates.filter { seen.insert($0).inserted }
        return .words(unique.filter { $0.hasPrefix(word) && $0 != word })
    }
}
