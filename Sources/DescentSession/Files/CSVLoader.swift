import DescentCore
import DescentLanguage
import Foundation

/// Reads a data set from a CSV file of numbers: one example per line, one column the target.
/// The separator is found from the first lines (comma, semicolon, tab, or spaces); values may
/// be quoted ("1.5"); a first line that is not all numbers is a header, whose names `target=`
/// may use. CRLF endings, blank lines, `#` comments and spaces around values are fine.
enum CSVLoader {
    /// The data set, and warnings about what it holds (values that are not finite).
    static func load(_ url: URL, displayName: String, target: CSVTarget, limits: Limits) throws(Diagnostic) -> (Dataset, [String]) {
        let name = url.lastPathComponent
        let text = try FileText.read(url, what: "data file", shownAs: displayName)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (number: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.text.isEmpty && !$0.text.hasPrefix("#") }
        let separator = Separator.detect(in: lines.prefix(3).map(\.text))
        var header: [String]?
        var rows: [[Double]] = []
        for line in lines {
            let fields = separator.split(line.text)
            let numbers = fields.map(number)
            if let bad = numbers.firstIndex(where: { $0 == nil }) {
                if rows.isEmpty && header == nil { header = fields; continue }
                throw Diagnostic("\(name):\(line.number): '\(fields[bad])' is not a number (values separated by \(separator.name))")
            }
            let width = rows.first?.count ?? header?.count ?? numbers.count
            if numbers.count != width {
                throw Diagnostic("\(name):\(line.number): \(counted(numbers.count, "value")) separated by \(separator.name), but the \(rows.isEmpty ? "header has" : "first row has") \(width)")
            }
            rows.append(numbers.map { $0! })
        }
        guard let first = rows.first else { throw Diagnostic("\(name) has no rows of numbers") }
        guard first.count >= 2 else {
            throw Diagnostic("\(name) has one column (read with values separated by \(separator.name)); it needs features and a target")
        }
        try limits.checkMatrix(rows: rows.count, cols: first.count, at: nil)
        let targetColumn = try column(of: target, in: name, columns: first.count, header: header)
        let x = Matrix(rows.map { row in row.enumerated().filter { $0.offset != targetColumn }.map(\.element) })
        let y = Matrix(column: rows.map { $0[targetColumn] })
        return (Dataset(x: x, y: y), warnings(rows, name: name, lines: lines.map(\.number).suffix(rows.count)))
    }

    /// A field as a number: plain, or inside double quotes.
    private static func number(_ field: String) -> Double? {
        var text = field
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces) }
        return Double(text)
    }

    /// The index of the target column.
    private static func column(of target: CSVTarget, in name: String, columns: Int, header: [String]?) throws(Diagnostic) -> Int {
        switch target {
        case .last: return columns - 1
        case .first: return 0
        case .column(let c):
            guard c <= columns else { throw Diagnostic("target=\(c), but \(name) has \(columns) columns") }
            return c - 1
        case .name(let wanted):
            let names = (header ?? []).map { $0.count >= 2 && $0.hasPrefix("\"") && $0.hasSuffix("\"") ? String($0.dropFirst().dropLast()) : $0 }
            guard let index = names.firstIndex(of: wanted) else {
                guard !names.isEmpty else { throw Diagnostic("target=\(wanted), but \(name) has no header line to name its columns") }
                throw Diagnostic("target=\(wanted), but \(name)'s header has no such column; it has \(names.joined(separator: ", "))")
            }
            return index
        }
    }

    /// "3 values are nan or inf (the first on line 4)": training on them gives no finite step.
    private static func warnings(_ rows: [[Double]], name: String, lines: ArraySlice<Int>) -> [String] {
        let lineNumbers = Array(lines)
        var count = 0, firstLine = 0
        for (i, row) in rows.enumerated() {
            let bad = row.filter { !$0.isFinite }.count
            if bad > 0 && count == 0 { firstLine = lineNumbers[i] }
            count += bad
        }
        guard count > 0 else { return [] }
        return ["\(name): \(counted(count, "value")) \(count == 1 ? "is" : "are") nan or inf (the first on line \(firstLine)); a step on them will not be finite"]
    }
}

/// How the values of a line are separated.
enum Separator: Equatable {
    case character(Character)
    case spaces

    var name: String {
        switch self {
        case .character(","): "','"
        case .character(";"): "';'"
        case .character("\t"): "tabs"
        case .character(let c): "'\(c)'"
        case .spaces: "spaces"
        }
    }

    /// The fields of a line; a separator inside double quotes is part of its field.
    func split(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        func end() {
            fields.append(field.trimmingCharacters(in: .whitespaces))
            field = ""
        }
        for c in line {
            if c == "\"" { quoted.toggle(); field.append(c); continue }
            let separates: Bool
            switch self {
            case .character(let s): separates = c == s
            case .spaces: separates = c == " " || c == "\t"
            }
            if separates && !quoted {
                if self == .spaces && field.isEmpty { continue }  // runs of spaces are one separator
                end()
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || self != .spaces { end() }
        return fields
    }

    /// The first of comma, semicolon and tab that splits every sample line into the same
    /// number (at least two) of fields; else spaces when they do; else a comma.
    static func detect(in sample: [String]) -> Separator {
        for candidate in [Separator.character(","), .character(";"), .character("\t"), .spaces] {
            let counts = sample.map { candidate.split($0).count }
            if let first = counts.first, first >= 2, counts.allSatisfy({ $0 == first }) { return candidate }
        }
        return .character(",")
    }
}
