import ArgumentParser
import DescentCore
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
        subcommands: [REPLCommand.self, RunCommand.self, LessonCommand.self],
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

    func run() throws {
        var repl = REPL()
        repl.start(initialLine: "lesson \(number)")
    }
}
