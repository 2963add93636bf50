import DescentCore
import DescentLanguage
import DescentSession
import Foundation

/// Draws `Output` as lines of text for a terminal (or a transcript): matrices as aligned
/// literals, tables, bar charts and sparklines. Colour only when asked (a terminal without
/// NO_COLOR); ASCII fallbacks when the terminal is not UTF-8.
public struct TerminalRenderer: Sendable {
    public var width: Int
    public var color: Bool
    public var unicode: Bool

    public init(width: Int = 80, color: Bool = false, unicode: Bool = true) {
        self.width = max(width, 40)
        self.color = color
        self.unicode = unicode
    }

    // MARK: - Styles

    private func style(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    public func bold(_ s: String) -> String { style(s, "1") }
    public func dim(_ s: String) -> String { style(s, "2") }
    public func red(_ s: String) -> String { style(s, "31") }
    public func green(_ s: String) -> String { style(s, "32") }
    public func yellow(_ s: String) -> String { style(s, "33") }
    public func cyan(_ s: String) -> String { style(s, "36") }

    // MARK: - Output

    public func render(_ output: Output) -> [String] {
        output.blocks.flatMap { render($0, precision: output.precision) }
    }

    /// A block's lines; on a terminal that is not UTF-8, in ASCII only.
    public func render(_ block: Block, precision: Int) -> [String] {
        if unicode { return renderLines(block, precision: precision) }
        if case .explanation(let explanation) = block {
            return explanation.blocks(precision: precision).flatMap { render($0, precision: precision) }
        }
        // Symbols are spelt out before the layout is measured, so columns stay aligned.
        return renderLines(ASCIIFallback.apply(block), precision: precision).map(ASCIIFallback.apply)
    }

    private func renderLines(_ block: Block, precision: Int) -> [String] {
        switch block {
        case .text(let s): return [s]
        case .note(let s): return wrap(s, width: width, indent: "  ").map(dim)
        case .heading(let s): return [bold(s)]
        case .warning(let s): return wrap((unicode ? "⚠ " : "! ") + s, width: width, indent: "  ").map(yellow)
        case .check(let s): return [green((unicode ? "✓ " : "ok ") + s)]
        case .value(let name, let matrix, let style, let full):
            return renderValue(name: name, matrix: matrix, style: style, full: full, precision: precision)
        case .step(let summary): return [renderStep(summary, precision: precision)]
        case .table(let table): return renderTable(table)
        case .chart(let chart): return renderChart(chart)
        case .prose(let lines): return renderProse(lines)
        case .offer(let command): return [cyan((unicode ? "⏎ " : "> ") + command) + dim("   (Enter runs it)")]
        case .paragraph(let paragraph):
            let lines = wrap(paragraph.text, width: proseWidth, indent: String(repeating: " ", count: paragraph.hangingIndent))
            return paragraph.isHeading ? lines.map(bold) : lines
        case .definition(let term, let text):
            // The term in a column of 11 after two spaces; the text wrapped beside it.
            let column = 13
            return wrap(text, width: proseWidth - column).enumerated().map { i, line in
                (i == 0 ? "  " + term.padding(toLength: column - 2, withPad: " ", startingAt: 0) : String(repeating: " ", count: column)) + line
            }
        case .explanation(let explanation):
            return explanation.blocks(precision: precision).flatMap { renderLines($0, precision: precision) }
        }
    }

    /// Running text (help) is wrapped at 78 columns, or the terminal's width if narrower.
    var proseWidth: Int { min(width, 78) }

    /// `error: message — suggestion`, then the line with a caret under the problem.
    public func render(_ diagnostic: Diagnostic, source: String?) -> [String] {
        // One line, never wrapped: FILE:LINE:COL: error: … is what editors and scripts read.
        let message = unicode ? diagnostic.fullMessage : ASCIIFallback.apply(diagnostic.fullMessage)
        var lines = [diagnostic.locationPrefix + red(bold("error:")) + " " + message]
        if let source, diagnostic.range != nil {
            let carets = diagnostic.caretLines(source: source)
            lines.append(carets[0])
            if carets.count > 1 { lines.append(red(carets[1])) }
        }
        return lines
    }

    // MARK: - Matrices

    /// Matrices with more entries than this are shortened unless `full` is asked for.
    static let elisionThreshold = 100
    static let edgeItems = 3

    func renderValue(name: String?, matrix m: Matrix, style: ValueStyle, full: Bool, precision: Int) -> [String] {
        let prefix = name.map { "\($0) = " } ?? ""
        if style == .number && m.isScalar { return [prefix + NumberFormat.format(m.storage[0], precision: precision)] }
        let isFlat = style == .flat
        let shapeNote = dim(isFlat && (m.rows == 1 || m.cols == 1) ? "  # vector of \(m.count)" : "  # \(m.shapeDescription)")
        if m.count == 0 { return [prefix + "[]" + shapeNote] }
        // Shorten large matrices, and rows too wide for the terminal, as NumPy does: keep
        // up to three rows and columns at each edge, fewer if a row would still not fit.
        let widest = m.storage.lazy.map { NumberFormat.format($0, precision: precision).count }.max() ?? 1
        let noteWidth = 4 + m.shapeDescription.count
        /// Whether a row of `numbers` entries (plus an ellipsis column if `elided`) fits.
        func fits(_ numbers: Int, elided: Bool) -> Bool {
            let columns = numbers + (elided ? 1 : 0)
            return prefix.count + 2 + numbers * widest + (elided ? 1 : 0) + (columns - 1) * 2 + 2 + noteWidth <= width
        }
        let tooWide = !fits(m.cols, elided: false)
        let e = TerminalRenderer.edgeItems
        var ec = e
        while tooWide && ec > 1 && !fits(2 * ec, elided: true) { ec -= 1 }
        let elide = !full && (m.count > TerminalRenderer.elisionThreshold || (tooWide && m.cols > 2 * ec))
        let rowIndices: [Int?] = elide && m.rows > 2 * e ? Array(0..<e) + [nil] + Array((m.rows - e)..<m.rows) : Array(0..<m.rows)
        let colIndices: [Int?] = elide && m.cols > 2 * ec ? Array(0..<ec) + [nil] + Array((m.cols - ec)..<m.cols) : Array(0..<m.cols)
        let ellipsis = unicode ? "…" : "..."
        let cells: [[String]] = rowIndices.map { i in
            colIndices.map { j in
                guard let i, let j else { return ellipsis }
                return NumberFormat.format(m[i, j], precision: precision)
            }
        }
        var widths = Array(repeating: 0, count: colIndices.count)
        for row in cells { for (j, c) in row.enumerated() { widths[j] = max(widths[j], c.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { j, c in String(repeating: " ", count: widths[j] - c.count) + signColored(c) }.joined(separator: ", ")
        }
        if isFlat && (m.rows == 1 || m.cols == 1) && !elide {
            return [prefix + "[" + m.storage.map { signColored(NumberFormat.format($0, precision: precision)) }.joined(separator: ", ") + "]" + shapeNote]
        }
        var lines: [String] = []
        let indent = String(repeating: " ", count: prefix.count + 1)
        for (k, row) in cells.enumerated() {
            let isFirst = k == 0, isLast = k == cells.count - 1
            let body = rowIndices[k] == nil ? String(repeating: " ", count: max(line(row).count / 2, 1)) + ellipsis : "[" + line(row) + "]"
            var text = (isFirst ? prefix + "[" : indent) + body
            text += isLast ? "]" : (rowIndices[k] == nil ? "" : ",")
            lines.append(text)
        }
        lines[lines.count - 1] += shapeNote
        return lines
    }

    /// On a colour terminal: negative numbers red, positive green, zeros dim, so the sign
    /// pattern of a gradient can be seen at a glance. Widths are measured before colouring.
    func signColored(_ text: String) -> String {
        guard color else { return text }
        if text.hasPrefix("-") { return red(text) }
        if text == "0" { return dim(text) }
        if let first = text.first, first.isNumber || text == "inf" { return green(text) }
        return text
    }

    // MARK: - Prose

    /// Lesson prose, re-wrapped to the terminal width (at most 80 columns, for reading).
    func renderProse(_ lines: [String]) -> [String] {
        let limit = min(width, 80)
        var out: [String] = [""]
        for line in lines {
            if line.hasPrefix("## ") {
                out.append(bold(String(line.dropFirst(3))))
            } else if line.isEmpty || line.hasPrefix("  ") || line.hasPrefix("- ") {
                out.append(line)  // paragraph breaks, indented lines and list items stay as written
            } else {
                out += wrap(line, width: limit)
            }
        }
        return out
    }

    /// Words of `text` in lines of at most `width` characters; lines after the first start
    /// with `indent`.
    func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = (lines.isEmpty ? "" : indent) + word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = indent + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    // MARK: - Steps

    func renderStep(_ summary: StepSummary, precision: Int) -> String {
        let r = summary.report
        let dot = unicode ? " · " : "  "
        let norm = unicode ? "‖g‖" : "|g|"
        var parts = ["step \(r.step)" + (summary.stepsTaken > 1 ? " (+\(summary.stepsTaken))" : "")]
        parts.append("loss " + NumberFormat.format(r.batchLoss, precision: precision))
        var g = norm + " " + NumberFormat.format(r.gradientNorm, precision: min(precision, 6))
        if r.clipped { g += " (clipped)" }
        parts.append(g)
        parts.append("lr " + NumberFormat.format(r.learningRate, precision: precision))
        return bold(parts[0]) + dot + parts.dropFirst().joined(separator: dot)
    }

    // MARK: - Tables

    func renderTable(_ table: Table) -> [String] {
        var widths = table.headers.map(\.count)
        for row in table.rows { for (j, c) in row.enumerated() where j < widths.count { widths[j] = max(widths[j], c.count) } }
        func pad(_ s: String, _ j: Int) -> String {
            let gap = String(repeating: " ", count: max(widths[j] - s.count, 0))
            return table.alignments[j] == .left ? s + gap : gap + s
        }
        func trimmed(_ s: String) -> String { s.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        var lines = [bold(trimmed(table.headers.indices.map { pad(table.headers[$0], $0) }.joined(separator: "  ")))]
        lines.append(dim(widths.map { String(repeating: unicode ? "─" : "-", count: $0) }.joined(separator: "  ")))
        for row in table.rows {
            lines.append(trimmed(row.indices.map { pad(row[$0], $0) }.joined(separator: "  ")))
        }
        return lines
    }
}
