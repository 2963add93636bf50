import DescentLanguage
import Foundation

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
