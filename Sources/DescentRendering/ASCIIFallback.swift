// ASCIIFallback: the plain-ASCII spelling of the symbols Descent's output uses, for a terminal
// whose locale is not UTF-8 (LC_ALL=C), where they would come out as mojibake.
import DescentSession

enum ASCIIFallback {
    /// Each symbol and what stands for it; anything else outside ASCII becomes "?".
    static let table: [Character: String] = [
        "‖": "|", "−": "-", "·": "*", "…": "...", "×": "x", "θ": "theta", "δ": "delta", "←": "<-",
        "√": "sqrt", "′": "'", "Σ": "sum", "λ": "lambda", "∂": "d", "η": "eta", "ŷ": "yhat", "ᵀ": "^T",
        "μ": "mu", "→": "->", "≤": "<=", "≥": ">=", "γ": "gamma", "≈": "~=", "—": "-", "–": "-", "σ": "sigma",
        "±": "+-", "⌊": "floor(", "⌋": ")", "⊙": "*", "∇": "grad ", "≠": "!=", "“": "\"", "”": "\"",
        "‘": "'", "’": "'", "÷": "/", "⋅": "*", "∙": "*", "∞": "inf", "ε": "eps", "»": ">>", "⚠": "!",
        "✓": "ok", "⏎": ">", "─": "-", "│": "|", "└": "+", "█": "#", "▓": "#", "▒": "+", "░": ".",
        "²": "^2", "³": "^3", "¹": "^1", "⁰": "^0", "⁴": "^4", "⁵": "^5", "⁸": "^8", "⁹": "^9", "⁻": "^-", "ˣ": "^x",
        "ₗ": "_l", "₁": "_1", "₂": "_2", "₀": "_0", "₋": "_-", "₊": "_+",
    ]

    /// The block with every piece of text in ASCII (charts draw their own ASCII).
    static func apply(_ block: Block) -> Block {
        switch block {
        case .text(let s): .text(apply(s))
        case .note(let s): .note(apply(s))
        case .heading(let s): .heading(apply(s))
        case .warning(let s): .warning(apply(s))
        case .check(let s): .check(apply(s))
        case .offer(let s, let language): .offer(apply(s), language: language)
        case .prose(let lines): .prose(lines.map(apply))
        case .table(var table):
            { table.headers = table.headers.map(apply); table.rows = table.rows.map { $0.map(apply) }; return .table(table) }()
        case .paragraph(var p): { p.text = apply(p.text); return .paragraph(p) }()
        case .definition(let term, let text): .definition(term: apply(term), text: apply(text))
        case .value(let name, let matrix, let style, let full): .value(name: name.map(apply), matrix: matrix, style: style, full: full)
        case .step, .chart, .explanation: block
        }
    }

    static func apply(_ line: String) -> String {
        guard !line.allSatisfy(\.isASCII) else { return line }
        var out = ""
        for c in line {
            if c.isASCII { out.append(c) } else { out += table[c] ?? "?" }
        }
        return out
    }
}
