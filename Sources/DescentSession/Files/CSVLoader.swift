import DescentCore
import DescentLanguage
import Foundation

/// Reads a data set from a CSV file of numbers: one example per line, one column the target.
/// A first line that is not all numbers is a header. CRLF endings, blank lines and spaces
/// around values are fine.
enum CSVLoader {
    static func load(_ url: URL, displayName: String, target: CSVTarget, limits: Limits) throws(Diagnostic) -> Dataset {
        let name = url.lastPathComponent
        let text = try FileText.read(url, what: "data file", shownAs: displayName)
        var rows: [[Double]] = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = fields.map { Double($0) }
            if numbers.contains(where: { $0 == nil }) {
                if rows.isEmpty && lineNumber == 1 { continue }  // header
                let bad = fields[numbers.firstIndex(where: { $0 == nil })!]
                throw Diagnostic("\(name):\(lineNumber): '\(bad)' is not a number")
            }
            if let first = rows.first, first.count != numbers.count {
                throw Diagnostic("\(name):\(lineNumber): \(numbers.count) values, but the first row has \(first.count)")
            }
            rows.append(numbers.map { $0! })
        }
        guard let first = rows.first else { throw Diagnostic("\(name) has no rows of numbers") }
        guard first.count >= 2 else { throw Diagnostic("\(name) has one column; it needs features and a target") }
        try limits.checkMatrix(rows: rows.count, cols: first.count, at: nil)
        let targetColumn: Int
        switch target {
        case .last: targetColumn = first.count - 1
        case .first: targetColumn = 0
        case .column(let c):
            guard c <= first.count else { throw Diagnostic("target=\(c), but \(name) has \(first.count) columns") }
            targetColumn = c - 1
        }
        let x = Matrix(rows.map { row in row.enumerated().filter { $0.offset != targetColumn }.map(\.element) })
        let y = Matrix(column: rows.map { $0[targetColumn] })
        return Dataset(x: x, y: y)
    }
}

/// Reading a text file the user named, with one-line errors for every way it can fail.
enum FileText {
    static let maxBytes = 64 << 20

    /// `shownAs` is how the file is named in messages (as the user typed it).
    static func read(_ url: URL, what: String, shownAs: String? = nil) throws(Diagnostic) -> String {
        let path = shownAs ?? url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw Diagnostic("no such \(what): \(path)")
        }
        if isDirectory.boolValue { throw Diagnostic("\(path) is a folder, not a \(what)") }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw Diagnostic("cannot read \(path): permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw Diagnostic("cannot read \(path): \(error.localizedDescription)")
        }
        if data.count > maxBytes { throw Diagnostic("\(path) is larger than \(Limits.bytes(maxBytes)); is it the right file?") }
        if data.contains(0) { throw Diagnostic("\(path) is a binary file (it contains NUL bytes), not a \(what)") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic("\(path) is not UTF-8 text")
        }
        return text
    }
}
