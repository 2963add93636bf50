import Foundation
import Testing
@testable import DescentSession

/// `data load "file.csv" target=…`: a header line, the target column, line endings, and
/// every way a file can be wrong, each with a one-line error and nothing changed.
@Suite struct CSVTests {
    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    @Test func headerAndTargetColumns() throws {
        let dir = try folder(["p.csv": "a,b,label\n1,2,0\n3,4,1\r\n\n5, 6 ,1\n"])
        var s = Session(baseDirectory: dir)
        #expect(s.perform("data load \"p.csv\"").error == nil)
        #expect(s.data?.x == .init([[1, 2], [3, 4], [5, 6]]))
        #expect(s.data?.y == .init(column: [0, 1, 1]))
        #expect(s.perform("data load \"p.csv\" target=first").error == nil)
        #expect(s.data?.x == .init([[2, 0], [4, 1], [6, 1]]))
        #expect(s.data?.y == .init(column: [1, 3, 5]))
        #expect(s.perform("data load \"p.csv\" target=2").error == nil)
        #expect(s.data?.y == .init(column: [2, 4, 6]))
    }

    @Test(arguments: [
        ("ragged.csv", "1,2,3\n4,5\n", "ragged.csv:2: 2 values separated by ',', but the first row has 3"),
        ("ragged1.csv", "1,2,3\n4\n", "ragged1.csv:2: 1 value separated by ',', but the first row has 3"),
        ("words.csv", "1,2\n3,x\n", "words.csv:2: 'x' is not a number (values separated by ',')"),
        ("one.csv", "1\n2\n", "one.csv has one column (read with values separated by ','); it needs features and a target"),
        ("empty.csv", "x,y\n", "empty.csv has no rows of numbers"),
    ])
    func badFilesGiveOneLineErrors(name: String, text: String, message: String) throws {
        let dir = try folder([name: text])
        var s = Session(baseDirectory: dir)
        let before = Fingerprint(s)
        #expect(s.perform("data load \"\(name)\"").error?.message == message)
        var after = Fingerprint(s)
        after.successfulCells = before.successfulCells
        #expect(after == before)
    }

    @Test func columnOutOfRangeMissingBinaryAndNotUTF8() throws {
        let dir = try folder(["p.csv": "1,2\n3,4\n"])
        try Data([0x31, 0x2C, 0x00, 0x0A]).write(to: dir.appendingPathComponent("bin.csv"))
        try Data([0x31, 0x2C, 0xFF, 0xFE, 0x0A]).write(to: dir.appendingPathComponent("latin.csv"))
        var s = Session(baseDirectory: dir)
        #expect(s.perform("data load \"p.csv\" target=5").error?.message == "target=5, but p.csv has 2 columns")
        #expect(s.perform("data load \"nope.csv\"").error?.message == "no such data file: nope.csv")
        #expect(s.perform("data load \"bin.csv\"").error?.message == "bin.csv is a binary file (it contains NUL bytes), not a data file")
        #expect(s.perform("data load \"latin.csv\"").error?.message == "latin.csv is not UTF-8 text")
        #expect(s.data == nil)
    }

    /// Issue 12, item 13: other separators, quoted numbers, a target named in the header,
    /// values that are not finite.
    @Test func separatorsQuotesNamesAndNonFiniteValues() throws {
        let dir = try folder([
            "semi.csv": "a;b;label\n1;2;0\n3;4;1\n",
            "space.csv": "1 2 0\n3  4 1\n",
            "quoted.csv": "\"x\",\"y\",\"cls\"\n\"1.5\",\"2\",0\n\"3\",\"4\",1\n",
            "nan.csv": "a,b,label,c\n1,2,0,9\n3,nan,1,9\n5,inf,1,2\n",
        ])
        var s = Session(baseDirectory: dir)
        #expect(s.perform("data load \"semi.csv\"").error == nil)
        #expect(s.data?.x == .init([[1, 2], [3, 4]]))
        #expect(s.perform("data load \"space.csv\"").error == nil)
        #expect(s.data?.y == .init(column: [0, 1]))
        #expect(s.perform("data load \"quoted.csv\" target=\"cls\"").error == nil)
        #expect(s.data?.x == .init([[1.5, 2], [3, 4]]))
        let result = s.perform("data load \"nan.csv\" target=label")
        #expect(s.data?.y == .init(column: [0, 1, 1]))
        #expect(result.output?.blocks.last == .warning("nan.csv: 2 values are nan or inf (the first on line 3); a step on them will not be finite"))
        #expect(s.perform("data load \"semi.csv\" target=nope").error?.message == "target=nope, but semi.csv's header has no such column; it has a, b, label")
    }
}
