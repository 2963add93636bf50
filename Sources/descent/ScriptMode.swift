import CEditLine
import DescentLanguage
import DescentRendering
import DescentSession
import Foundation

/// `descent run FILE`: replays a script, printing each command and its output.
struct ScriptMode {
    var file: String
    var quiet: Bool
    var keepGoing: Bool
    var timings: Bool

    func run() -> Int32 {
        descent_install_sigint()
        let text: String
        do {
            text = try ScriptRunner.read(file)
        } catch {
            Terminal.printError("descent: \(error.fullMessage)")
            return 2
        }
        let scriptURL = URL(fileURLWithPath: file)
        var session = Session(baseDirectory: scriptURL.deletingLastPathComponent())
        session.environment = Executable.sessionEnvironment
        if timings {
            session.environment.progressHandler = ProgressDisplay.timings()
        } else if isatty(STDERR_FILENO) == 1 {
            // A long line shows its progress on the terminal, as in the REPL.
            session.environment.progressHandler = ProgressDisplay.terminal(unicode: Terminal.unicode, width: Terminal.width)
        }
        let renderer = TerminalRenderer(width: Terminal.width, color: Terminal.useColor, unicode: Terminal.unicode)
        let lines = ScriptRunner.lines(of: text)
        var out = FileHandle.standardOutput
        func report(_ error: Diagnostic) {
            descent_flush_stdout()
            let source = error.line.map { lines[$0 - 1] }
            Terminal.printError(error, source: source)
        }
        let error = ScriptRunner.run(text, file: file, in: &session, keepGoing: keepGoing,
                                     shouldStop: { descent_peek_interrupt() != 0 }, onError: report) { event in
            if quiet && event.source == nil { return }  // lesson prose
            var chunk = quiet || event.source == nil ? [] : [renderer.dim("> ") + event.source!]
            chunk += renderer.render(event.output)
            if !chunk.isEmpty { print(chunk.joined(separator: "\n"), to: &out) }
        }
        descent_flush_stdout()
        if timings, let memory = ProgressDisplay.memorySummary() {
            FileHandle.standardError.write(Data("memory: \(memory)\n".utf8))
        }
        if descent_peek_interrupt() != 0 {
            // Which line Ctrl-C stopped, when the script got as far as a line.
            Terminal.printError((error.map { "\($0.locationPrefix)" } ?? "descent: ") + "interrupted")
            return 130
        }
        if let error {
            if !keepGoing { report(error) }
            return 1
        }
        return 0
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(Data(string.utf8)) }
}
