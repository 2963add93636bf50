import ArgumentParser
import DescentCore
import DescentLanguage
import DescentRendering
import DescentSession
import Foundation

/// The `descent` command line: the REPL by default, `descent run FILE`, `descent lesson N`.
@main
struct Descent: ParsableCommand {

    static let configuration = CommandConfiguration(
        commandName: "descent",
        abstract: "A notebook-style REPL for learning how gradient descent trains neural networks.",
        discussion: """
            Build a network with one-line commands, take one step of gradient descent at a time, \
            and look at every weight and gradient. Type 'help' inside for the commands.
            """,
        version: DescentVersion.current,
        subcommands: [REPLCommand.self, RunCommand.self, LessonCommand.self, ExportLessonCommand.self, ServeCommand.self],
        defaultSubcommand: REPLCommand.self
    )

    /// Like ArgumentParser's own `main`, but a usage error exits with status 2 (as `descent run`
    /// documents), not EX_USAGE (64).
    static func main() {
        // `descent --version` answers before ArgumentParser, whose reflection over the
        // commands costs about 1.3 ms of every start (perf; see the README's start-up figures).
        if CommandLine.arguments.count == 2 && CommandLine.arguments[1] == "--version" {
            print(DescentVersion.current)
            return
        }
        BLASThreads.configureDefault()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version
            }
            if code.rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

struct REPLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Start the interactive session (the default).")

    func run() throws {
        var repl = REPL()
        repl.start()
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a script and print its transcript.",
        discussion: """
            Exit status: 0 when every line ran, 1 at the first error or failed expect \
            (reported as FILE:LINE:COL: message on standard error; with --keep-going, after \
            the last line), 2 for a usage error or an unreadable file, 130 when interrupted \
            with Ctrl-C.
            """)

    @Argument(help: "The script to run (a .descent file).")
    var file: String

    @Flag(name: .shortAndLong, help: "Print only the commands' output, not the commands.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Report every error and go on with the next line (exit status 1 if any).")
    var keepGoing = false

    @Flag(help: "After each step, epoch or train, print how long it took and the time per step, and at the end the peak memory (on stderr).")
    var timings = false

    func run() throws {
        let code = ScriptMode(file: file, quiet: quiet, keepGoing: keepGoing, timings: timings).run()
        if code != 0 { throw ExitCode(code) }
    }
}

struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Start the interactive session inside lesson N.")

    @Argument(help: "The lesson number ('lessons' inside the REPL lists them).")
    var number: Int

    @OptionGroup var languageOption: LessonLanguageOption

    func run() throws {
        var repl = REPL()
        repl.start(initialLine: "lesson \(number)" + (languageOption.lang.map { " lang=\($0)" } ?? ""))
    }
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run one session for another program: JSON lines on stdin and stdout (the Jupyter kernel uses it).",
        discussion: """
            Each request is one JSON object on a line: {"id": 1, "op": "execute", "code": "step"}; \
            the ops are execute, complete, inspect, is_complete and shutdown. Replies carry the \
            request's id: stream, display (MIME bundles), progress, then done. SIGINT stops a \
            long run of steps, as Ctrl-C does. Sources/descent/ServeMode.swift describes the \
            protocol in full.
            """)

    func run() throws {
        var serve = ServeMode()
        let code = serve.run()
        if code != 0 { throw ExitCode(code) }
    }
}

struct ExportLessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-lesson",
        abstract: "Write lesson N as a notebook: its prose as Markdown cells, its commands as code cells, with their outputs.",
        discussion: """
            The lesson runs as a script (as 'descent run' runs it) and is exported as 'export' \
            exports a session, so FILE may end in .ipynb (it opens in Jupyter with the descent \
            kernel: scripts/install-jupyter-kernel), .md, .html or .py (PyTorch).
            """)

    @Argument(help: "The lesson number ('lessons' in the REPL lists them).")
    var number: Int

    @Argument(help: "The notebook to write, e.g. lesson1.ipynb.")
    var file: String

    @OptionGroup var languageOption: LessonLanguageOption

    func run() throws {
        let environment = Executable.sessionEnvironment
        let language = languageOption.chosen ?? environment.lessonLanguage
        let library = environment.lessonLibrary
        guard case .success(let folder) = library.origin else {
            if case .failure(let failure) = library.origin { Terminal.printError("descent: \(failure.message)") }
            throw ExitCode(2)
        }
        guard let lesson = library.lesson(number, in: language) else {
            let numbers = library.lessons(in: language).map(\.number)
            Terminal.printError("descent: there is no lesson \(number); the lessons are \(numbers.first ?? 1)–\(numbers.last ?? 1)")
            throw ExitCode(2)
        }
        var session = Session()
        session.environment = Executable.sessionEnvironment
        if isatty(STDERR_FILENO) == 1 {
            session.environment.progressHandler = ProgressDisplay.terminal(unicode: Terminal.unicode, width: Terminal.width)
        }
        let path = folder.appendingPathComponent((language == .zh ? "zh/" : "") + lesson.fileName).path
        let text: String
        do { text = try ScriptRunner.read(path) } catch {
            Terminal.printError("descent: \(error.fullMessage)")
            throw ExitCode(2)
        }
        if let error = ScriptRunner.run(text, file: lesson.fileName, in: &session, onEvent: { _ in }) {
            Terminal.printError("descent: lesson \(number) failed: \(error.locationPrefix)\(error.fullMessage)")
            throw ExitCode(1)
        }
        let result = session.perform("export \"\(file.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"")
        if let error = result.error {
            Terminal.printError("descent: \(error.fullMessage)")
            throw ExitCode(1)
        }
        let renderer = TerminalRenderer(width: Terminal.width, color: Terminal.useColor, unicode: Terminal.unicode)
        print(renderer.render(result.output ?? Output()).joined(separator: "\n"))
    }
}

/// `--lang en|zh`, shared by `descent lesson` and `descent export-lesson`.
struct LessonLanguageOption: ParsableArguments {
    @Option(help: "The lesson's language: en or zh (简体中文). The default follows the locale (LC_ALL, LC_MESSAGES, LANG).")
    var lang: String?

    var chosen: LessonLanguage? { lang.flatMap(LessonLanguage.init(rawValue:)) }

    func validate() throws {
        if let lang, LessonLanguage(rawValue: lang) == nil {
            throw ValidationError("--lang takes en or zh, not '\(lang)'")
        }
    }
}
