/// Lesson prose (the `#>` lines of a lesson or a saved session) read as blocks, by the few
/// Markdown-like rules that the terminal, the HTML export and the Markdown export share:
/// "## " starts a heading, "- " a list item (lines indented by two continue it), a line
/// indented by four is a formula kept as written, an empty line ends what came before, and
/// any other run of lines is one paragraph.
public enum ProseBlock: Equatable, Sendable {
    case heading(String)
    /// The lines of a paragraph as written (`DisplayWidth.joinParagraph` makes them one).
    case paragraph([String])
    /// A list item: its first line without the "- ", then its continuation lines without
    /// their indent.
    case item([String])
    /// A line kept as written: a formula (indented by four), or a line indented by two
    /// outside a list.
    case verbatim(String)
    case blank

    /// The blocks of `lines`, in order.
    public static func blocks(of lines: [String]) -> [ProseBlock] {
        var blocks: [ProseBlock] = []
        var paragraph: [String] = [], item: [String] = []
        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph)) }
            if !item.isEmpty { blocks.append(.item(item)) }
            paragraph = []
            item = []
        }
        for line in lines {
            if line.hasPrefix("## ") {
                flush()
                blocks.append(.heading(String(line.dropFirst(3))))
            } else if line.isEmpty {
                flush()
                blocks.append(.blank)
            } else if line.hasPrefix("    ") {
                flush()
                blocks.append(.verbatim(line))
            } else if line.hasPrefix("- ") {
                flush()
                item = [String(line.dropFirst(2))]
            } else if line.hasPrefix("  "), !item.isEmpty {
                item.append(line.trimmingCharacters(in: .whitespaces))
            } else if line.hasPrefix("  ") {
                flush()
                blocks.append(.verbatim(line))
            } else {
                if !item.isEmpty { flush() }
                paragraph.append(line)
            }
        }
        flush()
        return blocks
    }

    /// Whether this block is a formula line (indented by four).
    public var isFormula: Bool {
        if case .verbatim(let line) = self { line.hasPrefix("    ") } else { false }
    }
}
