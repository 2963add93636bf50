import CEditLine
import DescentLanguage
import DescentNotebook
import DescentRendering
import DescentSession
import Foundation

/// `descent serve`: one session behind a machine interface, for the Jupyter kernel (and any
/// editor plug-in). JSON lines on stdin and stdout, nothing else on stdout; reachable only by
/// the process that started it (pipes, no port).
///
/// Requests, one JSON object a line, each with an `id` its replies repeat:
/// - `{"op": "execute", "code": "step 5\nshow W1"}`: the cell's lines run in order, as a
///   script's do, stopping at the first error; an empty cell in a lesson runs the offered
///   command. Replies `stream` (`name`, `text`) and `display` (`data`: MIME type → text) as each
///   line ends, `progress` during a long run (`taken`, `limit`, `loss`, `finished`), then
///   `done` with `status` "ok", or "error" with `ename`, `evalue`, `traceback` (the message, the
///   line and a caret under the problem).
/// - `{"op": "complete", "code": …, "cursor": N}`: `done` with `matches`, `cursor_start`,
///   `cursor_end` (N and the cursors count Unicode code points, as Jupyter's do).
/// - `{"op": "inspect", "code": …, "cursor": N}`: `done` with `found` and `data`
///   (`{"text/plain": …}`: the help for the command or function under the cursor, or the
///   value of a name).
/// - `{"op": "is_complete", "code": …}`: `done` with `status` "complete" or "invalid".
/// - `{"op": "shutdown"}`: `done`, then the process ends (as it does when stdin closes).
/// The first line written is `{"type": "ready", "version": …, "language": …}`. SIGINT stops a
/// long run of steps cleanly, as Ctrl-C does in the REPL: the cell ends with an error
/// "interrupted", and the steps taken are kept.
struct ServeMode {
    var session: Session

    init() {
        session = Session(baseDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        session.environment = Executable.sessionEnvironment
    }

    static var languageInfo: [String: Any] { [
        "name": "descent", "version": DescentVersion.current, "file_extension": ".descent",
        "mimetype": "text/x-descent", "pygments_lexer": "text",
    ] }

    mutating func run() -> Int32 {
        descent_install_sigint()
        var input = LineInput(fd: STDIN_FILENO)
        Self.send(["type": "ready", "version": DescentVersion.current, "language": Self.languageInfo,
                   "banner": "Descent \(DescentVersion.current): a notebook-style REPL for gradient descent. 'help' lists the commands."])
        while let line = input.next() {
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)), let request = object as? [String: Any] else {
                Self.send(["type": "done", "id": NSNull(), "status": "error", "ename": "ProtocolError",
                           "evalue": "a request is one JSON object on one line", "traceback": [String]()])
                continue
            }
            let id = RequestID(request["id"])
            let code = request["code"] as? String ?? ""
            let cursor = request["cursor"] as? Int ?? code.unicodeScalars.count
            switch request["op"] as? String {
            case "execute": execute(code, id: id)
            case "complete": Self.send(["type": "done", "id": id.json, "status": "ok"].merging(complete(code, cursor: cursor)) { $1 })
            case "inspect": Self.send(["type": "done", "id": id.json, "status": "ok"].merging(inspect(code, cursor: cursor)) { $1 })
            case "is_complete": Self.send(["type": "done", "id": id.json, "status": Self.isComplete(code)])
            case "shutdown":
                Self.send(["type": "done", "id": id.json, "status": "ok"])
                return 0
            default:
                Self.send(["type": "done", "id": id.json, "status": "error", "ename": "ProtocolError",
                           "evalue": "unknown op \(String(describing: request["op"] ?? "nil")): execute, complete, inspect, is_complete or shutdown",
                           "traceback": [String]()])
            }
        }
        return 0
    }

    // MARK: - execute

    mutating func execute(_ code: String, id: RequestID) {
        _ = descent_take_interrupt()  // a SIGINT that came while idle stops nothing
        session.environment.progressHandler = { progress in
            Self.send(["type": "progress", "id": id.json, "taken": progress.taken, "limit": progress.limit,
                       "loss": progress.loss.isFinite ? progress.loss : NSNull(), "finished": progress.finished,
                       "seconds": progress.elapsedSeconds, "purpose": progress.purpose ?? NSNull()])
        }
        session.environment.showNow = { output in Self.sendOutputs(output, id: id) }
        defer {
            session.environment.progressHandler = nil
            session.environment.showNow = nil
        }
        let lines = ScriptRunner.lines(of: code)
        // An empty cell in a lesson runs the command the lesson offers, as Enter does.
        if lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
            guard session.lessonProgress?.offered != nil else { return Self.send(["type": "done", "id": id.json, "status": "ok"]) }
            let result = session.perform("")
            if var output = result.output {
                output.blocks.removeFirst(min(output.alreadyShown, output.blocks.count))  // the echo went out before the run
                Self.sendOutputs(output, id: id)
            }
            if let error = result.error { return sendError(error, source: nil, id: id) }
            return Self.send(["type": "done", "id": id.json, "status": "ok"])
        }
        let error = ScriptRunner.run(code, file: "cell", in: &session, shouldStop: { descent_peek_interrupt() != 0 }) { event in
            var output = event.output
            output.blocks.removeFirst(min(output.alreadyShown, output.blocks.count))  // `run` showed these as they came
            Self.sendOutputs(output, id: id)
        }
        _ = descent_take_interrupt()
        if let error {
            sendError(error, source: error.line.map { lines[$0 - 1] }, id: id)
        } else {
            Self.send(["type": "done", "id": id.json, "status": "ok"])
        }
    }

    static func sendOutputs(_ output: Output, id: RequestID) {
        for piece in NotebookExporter.jupyterOutputs(output, offers: true) {
            switch piece {
            case .stream(let name, let text): send(["type": "stream", "id": id.json, "name": name, "text": text])
            case .display(let data): send(["type": "display", "id": id.json, "data": data])
            }
        }
    }

    /// An error as Jupyter shows one: the message (with the cell's line when the cell has
    /// several), then the line and a caret under the problem.
    func sendError(_ error: Diagnostic, source: String?, id: RequestID) {
        var traceback = ["error: " + error.fullMessage]
        if let line = error.line { traceback[0] = "line \(line)" + (error.range.map { ":\($0.column)" } ?? "") + ": " + traceback[0] }
        if let source, error.range != nil { traceback += error.caretLines(source: source) }
        let name = error.message == "interrupted" ? "KeyboardInterrupt" : error.message.hasPrefix("expect") ? "ExpectationFailed" : "DescentError"
        Self.send(["type": "done", "id": id.json, "status": "error", "ename": name, "evalue": error.fullMessage, "traceback": traceback])
    }

    // MARK: - complete, inspect, is_complete

    /// The word before the cursor completed by Descent's own completer (Tab in the REPL).
    func complete(_ code: String, cursor: Int) -> [String: Any] {
        let (line, column) = Self.line(of: code, at: cursor)
        let before = String(line.unicodeScalars.prefix(column))
        let word = String(before.unicodeScalars.reversed().prefix { !Self.breaks.contains($0) }.reversed().map(Character.init))
        let start = cursor - word.unicodeScalars.count
        let prefix = String(before.unicodeScalars.dropLast(word.unicodeScalars.count).map(Character.init))
        switch Completer(session: session).complete(word: word, before: prefix) {
        case .words(let words):
            return ["matches": words, "cursor_start": start, "cursor_end": cursor, "metadata": [String: Any]()]
        }
    }

    static let breaks = Set(" \t\n\"'()[],=+-*/^@<>~".unicodeScalars)

    /// Shift-Tab: `help` for a command or function under the cursor, the value of a name.
    func inspect(_ code: String, cursor: Int) -> [String: Any] {
        let (line, column) = Self.line(of: code, at: cursor)
        let scalars = Array(line.unicodeScalars)
        var start = min(column, scalars.count), end = start
        while start > 0 && !Self.breaks.contains(scalars[start - 1]) { start -= 1 }
        while end < scalars.count && !Self.breaks.contains(scalars[end]) { end += 1 }
        let word = String(String.UnicodeScalarView(scalars[start..<end]))
        guard !word.isEmpty else { return ["found": false, "data": [String: Any](), "metadata": [String: Any]()] }
        var probe = session  // a copy: looking changes nothing, and records no cell
        probe.environment = SessionEnvironment()
        var text = ""
        if CommandCatalog.entry(named: word) != nil {
            text = Self.plain(probe.perform("help \(word)").output)
        } else if let description = FunctionCatalog.unary[word] ?? FunctionCatalog.dataFunctions[word] ?? FunctionCatalog.constructors[word]?.help {
            text = description
        } else if word.first?.isLetter == true, let output = probe.perform("show \(word)").output {
            text = Self.plain(output)
        }
        guard !text.isEmpty else { return ["found": false, "data": [String: Any](), "metadata": [String: Any]()] }
        return ["found": true, "data": ["text/plain": text], "metadata": [String: Any]()]
    }

    static func plain(_ output: Output?) -> String {
        guard let output else { return "" }
        return TerminalRenderer(width: 80, color: false, unicode: true).render(output).joined(separator: "\n")
    }

    /// Every line of a cell is a whole command, so a cell is complete unless a line leaves
    /// a bracket or a string open, which no later line can close.
    static func isComplete(_ code: String) -> String {
        for line in ScriptRunner.lines(of: code) {
            var depth = 0, quoted = false
            for c in line {
                if c == "#" && !quoted { break }  // a comment: the rest of the line is not code
                if c == "\"" { quoted.toggle() } else if !quoted && c == "[" { depth += 1 } else if !quoted && c == "]" { depth -= 1 }
            }
            if quoted || depth != 0 { return "invalid" }
        }
        return "complete"
    }

    /// The line holding code point `cursor`, and the cursor's column in it.
    static func line(of code: String, at cursor: Int) -> (line: String, column: Int) {
        let scalars = Array(code.unicodeScalars)
        let cursor = max(0, min(cursor, scalars.count))
        var start = cursor
        while start > 0 && scalars[start - 1] != "\n" { start -= 1 }
        var end = cursor
        while end < scalars.count && scalars[end] != "\n" { end += 1 }
        return (String(String.UnicodeScalarView(scalars[start..<end])), cursor - start)
    }

    // MARK: - the wire

    static func send(_ object: [String: Any]) {
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}

/// Lines from a file descriptor, read with read(2) so that a SIGINT between requests (the
/// handler has no SA_RESTART, see CEditLine's shim) does not end the input.
struct LineInput {
    let fd: Int32
    var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = [] }
                return String(decoding: buffer, as: UTF8.self)
            }
            buffer += chunk[..<count]
        }
    }
}

/// A request's id as the client sent it (a number or a string), repeated in every reply.
enum RequestID: Sendable {
    case number(Double), text(String), none

    init(_ value: Any?) {
        switch value {
        case let n as NSNumber: self = .number(n.doubleValue)
        case let s as String: self = .text(s)
        default: self = .none
        }
    }

    var json: Any {
        switch self {
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n as Any
        case .text(let s): s
        case .none: NSNull()
        }
    }
}
