import CEditLine
import DescentSession
import Foundation

/// The one piece of global mutable state: libedit calls completion through a C function
/// pointer that cannot capture anything, so it reads what to complete against from here.
/// The REPL sets it before each prompt.
nonisolated(unsafe) var completionSource: Completer?

/// Line editing through libedit's readline-compatible API: history (persisted to a file),
/// Up/Down, Ctrl-R, and Tab completion.
struct LineEditor {
    let historyFile: URL?

    init(historyFile: URL?) {
        self.historyFile = historyFile
        // Without a UTF-8 locale libedit drops non-ASCII input.
        if setlocale(LC_CTYPE, "") == nil || !String(cString: nl_langinfo(nl_item(CODESET))).uppercased().contains("UTF") {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        descent_set_readline_name("descent")
        descent_set_word_break_characters(" \t\n\"=,[]()")
        descent_set_completion(completeCallback)
        using_history()
        stifle_history(1000)
        if let historyFile {
            try? FileManager.default.createDirectory(at: historyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            read_history(historyFile.path)
        }
    }

    /// The history file: $XDG_STATE_HOME/descent/history, or ~/.local/state/descent/history.
    static var defaultHistoryFile: URL? {
        let env = ProcessInfo.processInfo.environment
        if let state = env["XDG_STATE_HOME"], !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("descent/history")
        }
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/descent/history")
    }

    /// A line, or nil at end of input (Ctrl-D) or after Ctrl-C (then `descent_take_interrupt`
    /// tells which).
    func readLine(prompt: String) -> String? {
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// Adds the line to the history and writes the file at once, so that closing the terminal
    /// (SIGHUP) or killing descent loses nothing typed.
    func remember(_ line: String) {
        add_history(line)
        save()
    }

    /// Writes the history to a temporary file beside it, then renames that over the file:
    /// the file is always the old history or the whole new one, whatever signal comes when
    /// (closing a terminal kills descent at any moment; writing in place could leave it empty).
    func save() {
        guard let historyFile else { return }
        let temporary = historyFile.path + ".\(getpid()).tmp"
        if write_history(temporary) == 0 {
            rename(temporary, historyFile.path)
        } else {
            unlink(temporary)
        }
    }
}

/// libedit's completion hook: the matches for the word `text`, which starts at byte `start`
/// of the line. Returns a malloc'ed, NULL-terminated array whose first entry is what replaces
/// the word (the longest common prefix), as readline expects; nil for no matches.
private let completeCallback: descent_completion_fn = { text, start, _ in
    guard let text, let completer = completionSource else { return nil }
    let word = String(cString: text)
    let lineBytes = Array(String(cString: descent_line_buffer()).utf8)
    let before = String(decoding: lineBytes.prefix(Int(start)), as: UTF8.self)
    switch completer.complete(word: word, before: before) {
    case .words(let matches):
        descent_set_completion_over(1)
        guard !matches.isEmpty else { return nil }
        let common = matches.dropFirst().reduce(matches[0]) { prefix, next in
            String(zip(prefix, next).prefix { $0 == $1 }.map(\.0))
        }
        // A space after a finished word; none after "key=" or a folder ("state/"), which go on.
        // The space is part of the match rather than libedit's append character, which it
        // did not always honour (about one completion in four, in the pty tests).
        descent_set_append_character(0)
        let finished = matches.count == 1 && !matches[0].hasSuffix("=") && !matches[0].hasSuffix("/")
        let entries = matches.count == 1 ? [matches[0] + (finished ? " " : "")] : [common] + matches
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: entries.count + 1)
        for (i, entry) in entries.enumerated() { array[i] = strdup(entry) }
        array[entries.count] = nil
        return array
    }
}
