import DescentLanguage
import DescentNotebook
import DescentRendering
import DescentSession
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where this executable is, for finding the lessons beside its build folder.
enum Executable {
    /// What every session of this program is handed: the lessons beside the build folder and
    /// the notebook writer for `export`.
    static var sessionEnvironment: SessionEnvironment {
        var environment = SessionEnvironment()
        environment.lessonLibrary = LessonLibrary.locate(executable: url)
        // Chinese when the locale asks for it and its character set can show it (in a
        // non-UTF-8 locale the characters would come out as "?").
        let language = LessonLanguage.fromLocale(ProcessInfo.processInfo.environment)
        environment.lessonLanguage = language == .zh && !Terminal.unicode ? .en : language
        environment.notebookWriter = NotebookFiles()
        return environment
    }

    static var url: URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }
}

/// Facts about where output goes: a terminal or not, its width, colour, UTF-8.
enum Terminal {
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Colour only on a terminal, never with NO_COLOR set or TERM=dumb.
    static var useColor: Bool {
        let env = ProcessInfo.processInfo.environment
        if env["NO_COLOR"].map({ !$0.isEmpty }) == true { return false }
        if env["TERM"] == "dumb" { return false }
        return stdoutIsTerminal
    }

    /// UTF-8 unless the locale says otherwise.
    static var unicode: Bool {
        let env = ProcessInfo.processInfo.environment
        let locale = env["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LANG"] ?? ""
        if locale.isEmpty { return true }  // no locale set at all: assume a modern terminal
        let lower = locale.lowercased()
        return lower.contains("utf-8") || lower.contains("utf8")
    }

    /// COLUMNS, else the terminal's width, else 80.
    static var width: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A diagnostic on stderr, with its source line and caret; coloured only when stderr is
    /// a terminal.
    static func printError(_ diagnostic: Diagnostic, source: String?) {
        let renderer = TerminalRenderer(width: width, color: useColor && isatty(STDERR_FILENO) == 1, unicode: unicode)
        for line in renderer.render(diagnostic, source: source) { printError(line) }
    }
}
