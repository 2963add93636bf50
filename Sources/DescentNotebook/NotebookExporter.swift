import DescentCore
import DescentLanguage
import DescentRendering
import DescentSession
import Foundation

/// Writes a session's cells as a notebook: Jupyter (nbformat 4.5), Markdown with the charts
/// as SVG files beside it, or one self-contained HTML page with the charts inline. Text output
/// is drawn by the terminal renderer (plain, 100 columns), charts by the SVG renderer.
public struct NotebookExporter {
    public enum Format: String, CaseIterable, Sendable {
        case ipynb, md, html
    }

    public var cells: [Cell]
    public var title: String
    let text = TerminalRenderer(width: 100, color: false, unicode: true)
    let svg = SVGRenderer()

    public init(cells: [Cell], title: String = "Descent session") {
        self.cells = cells
        // A lesson's title names the notebook only when the notebook starts with the lesson;
        // a lesson begun later is a section heading where it begins. A script that starts
        // with a `#> # Title` line (a lesson file run as a script) is titled by it.
        self.title = cells.first?.heading ?? title
        if cells.first?.heading == nil, let first = cells.first?.prose.first, first.hasPrefix("# ") {
            self.title = String(first.dropFirst(2))
            self.cells[0].prose = Array(cells[0].prose.dropFirst().drop { $0.trimmingCharacters(in: .whitespaces).isEmpty })
        }
    }

    /// A cell's output in pieces: runs of text, and charts.
    enum Piece: Equatable {
        case text(String)
        case chart(Chart, fallback: String)
        case prose([String])
    }

    func pieces(_ output: Output, offers: Bool = false) -> [Piece] {
        var pieces: [Piece] = []
        var lines: [String] = []
        func flush() {
            if !lines.isEmpty { pieces.append(.text(lines.joined(separator: "\n"))) }
            lines = []
        }
        for block in output.blocks {
            switch block {
            case .chart(let chart):
                flush()
                pieces.append(.chart(chart, fallback: text.renderChart(chart).joined(separator: "\n")))
            case .prose(let prose):
                flush()
                pieces.append(.prose(prose))
            case .offer(let command, let language):
                guard offers else { continue }
                lines.append("\(language.say(.nextLabel)) \(command)   " + language.say(.nextInKernel))
            default:
                lines += text.render(block, precision: output.precision)
            }
        }
        flush()
        return pieces
    }

    /// Lesson prose as Markdown (its blocks, `ProseBlock`): `## ` headings, `- ` list items and
    /// indented lines carry over as written; a Chinese sentence broken across two source lines
    /// is joined back without the line break, which Markdown would show as a space between two
    /// characters.
    static func markdown(_ prose: [String]) -> String {
        /// Lines of one paragraph or item, a line joined to the one before where Chinese puts
        /// no space (not a line of Markdown's own, such as "### heading"); `indent` goes
        /// before the lines not joined (an item's continuation).
        func folded(_ lines: [String], indent: String = "") -> [String] {
            var out: [String] = []
            for line in lines {
                if let last = out.last, !line.hasPrefix("#"), DisplayWidth.joinsWithoutSpace(last, line) {
                    out[out.count - 1] += line
                } else {
                    out.append(out.isEmpty ? line : indent + line)
                }
            }
            return out
        }
        var out: [String] = []
        var previous: ProseBlock?
        for block in ProseBlock.blocks(of: prose) {
            // Where the prose starts a block without an empty line, Markdown needs one: a
            // paragraph right after a list item would continue the item, and a formula right
            // after text would continue the text.
            switch (previous, block) {
            case (.item?, .paragraph), (.paragraph?, .verbatim), (.item?, .verbatim): out.append("")
            default: break
            }
            previous = block
            switch block {
            case .heading(let text): out.append("## " + text)
            case .paragraph(let lines): out += folded(lines)
            case .item(let lines): out += folded(["- " + lines[0]] + lines.dropFirst(), indent: "  ")
            case .verbatim(let line): out.append(line)
            case .blank: out.append("")
            }
        }
        return out.joined(separator: "\n")
    }

    // MARK: - Jupyter

    public func ipynb() throws -> Data {
        var notebookCells: [[String: Any]] = []
        var id = 0
        func nextID() -> String { id += 1; return "cell-\(id)" }
        func sourceLines(_ s: String) -> [String] {
            let parts = s.components(separatedBy: "\n")
            return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }
        }
        func markdownCell(_ text: String) -> [String: Any] {
            ["cell_type": "markdown", "id": nextID(), "metadata": [String: Any](), "source": sourceLines(text)]
        }
        notebookCells.append(markdownCell("# \(title)"))
        var executionCount = 0
        for (index, cell) in cells.enumerated() {
            if index > 0, let heading = cell.heading { notebookCells.append(markdownCell("## \(heading)")) }
            if !cell.prose.isEmpty { notebookCells.append(markdownCell(NotebookExporter.markdown(cell.prose))) }
            var outputs: [[String: Any]] = []
            if let output = cell.output {
                for piece in NotebookExporter.jupyterOutputs(output) {
                    switch piece {
                    case .stream(let name, let text):
                        outputs.append(["output_type": "stream", "name": name, "text": sourceLines(text)])
                    case .display(let data):
                        outputs.append(["output_type": "display_data", "metadata": [String: Any](), "data": data.mapValues(sourceLines)])
                    }
                }
            }
            // A failed command stays a command with Jupyter's error output (what the kernel gives
            // when it runs it again), tagged `raises-exception` so that Run All goes on past it:
            // a session's typo is part of its story, not the end of the notebook.
            var metadata: [String: Any] = [:]
            if let error = cell.error {
                let name = error.hasPrefix("expectation failed") ? "ExpectationFailed" : "DescentError"
                outputs.append(["output_type": "error", "ename": name, "evalue": error, "traceback": ["error: " + error]])
                metadata["tags"] = ["raises-exception"]
            }
            executionCount += 1
            notebookCells.append(["cell_type": "code", "id": nextID(), "metadata": metadata,
                                  "execution_count": executionCount, "source": sourceLines(cell.source), "outputs": outputs])
            if !cell.summary.isEmpty { notebookCells.append(markdownCell(NotebookExporter.markdown(cell.summary))) }
        }
        let notebook: [String: Any] = [
            "cells": notebookCells,
            // The kernel `descent` (scripts/install-jupyter-kernel) runs it again in Jupyter.
            "metadata": ["kernelspec": ["name": "descent", "display_name": "Descent", "language": "descent"],
                         "language_info": ["name": "descent", "file_extension": ".descent", "mimetype": "text/x-descent"],
                         "descent": ["version": DescentVersion.current]],
            "nbformat": 4,
            "nbformat_minor": 5,
        ]
        return try JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    // MARK: - Markdown

    /// The Markdown text, and the SVG files it links to (names relative to `folder`).
    public func markdown(folder: String) -> (text: String, files: [(name: String, svg: String)]) {
        var out = ["# \(title)", ""]
        var files: [(String, String)] = []
        for (index, cell) in cells.enumerated() {
            if index > 0, let heading = cell.heading { out += ["## \(heading)", ""] }
            if !cell.prose.isEmpty { out += [NotebookExporter.markdown(cell.prose), ""] }
            out += ["```", cell.source, "```", ""]
            if let output = cell.output {
                for piece in pieces(output) {
                    switch piece {
                    case .text(let s): out += ["```text", s, "```", ""]
                    case .chart(let chart, _):
                        let name = "chart-\(files.count + 1).svg"
                        files.append((name, svg.render(chart)))
                        out += ["![\(chartTitle(chart))](\(folder)/\(name))", ""]
                    case .prose(let prose): out += [NotebookExporter.markdown(prose), ""]
                    }
                }
            }
            if let error = cell.error { out += ["```text", "error: " + error, "```", ""] }
            if !cell.summary.isEmpty { out += [NotebookExporter.markdown(cell.summary), ""] }
        }
        return (out.joined(separator: "\n"), files)
    }

    func chartTitle(_ chart: Chart) -> String {
        switch chart {
        case .line(let c): c.title
        case .bars(let c): c.title
        case .histogram(let c): c.title
        case .heat(let c): c.title
        case .boundary(let c): c.title
        case .neurons(let c): c.title
        }
    }

    // MARK: - HTML

    static func escape(_ s: String) -> String { SVGRenderer.escape(s).replacingOccurrences(of: "\"", with: "&quot;") }

    /// Prose text as HTML: escaped, with Markdown's `code` spans as <code> (as the notebook's
    /// Markdown cells show them). An unpaired backtick stays as it is.
    static func inline(_ s: String) -> String {
        var parts = s.components(separatedBy: "`")
        // An odd number of backticks: the last one has no partner and stays a backtick.
        let tail = parts.count % 2 == 0 ? "`" + escape(parts.removeLast()) : ""
        return parts.enumerated().map { $0.offset % 2 == 1 ? "<code>" + escape($0.element) + "</code>" : escape($0.element) }
            .joined() + tail
    }

    /// Lesson prose as HTML (its blocks, `ProseBlock`): paragraphs, one list for consecutive
    /// items, one formula block for consecutive formula lines.
    static func html(_ prose: [String]) -> String {
        var out: [String] = []
        var list: [String] = []
        var formula: [String] = []
        func closeList() {
            if !list.isEmpty { out.append("<ul>" + list.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>") }
            list = []
        }
        func closeFormula() {
            if !formula.isEmpty { out.append("<pre class=\"formula\">" + formula.map(escape).joined(separator: "\n") + "</pre>") }
            formula = []
        }
        for block in ProseBlock.blocks(of: prose) {
            if case .item = block {} else { closeList() }
            if !block.isFormula { closeFormula() }
            switch block {
            case .heading(let text): out.append("<h2>" + inline(text) + "</h2>")
            case .paragraph(let lines): out.append("<p>" + inline(DisplayWidth.joinParagraph(lines)) + "</p>")
            case .item(let lines): list.append(DisplayWidth.joinParagraph(lines))
            case .verbatim(let line) where block.isFormula: formula.append(String(line.dropFirst(4)))
            case .verbatim(let line): out.append("<p>" + inline(line.trimmingCharacters(in: .whitespaces)) + "</p>")
            case .blank: break
            }
        }
        closeList()
        closeFormula()
        return out.joined(separator: "\n")
    }

    public func html() -> String {
        var body: [String] = ["<h1>\(NotebookExporter.escape(title))</h1>"]
        for (i, cell) in cells.enumerated() {
            if i > 0, let heading = cell.heading { body.append("<h2>\(NotebookExporter.escape(heading))</h2>") }
            if !cell.prose.isEmpty { body.append("<div class=\"prose\">\(NotebookExporter.html(cell.prose))</div>") }
            body.append("<div class=\"cell\"><div class=\"in\">[\(i + 1)]</div><pre class=\"cmd\">\(NotebookExporter.escape(cell.source))</pre></div>")
            if let output = cell.output {
                for piece in pieces(output) {
                    switch piece {
                    case .text(let s): body.append("<pre class=\"out\">\(NotebookExporter.escape(s))</pre>")
                    case .chart(let chart, _): body.append("<figure>\(svg.render(chart))</figure>")
                    case .prose(let prose): body.append("<div class=\"prose\">\(NotebookExporter.html(prose))</div>")
                    }
                }
            }
            if let error = cell.error { body.append("<pre class=\"err\">error: \(NotebookExporter.escape(error))</pre>") }
            if !cell.summary.isEmpty { body.append("<div class=\"prose\">\(NotebookExporter.html(cell.summary))</div>") }
        }
        // A notebook whose prose is Chinese (a lesson in lessons/zh) says so, for fonts,
        // hyphenation and screen readers, and names fonts that have the characters.
        let chinese = ([title] + cells.flatMap { $0.prose + $0.summary }).contains { $0.unicodeScalars.contains(where: DisplayWidth.isWide) }
        let cjk = chinese ? "\"Noto Serif CJK SC\", \"Source Han Serif SC\", \"Songti SC\", SimSun, " : ""
        let cjkSans = chinese ? "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\", " : ""
        return """
            <!DOCTYPE html>
            <html lang="\(chinese ? "zh-Hans" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(NotebookExporter.escape(title))</title>
            <style>
            body { font-family: Georgia, "Times New Roman", \(cjk)serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.5; }
            h1, h2 { font-family: Helvetica, Arial, \(cjkSans)sans-serif; }
            pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, \(chinese ? "\"Noto Sans Mono CJK SC\", " : "")monospace; font-size: 0.85rem; overflow-x: auto; margin: 0.3rem 0; }
            .cell { display: flex; gap: 0.6rem; align-items: baseline; margin-top: 1rem; }
            code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; background: #f4f4f4; padding: 0 0.15em; }
            .in { font-family: monospace; color: #0072B2; min-width: 2.5rem; }
            .cmd { background: #f3f6fa; border-left: 3px solid #0072B2; padding: 0.3rem 0.6rem; flex: 1; }
            .out { padding: 0.2rem 0 0.2rem 3.1rem; }
            .err { color: #b00; padding-left: 3.1rem; }
            .formula { padding-left: 2rem; }
            figure { margin: 0.5rem 0 0.5rem 3.1rem; }
            figure svg { max-width: 100%; height: auto; }
            @media print { .cell, figure, pre { break-inside: avoid; } body { margin: 0; } }
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }
}

/// The notebook files `export` writes: the session's `NotebookWriter`, handed to it by the
/// program (the REPL, `descent run`).
public struct NotebookFiles: NotebookWriter {
    public init() {}

    public var extensions: [String] { NotebookExporter.Format.allCases.map(\.rawValue) + ["py"] }

    public func write(_ session: Session, to target: URL) throws(Diagnostic) -> String? {
        let cells = session.cells
        if target.pathExtension.lowercased() == "py" {
            return try TorchFiles.write(session, to: target)
        }
        let exporter = NotebookExporter(cells: cells)
        switch NotebookExporter.Format(rawValue: target.pathExtension.lowercased()) {
        case .ipynb:
            let data: Data
            do { data = try exporter.ipynb() } catch { throw Diagnostic("could not encode the notebook: \(error.localizedDescription)") }
            try AtomicFile.write(data, to: target)
        case .html:
            try AtomicFile.write(Data(exporter.html().utf8), to: target)
        case .md:
            try writeMarkdown(exporter, to: target)
        case nil:
            throw Diagnostic("export writes .ipynb, .md, .html or .py, not '.\(target.pathExtension)'")
        }
        return nil
    }

    /// The Markdown file, and its charts as SVG files in NAME_files/ beside it.
    private func writeMarkdown(_ exporter: NotebookExporter, to target: URL) throws(Diagnostic) {
        let folderName = target.deletingPathExtension().lastPathComponent + "_files"
        let (text, files) = exporter.markdown(folder: folderName)
        if !files.isEmpty {
            let folder = target.deletingLastPathComponent().appendingPathComponent(folderName)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw Diagnostic("cannot create \(folder.path): \(error.localizedDescription)")
            }
            for file in files { try AtomicFile.write(Data(file.svg.utf8), to: folder.appendingPathComponent(file.name)) }
        }
        try AtomicFile.write(Data(text.utf8), to: target)
    }
}
