import Foundation
import Testing

/// Transcript tests in the style of kanaka/mal: a `.transcript` file is input lines, each
/// followed by the output it must produce (`;=>` lines on stdout, `;=!` lines on stderr).
/// Lines starting with `;` otherwise are comments. The inputs run as one script through the
/// real binary (`descent run --keep-going`), so errors do not stop the transcript.
@Suite struct TranscriptTests {
    static let folder = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Transcripts")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".transcript") }.sorted()
    }

    struct Entry {
        var input: String
        var output: [String] = []
        var errors: [String] = []
    }

    static func parse(_ text: String) -> [Entry] {
        var entries: [Entry] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix(";=>") {
                entries[entries.count - 1].output.append(String(line.dropFirst(3)))
            } else if line.hasPrefix(";=!") {
                entries[entries.count - 1].errors.append(String(line.dropFirst(3)))
            } else if line.hasPrefix(";") || line.trimmingCharacters(in: .whitespaces).isEmpty {
                continue
            } else {
                entries.append(Entry(input: line))
            }
        }
        return entries
    }

    @Test func thereAreTranscripts() { #expect(TranscriptTests.files.count >= 6) }

    @Test(arguments: files)
    func transcript(_ name: String) throws {
        let entries = TranscriptTests.parse(try String(contentsOf: TranscriptTests.folder.appendingPathComponent(name), encoding: .utf8))
        let script = try BinaryRunner.temporaryScript(entries.map(\.input).joined(separator: "\n") + "\n", name: "transcript.descent")
        let result = try BinaryRunner.run(["run", "--keep-going", "transcript.descent"],
                                          directory: script.deletingLastPathComponent(), mergeErrors: true)
        var expected: [String] = []
        for entry in entries {
            if entry.errors.isEmpty {
                expected.append("> " + entry.input)
                expected += entry.output
            } else {
                expected += entry.errors
            }
        }
        // Errors start with "transcript.descent:LINE:COL: "; the transcript leaves that out.
        let actual = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .map { $0.replacingOccurrences(of: #"^transcript\.descent:\d+(:\d+)?: "#, with: "", options: .regularExpression) }
            .dropLast(result.stdout.hasSuffix("\n") ? 1 : 0)
        let hasErrors = entries.contains { !$0.errors.isEmpty }
        #expect(result.status == (hasErrors ? 1 : 0))
        for (i, line) in expected.enumerated() {
            guard i < actual.count else {
                Issue.record("\(name): output ends before line \(i + 1): expected \(line.debugDescription)")
                return
            }
            if actual[i] != line {
                let context = actual[max(0, i - 3)...min(actual.count - 1, i + 3)].joined(separator: "\n")
                Issue.record("\(name): line \(i + 1)\n  expected: \(line.debugDescription)\n  actual:   \(actual[i].debugDescription)\ncontext:\n\(context)")
                return
            }
        }
        #expect(actual.count == expected.count, "\(name): extra output: \(actual.dropFirst(expected.count).joined(separator: "\n"))")
    }
}
