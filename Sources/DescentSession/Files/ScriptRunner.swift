import DescentLanguage
import Foundation

/// Runs a script (the same lines the REPL takes) through a session, line by line, stopping
/// at the first error or failed `expect`. Used by `descent run` and by the `run` command.
public enum ScriptRunner {
    /// One line of a script and what it printed.
    public struct Event: Sendable {
        public var line: Int
        /// The command, or nil for a lesson's prose (`#>` lines).
        public var source: String?
        public var output: Output
    }

    /// The script's lines without their line endings (LF, CRLF or CR).
    public static func lines(of text: String) -> [String] {
        // Character.isNewline covers "\n", "\r\n" (one Character in Swift) and "\r".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Runs `text` in `session`. Returns nil when every line succeeded (or `quit` ended it), else
    /// the first error with its file and line filled in. Each command's output goes to `onEvent`
    /// as soon as it is ready. Lines run as cells of the session. With `keepGoing`, an error is
    /// passed to `onError` and the script goes on with the next line.
    public static func run(
        _ text: String, file: String, in session: inout Session, keepGoing: Bool = false,
        shouldStop: @escaping () -> Bool = { false }, onError: (Diagnostic) -> Void = { _ in },
        onEvent: (Event) -> Void
    ) -> Diagnostic? {
        var firstError: Diagnostic?
        var prose: [String] = []
        // The prose before a command is kept with the cell it introduces (an export writes
        // it as Markdown, as it does a lesson's); the prose after the last, as its summary.
        var introduction: [String] = []
        func flushProse(at line: Int) {
            prose = Lesson.trimBlankEdges(prose)
            if !prose.isEmpty { onEvent(Event(line: line, source: nil, output: Output(blocks: [.prose(prose)]))) }
            introduction = prose
            prose = []
        }
        defer {
            flushProse(at: 0)
            if !introduction.isEmpty, !session.notebook.cells.isEmpty, session.notebook.cells[session.notebook.cells.count - 1].summary.isEmpty {
                session.notebook.cells[session.notebook.cells.count - 1].summary = introduction
            }
        }
        for (index, line) in lines(of: text).enumerated() {
            if let text = Lesson.prose(line) {
                prose.append(text)
                continue
            }
            // Blank and comment lines are not cells (and in a lesson a blank line would run
            // the lesson's offered cell).
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            flushProse(at: index + 1)
            if shouldStop() { return interrupted(file: file, line: index + 1) }
            let cellsBefore = session.notebook.cells.count
            let result = session.perform(line, shouldStop: shouldStop)
            if !introduction.isEmpty && session.notebook.cells.count > cellsBefore {
                session.notebook.cells[session.notebook.cells.count - 1].prose = introduction
            }
            introduction = []
            if var error = result.error {
                error.file = file
                error.line = index + 1
                guard keepGoing else { return error }
                firstError = firstError ?? error
                onError(error)
                continue
            }
            if let output = result.output, result.command != nil {
                onEvent(Event(line: index + 1, source: line, output: output))
                if output.quit { break }
            }
            // Ctrl-C during this line (a long train stops cleanly and says so): the script
            // stops here, naming this line.
            if shouldStop() { return interrupted(file: file, line: index + 1) }
        }
        return firstError
    }

    private static func interrupted(file: String, line: Int) -> Diagnostic {
        var stop = Diagnostic("interrupted")
        stop.file = file
        stop.line = line
        return stop
    }
}

extension ScriptRunner {
    /// Reads a script file, with a one-line error for a missing, unreadable, binary or
    /// non-UTF-8 file.
    public static func read(_ path: String) throws(Diagnostic) -> String {
        try FileText.read(URL(fileURLWithPath: path), what: "script", shownAs: path)
    }
}
