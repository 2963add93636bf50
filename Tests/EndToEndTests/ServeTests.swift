import Foundation
import Testing

/// `descent serve` (the Jupyter kernel's side of the pipes) and `descent export-lesson`,
/// through the real binary, without Python.
@Suite struct ServeTests {
    /// Runs requests through `descent serve`; returns its replies.
    static func serve(_ requests: [[String: Any]]) throws -> [[String: Any]] {
        let input = try requests.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n") + "\n"
        let result = try BinaryRunner.run(["serve"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        return try result.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
    }

    static func replies(_ all: [[String: Any]], to id: Int) -> [[String: Any]] {
        all.filter { ($0["id"] as? Int) == id }
    }

    @Test func executeStreamsEachLinesOutputThenDone() throws {
        let all = try Self.serve([["id": 1, "op": "execute", "code": "let a = [[1, 2]]\nshow a * 2\nplot loss"],
                                  ["id": 2, "op": "execute", "code": "data xor\nnet 2 -> 1\nstep 2\nplot loss"]])
        #expect(all.first?["type"] as? String == "ready")
        let first = Self.replies(all, to: 1)
        #expect(first.compactMap { $0["text"] as? String } == ["a = [[1, 2]]  # 1×2\n", "a * 2 = [[2, 4]]  # 1×2\n"])
        // `plot loss` before any step is an error at line 3, with the line and a caret.
        let done = try #require(first.last)
        #expect(done["type"] as? String == "done" && done["status"] as? String == "error")
        let traceback = try #require(done["traceback"] as? [String])
        #expect(traceback.first?.hasPrefix("line 3") == true, "\(traceback)")
        let second = Self.replies(all, to: 2)
        let display = try #require(second.first { $0["type"] as? String == "display" }?["data"] as? [String: String])
        #expect(display["image/svg+xml"]?.hasPrefix("<svg") == true)
        #expect(display["text/plain"]?.isEmpty == false)
        #expect(second.last?["status"] as? String == "ok")
    }

    @Test func completeInspectAndIsComplete() throws {
        let all = try Self.serve([["id": 1, "op": "execute", "code": "data xor\nnet 2 -> 3 tanh -> 1\nstep"],
                                  ["id": 2, "op": "complete", "code": "show dW", "cursor": 7],
                                  ["id": 3, "op": "complete", "code": "optimizer ad", "cursor": 12],
                                  ["id": 4, "op": "inspect", "code": "train 5", "cursor": 2],
                                  ["id": 5, "op": "inspect", "code": "show b2", "cursor": 7],
                                  ["id": 6, "op": "is_complete", "code": "show [1, 2"],
                                  ["id": 7, "op": "is_complete", "code": "show [1, 2]"],
                                  ["id": 8, "op": "nonsense"],
                                  ["id": 9, "op": "is_complete", "code": "show [1, 2]  # a [ in a comment"]])
        let dW = try #require(Self.replies(all, to: 2).last)
        #expect(dW["matches"] as? [String] == ["dW1", "dW2"])
        #expect(dW["cursor_start"] as? Int == 5 && dW["cursor_end"] as? Int == 7)
        #expect(Self.replies(all, to: 3).last?["matches"] as? [String] == ["adam"])
        let help = try #require((Self.replies(all, to: 4).last?["data"] as? [String: String])?["text/plain"])
        #expect(help.hasPrefix("train N"), "\(help)")
        let value = try #require((Self.replies(all, to: 5).last?["data"] as? [String: String])?["text/plain"])
        #expect(value.hasPrefix("b2 = [[0"), "\(value)")
        #expect(Self.replies(all, to: 6).last?["status"] as? String == "invalid")
        #expect(Self.replies(all, to: 7).last?["status"] as? String == "complete")
        #expect(Self.replies(all, to: 8).last?["ename"] as? String == "ProtocolError")
        #expect(Self.replies(all, to: 9).last?["status"] as? String == "complete")
    }

    @Test func aLessonOffersItsNextCommandAndAnEmptyCellRunsIt() throws {
        let all = try Self.serve([["id": 1, "op": "execute", "code": "lesson 1"], ["id": 2, "op": "execute", "code": ""]])
        let offered = Self.replies(all, to: 1).compactMap { $0["text"] as? String }.joined()
        #expect(offered.contains("next: let X = [[1], [2], [3], [4]]"), "\(offered)")
        let ran = Self.replies(all, to: 2).compactMap { $0["text"] as? String }.joined()
        #expect(ran.contains("» let X = [[1], [2], [3], [4]]") && ran.contains("next: let y = [1, 2, 3, 4]"), "\(ran)")
        #expect(ran.components(separatedBy: "» let X").count == 2, "the echo once, not twice: \(ran)")
    }

    @Test func exportLessonWritesANotebookForTheDescentKernel() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try BinaryRunner.run(["export-lesson", "1", "one.ipynb"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: folder.appendingPathComponent("one.ipynb"))
        let notebook = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let kernelspec = (notebook["metadata"] as? [String: Any])?["kernelspec"] as? [String: Any]
        #expect(kernelspec?["name"] as? String == "descent")
        let cells = try #require(notebook["cells"] as? [[String: Any]])
        #expect((cells.first?["source"] as? [String])?.first == "# Linear regression by gradient descent")
        #expect(cells.filter { $0["cell_type"] as? String == "code" }.count == 61)
        #expect(cells.filter { $0["cell_type"] as? String == "markdown" }.count > 20)
        let missing = try BinaryRunner.run(["export-lesson", "99", "x.ipynb"], directory: folder)
        #expect(missing.status == 2 && missing.stderr.contains("there is no lesson 99"))
    }
}
