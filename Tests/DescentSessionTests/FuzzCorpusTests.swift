import DescentFuzzing
import Foundation
import Testing

/// Replays the fuzzer's corpus (programs that once produced an error not seen before): every
/// one must run without a crash, answer in time, and fail atomically. To grow the corpus:
/// `swift run descent-fuzz --seconds 60 --corpus Tests/DescentSessionTests/FuzzCorpus`.
@Suite struct FuzzCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    @Test func corpusReplaysCleanly() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: FuzzCorpusTests.folder.path).filter { $0.hasSuffix(".descent") }.sorted()
        #expect(files.count >= 100)
        var errors = 0
        for file in files {
            let data = try #require(FileHandle(forReadingAtPath: FuzzCorpusTests.folder.appendingPathComponent(file).path)).readDataToEndOfFile()
            let text = String(decoding: data, as: UTF8.self)
            let program = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.hasPrefix("# new:") }
            do {
                errors += try FuzzHarness.run(program).count
            } catch {
                Issue.record("\(file): \(error)")
            }
        }
        #expect(errors > files.count)  // the corpus is made of programs that fail in many ways
    }

    /// A short fuzzing run as part of the tests: a fixed seed, so it is the same every time.
    @Test func shortFuzzRunKeepsTheInvariants() throws {
        var generator = ProgramGenerator(seed: 7, corpus: ["net 2 -> 3 tanh -> 1", "data xor", "step", "show W1"])
        for _ in 0..<1500 {
            _ = try FuzzHarness.run(generator.program())
        }
    }
}
