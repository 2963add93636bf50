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
        case .text(let s): return fitted(s)
        case .note(let s): return wrap(s, width: width, indent: "  ").map(dim)
        case .heading(let s): return fitted(s).map(bold)
        case .warning(let s): return wrap((unicode ? "⚠ " : "! ") + s, width: width, indent: "  ").map(yellow)
        case .check(let s): return fitted((unicode ? "✓ " : "ok ") + s).map(green)
        case .value(let name, let matrix, let style, let full):
            return renderValue(name: name, matrix: matrix, style: style, full: full, precision: precision)
        case .step(let summary): return renderStep(summary, precision: precision)
        case .table(let table): return renderTable(table)
        case .chart(let chart): return renderChart(chart)
        case .prose(let lines): return renderProse(lines)
        case .offer(let command, let language):
            // The hint goes under the command when both do not fit on one line.
            let shown = (unicode ? "⏎ " : "> ") + command, hint = language.say(.enterRunsIt)
            if DisplayWidth.of(shown) + 3 + DisplayWidth.of(hint) <= width { return [cyan(shown) + dim("   " + hint)] }
            return [cyan(shown), dim("  " + hint)]
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
        if style == .number && m.isScalar { return [prefix + NumberFormat.lone(m.storage[0], precision: precision)] }
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
        if isFlat && (m.rows == 1 || m.cols == 1) {
            // A vector stays one bracketed line, shortened in the middle when long.
            let shown: [Double?] = elide && m.count > 2 * ec
                ? m.storage.prefix(ec).map { $0 } + [nil] + m.storage.suffix(ec).map { $0 } : m.storage.map { $0 }
            let entries = shown.map { $0.map { signColored(NumberFormat.format($0, precision: precision)) } ?? ellipsis }
            return [prefix + "[" + entries.joined(separator: ", ") + "]" + shapeNote]
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

    /// Lesson prose, re-wrapped to the terminal width (at most 78 columns, for reading): the
    /// lines of a paragraph are joined and wrapped again (no space between Chinese
    /// characters), and so is a list item (`- `) with its lines indented by two; `## `
    /// headings, blank lines and lines indented by four (formulas, tables) stay as written.
    func renderProse(_ lines: [String]) -> [String] {
        let limit = min(width, 78)
        var out: [String] = [""]
        for block in ProseBlock.blocks(of: lines) {
            switch block {
            case .heading(let text): out.append(bold(text))
            case .paragraph(let lines): out += wrap(DisplayWidth.joinParagraph(lines), width: limit)
            case .item(let lines): out += wrap(DisplayWidth.joinParagraph(["- " + lines[0]] + lines.dropFirst()), width: limit, indent: "  ")
            case .verbatim(let line): out.append(line)
            case .blank: out.append("")
            }
        }
        return out
    }

    /// The words of `text`, a bracketed group such as `[1, 2, 3]` or `N(0, 2/n_in)` kept as
    /// one word so that a line never breaks inside it.
    static func unbreakableWords(_ text: String) -> [String] {
        var words: [String] = []
        var group: [Substring] = []
        var depth = 0
        func flush() {
            // Short groups are literals and formulas; a long one is prose in brackets.
            let joined = group.joined(separator: " ")
            if joined.count <= 24 { words.append(joined) } else { words += group.map(String.init) }
            group = []
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            group.append(word)
            for c in word {
                if c == "[" || c == "(" { depth += 1 } else if c == "]" || c == ")" { depth = max(depth - 1, 0) }
            }
            if depth == 0 { flush() }
        }
        if !group.isEmpty { flush() }
        return words
    }

    /// Words of `text` in lines of at most `width` columns (display width: a Chinese
    /// character takes two); lines after the first start with `indent`.
    func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        var lines: [String] = []
        var current = "", currentWidth = 0
        let indentWidth = DisplayWidth.of(indent)
        for (piece, spaced) in TerminalRenderer.breakablePieces(text) {
            let pieceWidth = DisplayWidth.of(piece)
            if current.isEmpty {
                current = (lines.isEmpty ? "" : indent) + piece
                currentWidth = (lines.isEmpty ? 0 : indentWidth) + pieceWidth
            } else if currentWidth + (spaced ? 1 : 0) + pieceWidth <= width {
                current += (spaced ? " " : "") + piece
                currentWidth += (spaced ? 1 : 0) + pieceWidth
            } else {
                lines.append(current)
                current = indent + piece
                currentWidth = indentWidth + pieceWidth
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The pieces a line may break between, each with whether a space comes before it: the
    /// words, and inside a word of Chinese text each character, as Chinese typesetting allows
    /// (a line may break between any two characters), but never before closing punctuation
    /// (，。：；！？）」) nor after opening punctuation.
    public static func breakablePieces(_ text: String) -> [(piece: String, spaced: Bool)] {
        var pieces: [(piece: String, spaced: Bool)] = []
        for word in unbreakableWords(text) {
            guard word.contains(where: DisplayWidth.breaksAnywhere) else {
                pieces.append((word, true))
                continue
            }
            var run = "", first = true
            for c in word {
                if let last = run.last,
                   DisplayWidth.breaksAnywhere(c) || DisplayWidth.breaksAnywhere(last),
                   !DisplayWidth.isClosingPunctuation(c), !DisplayWidth.isOpeningPunctuation(last) {
                    pieces.append((run, first))
                    first = false
                    run = ""
                }
                run.append(c)
            }
            if !run.isEmpty { pieces.append((run, first)) }
        }
        return pieces
    }

    // MARK: - Steps

    /// `step 1 · loss 7.5 → 5.41875 · ‖g‖ 15 · lr 0.01`: the loss on the step's batch before the
    /// update, then over all the data after it (`batch loss … → loss …` for a mini-batch).
    /// For several steps (`step 100 (+100)`) the loss before the first of them → after the
    /// last; ‖g‖ and lr are the last step's. On a narrow terminal the parts go on further
    /// lines rather than being cut.
    func renderStep(_ summary: StepSummary, precision: Int) -> [String] {
        let r = summary.report
        let arrow = unicode ? " → " : " -> "
        var parts = ["step \(r.step)" + (summary.stepsTaken > 1 ? " (+\(summary.stepsTaken))" : "")]
        let before = NumberFormat.format(summary.stepsTaken > 1 ? summary.firstBatchLoss ?? r.batchLoss : r.batchLoss, precision: precision)
        switch (summary.lossAfter, summary.isFullBatch) {
        case (let after?, true): parts.append("loss " + before + arrow + NumberFormat.format(after, precision: precision))
        case (let after?, false): parts.append("batch loss " + before + arrow + "loss " + NumberFormat.format(after, precision: precision))
        case (nil, true): parts.append("loss " + before)
        case (nil, false): parts.append("batch loss " + before)
        }
        var g = (unicode ? "‖g‖ " : "|g| ") + NumberFormat.format(r.gradientNorm, precision: precision)
        if summary.stepsTaken > 1 && summary.clippedSteps > 0 {
            g += summary.clippedSteps == summary.stepsTaken
                ? " (clipped in all \(summary.stepsTaken) steps)" : " (clipped in \(summary.clippedSteps) of \(summary.stepsTaken) steps)"
        } else if r.clipped {
            g += " (clipped)"
        }
        parts.append(g)
        parts.append("lr " + NumberFormat.format(r.learningRate, precision: precision))
        let dot = unicode ? " · " : "  "
        var lines = [bold(parts[0])]
        var length = parts[0].count
        for part in parts.dropFirst() {
            if length + dot.count + part.count <= width {
                lines[lines.count - 1] += dot + part
                length += dot.count + part.count
            } else {
                lines.append("    " + part)
                length = 4 + part.count
            }
        }
        return lines
    }

    /// Columns a line takes on screen: its display width (a Chinese character takes two)
    /// less ANSI colour codes (ESC [ … m).
    static func visibleWidth(_ line: String) -> Int {
        var count = 0, inEscape = false
        for c in line {
            if inEscape { if c == "m" { inEscape = false }; continue }
            if c == "\u{1B}" { inEscape = true; continue }
            count += DisplayWidth.of(c)
        }
        return count
    }

    /// A line of fixed text: as it is when it fits, else wrapped with a hanging indent.
    func fitted(_ line: String) -> [String] {
        DisplayWidth.of(line) <= width ? [line] : wrap(line, width: width, indent: "    ")
    }

    // MARK: - Tables

    func renderTable(_ table: Table) -> [String] {
        // Column widths by display width: a Chinese label takes two columns a character.
        var widths = table.headers.map(DisplayWidth.of)
        for row in table.rows { for (j, c) in row.enumerated() where j < widths.count { widths[j] = max(widths[j], DisplayWidth.of(c)) } }
        let total = widths.reduce(0, +) + 2 * (widths.count - 1)
        if total > width {
            // Too wide for this terminal: wrap a left-aligned last column beside the others,
            // or else write each row as its own lines of "header value".
            let others = widths.dropLast().reduce(0, +) + 2 * (widths.count - 1)
            if table.alignments.last == .left && width - others >= 12 {
                widths[widths.count - 1] = width - others
            } else {
                return renderTableAsRecords(table)
            }
        }
        func pad(_ s: String, _ j: Int) -> String {
            let gap = String(repeating: " ", count: max(widths[j] - DisplayWidth.of(s), 0))
            return table.alignments[j] == .left ? s + gap : gap + s
        }
        func trimmed(_ s: String) -> String { s.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        var lines = [bold(trimmed(table.headers.indices.map { pad(table.headers[$0], $0) }.joined(separator: "  ")))]
        lines.append(dim(widths.map { String(repeating: unicode ? "─" : "-", count: $0) }.joined(separator: "  ")))
        let last = widths.count - 1
        for row in table.rows {
            // The last cell may take several lines; the others stand on the first.
            let tail = row.count > last && DisplayWidth.of(row[last]) > widths[last] ? wrap(row[last], width: widths[last]) : [row.count > last ? row[last] : ""]
            for (k, piece) in tail.enumerated() {
                let cells = row.indices.map { j in j == last ? pad(piece, j) : pad(k == 0 ? row[j] : "", j) }
                lines.append(trimmed(cells.joined(separator: "  ")))
            }
        }
        return lines
    }

    /// A table too wide for the terminal: each row as "label value" pairs, wrapped; an empty
    /// cell leaves its pair out. A line breaks between pairs or inside a value, never inside
    /// a label, between a label and its value, or before a separator.
    func renderTableAsRecords(_ table: Table) -> [String] {
        let glue = "\u{A0}"  // a no-break space while wrapping, an ordinary one when shown
        var lines: [String] = []
        for row in table.rows {
            let pairs = zip(table.recordLabels ?? table.headers, row).filter { !$1.isEmpty }.map { label, value in
                label.isEmpty ? value : label.replacingOccurrences(of: " ", with: glue) + glue + value
            }
            let text = pairs.joined(separator: unicode ? glue + "· " : ", ")
            lines += wrap(text, width: width, indent: "    ").map { $0.replacingOccurrences(of: glue, with: " ") }
        }
        return lines
    }
}
