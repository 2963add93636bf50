import DescentLanguage
import Foundation

/// What Tab offers for the word under the cursor: command words first, then the keywords of
/// the command being typed, parameter and variable names that exist in the session, and file
/// names where a file is expected.
public struct Completer: Sendable {
    public enum Result: Equatable, Sendable {
        case words([String])
    }

    /// W1, b1 (and dW1, db1 once a step made them) for each layer of the net; `explain`
    /// takes these.
    public var parameterNames: [String]
    /// Batch norm's scale1, shift1, runmean1, runvar1 (and dscale1, dshift1): shown, not explained.
    public var batchNormNames: [String]
    /// A1, Z1, … for each layer of the net.
    public var layerOutputNames: [String]
    public var variableNames: [String]
    /// X and y (once data is loaded), Xtest, ytest and testlosses (once a split holds rows out).
    public var dataNames: [String]
    /// Where relative file names are looked up (the session's folder).
    public var directory: URL

    public init(session: Session) {
        directory = session.notebook.baseDirectory
        if let state = session.training {
            let depth = state.network.depth
            // A nobias layer has no b (nor db) to show.
            let noBias = Set(state.network.layers.indices.filter { !state.network.layers[$0].hasBias }.flatMap { ["b\($0 + 1)", "db\($0 + 1)"] })
            parameterNames = BuiltinNames.layerNames(layers: depth, gradients: state.gradients != nil, outputs: false).filter { !noBias.contains($0) }
            // Batch norm's own parameters and running statistics, layer by layer.
            batchNormNames = []
            for (l, layer) in state.network.layers.enumerated() where layer.batchNorm != nil {
                batchNormNames += ["scale", "shift", "runmean", "runvar"].map { "\($0)\(l + 1)" }
                if state.gradients != nil { batchNormNames += ["dscale\(l + 1)", "dshift\(l + 1)"] }
            }
            layerOutputNames = (session.bench.data == nil ? [] : ["A0"])
                + BuiltinNames.layerNames(layers: depth, gradients: false, outputs: true).filter { LayerOutputName($0) != nil }
            if state.gradients != nil { layerOutputNames += (1...depth).map { "delta\($0)" } }
        } else {
            parameterNames = []
            batchNormNames = []
            layerOutputNames = []
        }
        variableNames = session.variables.keys.sorted()
        dataNames = (session.bench.data == nil ? [] : ["X", "y"]) + (session.bench.split == nil ? [] : ["Xtest", "ytest", "testlosses"])
    }

    /// `before` is the text of the line before the word being completed.
    public func complete(word: String, before: String) -> Result {
        let previous = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let command = previous.first else {
            return .words(CommandCatalog.names.filter { $0.hasPrefix(word) })
        }
        if ["run", "save", "export"].contains(command) || (command == "data" && previous.count >= 2 && previous[1] == "load") {
            return .words(fileNames(completing: word, quoted: before.filter { $0 == "\"" }.count % 2 == 1))
        }
        var candidates: [String] = []
        if let entry = CommandCatalog.entry(named: command) { candidates += entry.keywords }
        if command == "lesson" {  // 'keep' only after 'off', and 'off' only once
            candidates = previous.last == "off" ? ["keep"] : previous.contains("off") ? [] : candidates.filter { $0 != "keep" }
        }
        switch command {
        case "net", "init", "loss", "optimizer", "schedule", "clip", "watch", "data", "lesson", "seed", "precision",
             "step", "epoch", "back", "rerun", "plot", "threads", "limit", "l2":
            break  // only the command's own keywords
        case "explain":
            candidates += parameterNames
        case "help":
            candidates += CommandCatalog.names + CommandCatalog.topics
        default:
            candidates += parameterNames + batchNormNames + layerOutputNames + variableNames + BuiltinNames.sessionValues.filter { $0 != "testlosses" } + dataNames
            candidates += FunctionCatalog.allNames.sorted()
        }
        var seen = Set<String>()
        let unique = candidates.filter { seen.insert($0).inserted }
        return .words(unique.filter { $0.hasPrefix(word) && $0 != word })
    }

    /// Files and folders that complete `word` (a path, relative to `directory` unless it
    /// starts with / or ~). A folder ends with "/" so that Tab goes on into it; a file is
    /// closed with its quote. Without an opening quote the quotes are added, since the
    /// commands take quoted names.
    func fileNames(completing word: String, quoted: Bool) -> [String] {
        let slash = word.lastIndex(of: "/")
        let folderPart = slash.map { String(word[...$0]) } ?? ""
        let prefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
        let expanded = (folderPart as NSString).expandingTildeInPath + (folderPart.hasSuffix("/") && folderPart != "/" ? "/" : "")
        let folder = folderPart.isEmpty ? directory
            : expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : directory.appendingPathComponent(folderPart)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let open = quoted ? "" : "\""
        return names.filter { $0.hasPrefix(prefix) && (!$0.hasPrefix(".") || prefix.hasPrefix(".")) }.sorted().map { name in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder)
            return open + folderPart + name + (isFolder.boolValue ? "/" : "\"")
        }
    }
}
