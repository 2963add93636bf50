import CEditLine
import DescentLanguage
import DescentRendering
import DescentSession
import Foundation

/// The interactive loop: read a line, run it as a cell, draw its output.
/// On a terminal it edits lines with libedit; on a pipe it reads plain lines, prints no
/// prompt, and keeps going after errors.
struct REPL {
    var session = Session()
    /// Lines read so far, for `<stdin>:LINE:` in errors when input is piped.
    var lineNumber = 0
    let interactive = Terminal.stdinIsTerminal
    /// Made for each output, so that a resized terminal gets output of its new width.
    var renderer: TerminalRenderer { TerminalRenderer(width: Terminal.width, color: Terminal.useColor, unicode: Terminal.unicode) }

    mutating func start(initialLine: String? = nil) {
        descent_install_sigint()
        session.environment = Executable.sessionEnvironment
        session.environment.showNow = { output in
            let lines = TerminalRenderer(width: Terminal.width, color: Terminal.useColor, unicode: Terminal.unicode).render(output)
            if !lines.isEmpty { print(lines.joined(separator: "\n")) }
            descent_flush_stdout()
        }
        if interactive && Terminal.stdoutIsTerminal && isatty(STDERR_FILENO) == 1 {
            session.environment.progressHandler = ProgressDisplay.terminal(unicode: renderer.unicode, width: renderer.width)
        }
        let editor = interactive ? LineEditor(historyFile: LineEditor.defaultHistoryFile) : nil
        if interactive {
            print(renderer.bold("Descent \(DescentVersion.current)") + renderer.dim(" — 'help' lists the commands; Ctrl-D quits."))
        }
        // `descent lesson N` starts with `lesson N`; for a lesson that does not exist it says so
        // and stops, as a command line with a wrong argument does (status 2).
        if let initialLine, !handleStartingLesson(initialLine) { exit(2) }
        while true {
            let line: String?
            if let editor {
                completionSource = Completer(session: session)
                line = editor.readLine(prompt: session.prompt)
                if line == nil, descent_take_interrupt() != 0 {
                    print("^C")  // Ctrl-C at the prompt clears the line
                    continue
                }
            } else {
                line = Swift.readLine()
            }
            guard let line else {
                if interactive { print() }
                break
            }
            let blank = line.trimmingCharacters(in: .whitespaces).isEmpty
            if blank && session.lessonProgress?.offered == nil { continue }  // in a lesson, Enter runs the offered cell
            if !blank { editor?.remember(line) }
            if handle(line) { break }
        }
        editor?.save()
    }

    /// Runs one line; true when the session should end.
    /// Runs the `lesson N` that `descent lesson N` starts with; false when it failed (the
    /// error is printed).
    private mutating func handleStartingLesson(_ line: String) -> Bool {
        _ = handle(line)
        return session.lessonProgress != nil
    }

    private mutating func handle(_ line: String) -> Bool {
        _ = descent_take_interrupt()
        lineNumber += 1
        let result = session.perform(line, shouldStop: { descent_peek_interrupt() != 0 })
        _ = descent_take_interrupt()
        if var error = result.error {
            if !interactive {
                error.file = "<stdin>"
                error.line = lineNumber
            }
            descent_flush_stdout()
            Terminal.printError(error, source: line)
            return false
        }
        if var output = result.output {
            output.blocks.removeFirst(min(output.alreadyShown, output.blocks.count))  // shown while it ran
            let lines = renderer.render(output)
            if !lines.isEmpty { print(lines.joined(separator: "\n")) }
            descent_flush_stdout()
            return output.quit
        }
        return false
    }
}
