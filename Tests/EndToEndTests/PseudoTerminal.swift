import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs `descent` on a pseudo-terminal (forkpty makes it the child's controlling terminal, so
/// Ctrl-C raises SIGINT as it does for a user), types into it and reads what it draws.
final class PseudoTerminal {
    struct Timeout: Error, CustomStringConvertible {
        var waitingFor: String
        var screen: String
        var description: String { "timed out waiting for \(waitingFor.debugDescription); got:\n\(screen)" }
    }

    let master: Int32
    let pid: pid_t
    /// Everything the program has written so far.
    private(set) var output = ""
    /// Where the next `expect` starts looking.
    private var mark: String.Index

    /// Runs `program` (descent when nil) with `arguments` on a terminal `columns` wide.
    init(program: String? = nil, arguments: [String] = [], environment: [String: String], directory: String? = nil,
         columns: UInt16 = 120) throws {
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        env["NO_COLOR"] = "1"
        env["COLUMNS"] = "\(columns)"
        env.removeValue(forKey: "LC_ALL")
        env["LC_MESSAGES"] = "C.UTF-8"  // English lessons unless a test asks (see BinaryRunner)
        for (k, v) in environment { env[k] = v }  // NO_COLOR="" turns colour back on
        let path = program ?? BinaryRunner.executable.path
        // Everything the child needs is prepared before the fork: after it, only exec.
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let folder: UnsafeMutablePointer<CChar>? = directory.flatMap { strdup($0) }
        var fd: Int32 = 0
        var size = winsize(ws_row: 50, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        let child = forkpty(&fd, nil, nil, &size)
        if child == 0 {
            if let folder { chdir(folder) }
            execve(path, argv, envp)
            _exit(127)
        }
        argv.forEach { free($0) }
        free(folder)
        envp.forEach { free($0) }
        guard child > 0 else { throw POSIXError(.EAGAIN) }
        master = fd
        pid = child
        mark = output.startIndex
    }

    private var closed = false

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        if !closed { close(master) }
    }

    /// Closes the terminal, as closing its window does: the kernel hangs up the session
    /// (SIGHUP to its leader, which passes it on to its jobs). Waits for the child to end.
    func hangUp() {
        // tmux kill-session and a closed window do both: SIGHUP to the foreground job's
        // process group, and the terminal gone.
        let foreground = tcgetpgrp(master)
        if foreground > 0 { kill(-foreground, SIGHUP) }
        kill(pid, SIGHUP)
        close(master)
        closed = true
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Types text as keys: "\t" is Tab, "\r" Enter, "\u{3}" Ctrl-C, "\u{4}" Ctrl-D.
    func type(_ keys: String) {
        let bytes = Array(keys.utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
        usleep(30_000)
    }

    /// Types each line and Enter, waiting after each for the text that follows it (the next
    /// prompt, usually).
    func enter(_ lines: [(line: String, then: String)]) throws {
        for (line, then) in lines {
            type(line + "\r")
            try expect(then)
        }
    }

    /// Types without the pause `type` makes after the keys (to act while they are handled).
    func typeAtOnce(_ keys: String) {
        let bytes = Array(keys.utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
    }

    static let up = "\u{1B}[A"

    /// Reads until `text` appears after the mark, then moves the mark past it.
    @discardableResult
    func expect(_ text: String, timeout: Double = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let found = output.range(of: text, range: mark..<output.endIndex) {
                let seen = String(output[mark..<found.upperBound])
                mark = found.upperBound
                return seen
            }
            guard Date() < deadline else { throw Timeout(waitingFor: text, screen: String(output[mark...])) }
            readAvailable(waitingMilliseconds: 50)
        }
    }

    private func readAvailable(waitingMilliseconds: Int32) {
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, waitingMilliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buffer, buffer.count)
        if n > 0 {
            let markOffset = output.distance(from: output.startIndex, to: mark)
            output += String(decoding: buffer[0..<n], as: UTF8.self)
            mark = output.index(output.startIndex, offsetBy: markOffset)
        }
    }

    /// The exit status once the program ends, or nil if it is still running after `timeout`.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            readAvailable(waitingMilliseconds: 20)
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
        }
        return nil
    }
}
