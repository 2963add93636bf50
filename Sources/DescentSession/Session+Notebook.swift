import DescentCore
import DescentLanguage
import Foundation

/// `history`, `rerun`, `save`, `run`, `export`, `help`.
extension Session {
    func runHistory(into output: inout Output) {
        if cells.isEmpty {
            output.append(.note("no cells yet"))
            return
        }
        for (i, cell) in cells.enumerated() {
            output.append(.text(String(format: "%4d  ", i + 1) + cell.source + (cell.succeeded ? "" : "    # failed")))
        }
    }

    mutating func runRerun(_ n: Int, into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        guard n <= cells.count else {
            throw Diagnostic("there is no cell \(n); the session has \(cells.count)", suggestion: "'history' lists them")
        }
        let source = cells[n - 1].source
        var rerunOutput: Output?
        if (try? Parser.parse(source)).flatMap({ $0 }).map({ if case .rerun = $0 { true } else { false } }) == true {
            throw Diagnostic("cell \(n) is itself a rerun (\(source)); rerun the cell it names instead")
        }
        do {
            guard let command = try Parser.parse(source) else { return }
            output.append(.note("[\(n)] \(source)"))
            var result = Output(precision: precision)
            try execute(command, source: source, into: &result, shouldStop: shouldStop)
            result.precision = precision
            output.append(contentsOf: result)
            rerunOutput = result
        } catch {
            // The error is about cell n's text, not about this line: no caret here.
            throw Diagnostic("cell \(n) (\(source)) fails: \(error.fullMessage)")
        }
        cells.append(Cell(source: source, succeeded: true, output: rerunOutput))
    }

    /// The session's cells as a script: failed cells are kept as comments so nothing typed is lost.
    public var script: String {
        var lines = ["# Descent session: replay with 'descent run FILE' or 'run \"FILE\"'"]
        for cell in cells {
            lines.append(cell.succeeded ? cell.source : "# failed: \(cell.source)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func runSave(_ path: String, into output: inout Output) throws(Diagnostic) {
        let target = url(for: path)
        try AtomicFile.write(Data(script.utf8), to: target)
        output.append(.note("saved \(cells.count) cell\(cells.count == 1 ? "" : "s") to \(path)"))
    }

    mutating func runScript(_ path: String, into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        let target = url(for: path).standardizedFileURL
        if runStack.contains(target) {
            throw Diagnostic("\(path) is already running (a script cannot run itself)")
        }
        let text = try FileText.read(target, what: "script", shownAs: path)
        let savedBase = baseDirectory
        let savedCells = cells
        runStack.append(target)
        baseDirectory = target.deletingLastPathComponent()
        var inner = self
        let error = ScriptRunner.run(text, file: path, in: &inner, shouldStop: shouldStop) { event in
            if let source = event.source { output.append(.text("> " + source)) }
            output.append(contentsOf: event.output)
        }
        if let error {
            var wrapped = Diagnostic("\(error.locationPrefix)\(error.fullMessage)")
            wrapped.suggestion = nil
            throw wrapped
        }
        self = inner
        baseDirectory = savedBase
        runStack.removeLast()
        cells = savedCells  // the script's lines are one cell here: this `run`
        output.precision = precision
    }


    /// Help is prose: wrapped to 78 columns, so it reads in any terminal (the command list
    /// with its summaries in a hanging column).
    func runHelp(_ topic: String?, into output: inout Output) {
        let wrapper = TerminalRenderer(width: 78)
        func add(_ text: String, indent: String = "") {
            for line in wrapper.wrap(text, width: 78, indent: indent) { output.append(.text(line)) }
        }
        guard let topic else {
            output.append(.heading("Commands (help COMMAND explains one; help expressions for EXPR)"))
            for group in CommandCatalog.groups {
                output.append(.text(""))
                output.append(.text(group))
                for entry in CommandCatalog.entries where entry.group == group {
                    let lines = wrapper.wrap(entry.summary, width: 78 - 13)
                    for (i, line) in lines.enumerated() {
                        let lead = i == 0 ? "  " + entry.name.padding(toLength: 11, withPad: " ", startingAt: 0) : String(repeating: " ", count: 13)
                        output.append(.text(lead + line))
                    }
                }
            }
            return
        }
        if topic == "expressions" {
            for line in CommandCatalog.expressionHelp { output.append(.text(line)) }
            return
        }
        guard let entry = CommandCatalog.entry(named: topic) else { return }
        for line in wrapper.wrap(entry.usage, width: 78, indent: "  ") { output.append(.heading(line)) }
        add(entry.summary)
        for line in entry.details { add(line, indent: "  ") }
        output.append(.text("example:  \(entry.example)"))
    }
}

/// Writes a file so that it is either the old file or the whole new one: a temporary file in
/// the same folder, then a rename over the target.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws(Diagnostic) {
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Diagnostic("cannot write \(url.path): the folder \(folder.path) does not exist")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw Diagnostic("cannot write in \(folder.path): permission denied or the disk is full")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Diagnostic("cannot write \(url.path): \(reason)")
        }
    }
}
