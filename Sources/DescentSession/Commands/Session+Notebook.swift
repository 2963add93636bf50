import DescentCore
import DescentLanguage
import Foundation

/// `history`, `rerun`, `save`, `run`, `export`: the session as a notebook of cells.
extension Session {
    func runHistory(into output: inout Output) {
        if notebook.cells.isEmpty {
            output.append(.note("no cells yet"))
            return
        }
        for (i, cell) in notebook.cells.enumerated() {
            output.append(.text(String(format: "%4d  ", i + 1) + cell.source + (cell.succeeded ? "" : "    # failed")))
        }
    }

    mutating func runRerun(_ n: Int, into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        guard n <= notebook.cells.count else {
            throw Diagnostic("there is no cell \(n); the session has \(notebook.cells.count)", suggestion: "'history' lists them")
        }
        let source = notebook.cells[n - 1].source
        if case .rerun? = (try? Parser.parse(source)) ?? nil {
            throw Diagnostic("cell \(n) is itself a rerun (\(source)); rerun the cell it names instead")
        }
        var result = Output(precision: precision)
        let command: Command
        let before: Workbench
        do {
            guard let parsed = try Parser.parse(source) else { return }
            command = parsed
            before = bench.startCell(running: command)
            output.append(.note("[\(n)] \(source)"))
            try execute(command, source: source, into: &result, shouldStop: shouldStop)
            result.precision = precision
            output.append(contentsOf: result)
        } catch {
            // The error is about cell n's text, not about this line: no caret here.
            throw Diagnostic("cell \(n) (\(source)) fails: \(error.fullMessage)")
        }
        // Kept as the cell it reran (an export or a replay redoes that text).
        var cell = Cell(source: Session.recordedSource(source, command, result), succeeded: true, output: result)
        cell.effects = CellEffects(before: before, after: bench, command: command, shown: Session.shownValue(command, result))
        notebook.cells.append(cell)
    }

    /// The session's cells as a script (see `Notebook.script`).
    public var script: String { notebook.script }

    func runSave(_ path: String, into output: inout Output) throws(Diagnostic) {
        try AtomicFile.write(Data(script.utf8), to: url(for: path))
        output.append(.note("saved \(counted(notebook.cells.count, "cell")) to \(path)"))
    }

    mutating func runScript(_ path: String, into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        let target = url(for: path).standardizedFileURL
        if notebook.runStack.contains(target) {
            throw Diagnostic("\(path) is already running (a script cannot run itself)")
        }
        let text = try FileText.read(target, what: "script", shownAs: path)
        let saved = notebook
        notebook.runStack.append(target)
        notebook.baseDirectory = target.deletingLastPathComponent()
        var inner = self
        let showNow = environment.showNow
        let error = ScriptRunner.run(text, file: path, in: &inner, shouldStop: shouldStop) { event in
            var piece = Output(precision: event.output.precision)
            if let source = event.source { piece.append(.text("> " + source)) }
            piece.append(contentsOf: event.output)
            showNow?(piece)
            output.append(contentsOf: piece)
        }
        if showNow != nil { output.alreadyShown = output.blocks.count }
        if let error {
            // What ran was shown as it ran; none of it is kept, which the message says when
            // something had run (steps shown and then undone would mislead).
            let undone = error.message == "interrupted" || !output.blocks.isEmpty ? "; nothing the script did is kept (run is all or nothing)" : ""
            var wrapped = Diagnostic("\(error.locationPrefix)\(error.fullMessage)\(undone)")
            wrapped.suggestion = nil
            throw wrapped
        }
        self = inner
        notebook = saved  // the script's lines are one cell here: this `run`
        output.precision = precision
    }

    func runExport(_ path: String, into output: inout Output) throws(Diagnostic) {
        let target = url(for: path)
        guard let writer = environment.notebookWriter else {
            throw Diagnostic("export is not available here: this program was started without a notebook writer")
        }
        let ext = target.pathExtension.lowercased()
        guard writer.extensions.contains(ext) else {
            let names = writer.extensions.map { "." + $0 }
            let list = names.dropLast().joined(separator: ", ") + (names.count > 1 ? " or " : "") + (names.last ?? "")
            throw Diagnostic("export writes \(list), not '\(target.pathExtension.isEmpty ? path : "." + target.pathExtension)'",
                             suggestion: "e.g. export \"\((path as NSString).deletingPathExtension).\(writer.extensions.first ?? "ipynb")\"")
        }
        let cells = notebook.cells
        guard !cells.isEmpty else { throw Diagnostic("there is nothing to export yet: the session has no cells") }
        let remark = try writer.write(self, to: target)
        if ext == "py" {
            let name = (path as NSString).lastPathComponent
            let command = "python " + (name.allSatisfy { $0.isLetter || $0.isNumber || "._-+".contains($0) } ? name : "\"\(name)\"")
            output.append(.note("exported \(counted(cells.count, "cell")) to \(path) as a PyTorch script: '\(command)' redoes them with torch (float64) and checks every value" + (remark.map { " (\($0))" } ?? "")))
            return
        }
        let charts = cells.compactMap(\.output).flatMap(\.blocks).filter { if case .chart = $0 { true } else { false } }.count
        output.append(.note("exported \(counted(cells.count, "cell"))" + (charts > 0 ? " and \(counted(charts, "chart"))" : "") + " to \(path)"))
    }
}
