import DescentLanguage
import DescentRendering
import DescentSession
import Foundation

/// Drawing `StepProgress` on a terminal: a bar while a long run goes on, then how long it took.
enum ProgressDisplay {
    /// For the REPL on a terminal: a bar on stderr, redrawn in place; at the end the line is
    /// cleared and, for runs longer than half a second, the elapsed time and time per step.
    static func terminal(unicode: Bool, width: Int) -> @Sendable (StepProgress) -> Void {
        { p in
            if p.finished {
                var line = "\r\u{1B}[K"
                if p.elapsedSeconds > 0.5 && p.taken > 0 {
                    line += "\u{1B}[2m\(p.purpose.map { $0 + ": " } ?? "")\(summary(p))\u{1B}[0m\n"
                }
                FileHandle.standardError.write(Data(line.utf8))
                return
            }
            let fraction = Double(p.taken) / Double(max(p.limit, 1))
            let rate = Double(p.taken) / max(p.elapsedSeconds, 1e-9)
            let dot = unicode ? " · " : ", "
            var parts = [" \(p.purpose.map { $0 + ": " } ?? "")\(p.taken)/\(p.limit) steps", "\(Int(rate)) steps/s"]
            if p.loss.isFinite { parts.append("loss \(NumberFormat.format(p.loss, precision: 4))") }
            if p.purpose == nil { parts.append("Ctrl-C stops") }
            // The line must never wrap (a wrapped line cannot be redrawn in place), not even
            // when Ctrl-C makes the terminal echo "^C" after it: drop the later parts, then
            // shorten the bar, to fit the terminal less three columns.
            let room = width - 3
            var text = parts.joined(separator: dot)
            var kept = parts.count
            while kept > 1 && text.count + 12 > room {
                kept -= 1
                text = parts.prefix(kept).joined(separator: dot)
            }
            let barWidth = max(0, min(30, room - text.count - 2))
            let filled = Int(fraction * Double(barWidth))
            let bar = unicode
                ? String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
                : String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
            let line = String(("[\(bar)]" + text).prefix(max(room, 1)))
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        }
    }

    /// For `descent run --timings`: one line per run of steps, on stderr.
    static func timings() -> @Sendable (StepProgress) -> Void {
        { p in
            if p.finished && p.taken > 0 {
                FileHandle.standardError.write(Data("timing: \(summary(p))\n".utf8))
            }
        }
    }

    /// "peak RSS 45.2 MiB: 27.1 MiB of data (anonymous), 18.1 MiB of mapped code and files",
    /// from /proc/self/status (Linux); nil where that file does not exist. The data figure is
    /// the current one, which after a run of steps is its peak: nothing big is freed.
    static func memorySummary() -> String? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        func kiB(_ key: String) -> Double? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
        }
        guard let peak = kiB("VmHWM"), let anonymous = kiB("RssAnon"), let file = kiB("RssFile") else { return nil }
        func mib(_ k: Double) -> String { String(format: "%.1f MiB", k / 1024) }
        return "peak RSS \(mib(peak)): \(mib(anonymous)) of data (anonymous), \(mib(file)) of mapped code and files"
    }

    static func summary(_ p: StepProgress) -> String {
        let perStep = p.elapsedSeconds / Double(p.taken)
        let per = perStep < 1e-3 ? String(format: "%.3g µs", perStep * 1e6) : String(format: "%.3g ms", perStep * 1e3)
        return "\(counted(p.taken, "step")) in " + String(format: "%.3g s", p.elapsedSeconds) + " (\(per) per step)"
    }
}
