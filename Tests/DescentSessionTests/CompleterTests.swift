import Foundation
import Testing
@testable import DescentSession

@Suite struct CompleterTests {
    func completer() throws -> Completer {
        Completer(session: try session(["data xor", "net 2 -> 3 tanh -> 1", "let mine = 1", "step"]))
    }

    @Test func commandWords() throws {
        #expect(try completer().complete(word: "opt", before: "") == .words(["optimizer"]))
        #expect(try completer().complete(word: "s", before: "") == .words(["split", "scale", "seed", "set", "schedule", "step", "show", "save"]))
    }

    @Test func keywordsOfTheCommandOnly() throws {
        #expect(try completer().complete(word: "n", before: "plot ") == .words(["norms", "neurons"]))
        #expect(try completer().complete(word: "xa", before: "init ") == .words(["xavier"]))
        #expect(try completer().complete(word: "leaky", before: "net 2 -> 3 ") == .words(["leakyrelu"]))
        #expect(try completer().complete(word: "mo", before: "optimizer gd ") == .words(["momentum="]))
    }

    @Test func namesInTheSession() throws {
        #expect(try completer().complete(word: "dW", before: "explain ") == .words(["dW1", "dW2"]))
        #expect(try completer().complete(word: "mi", before: "show ") == .words(["mine", "min"]))
        #expect(try completer().complete(word: "W", before: "set ") == .words(["W1", "W2"]))
    }

    /// Every built-in name an expression knows is offered: layer outputs, losses, epoch.
    @Test func builtInNamesOfExpressions() throws {
        #expect(try completer().complete(word: "A", before: "show ") == .words(["A0", "A1", "A2"]))
        #expect(try completer().complete(word: "del", before: "show ") == .words(["delta1", "delta2"]))
        // Xtest, ytest and testlosses only once a split holds rows out.
        #expect(try completer().complete(word: "X", before: "show ") == .words([]))
        #expect(try completer().complete(word: "te", before: "show ") == .words([]))
        let split = Completer(session: try session(["data xor", "split test=0.5", "net 2 -> 3 tanh -> 1"]))
        #expect(split.complete(word: "X", before: "show ") == .words(["Xtest"]))
        #expect(split.complete(word: "te", before: "show ") == .words(["testlosses"]))
        // Batch norm's names, once the net has it.
        let bn = Completer(session: try session(["data xor", "net 2 -> 3 tanh bn -> 1", "step"]))
        #expect(bn.complete(word: "run", before: "show ") == .words(["runmean1", "runvar1"]))
        #expect(bn.complete(word: "ds", before: "show ") == .words(["dscale1", "dshift1"]))
        #expect(try completer().complete(word: "Z", before: "expect ") == .words(["Z1", "Z2"]))
        #expect(try completer().complete(word: "los", before: "expect ") == .words(["loss", "losses"]))
        #expect(try completer().complete(word: "ep", before: "show ") == .words(["epoch"]))
        #expect(try completer().complete(word: "A", before: "explain ") == .words([]))
    }

    /// `lesson` offers `keep` only after `off`.
    @Test func lessonKeepOnlyAfterOff() throws {
        #expect(try completer().complete(word: "", before: "lesson ") == .words(["off", "lang="]))
        #expect(try completer().complete(word: "", before: "lesson off ") == .words(["keep"]))
        #expect(try completer().complete(word: "k", before: "lesson ") == .words([]))
    }

    /// Issue 12, item 10: file names complete inside the quotes: a folder ends with "/" (Tab
    /// goes on into it), a file closes its quote; without a quote the quotes are added.
    @Test func fileNamesWhereAFileIsExpected() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("complete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("state"), withIntermediateDirectories: true)
        try "1,2\n".write(to: folder.appendingPathComponent("xor.csv"), atomically: true, encoding: .utf8)
        try "1,2\n".write(to: folder.appendingPathComponent("state/inner.csv"), atomically: true, encoding: .utf8)
        var c = try completer()
        c.directory = folder
        #expect(c.complete(word: "sta", before: "data load \"") == .words(["state/"]))
        #expect(c.complete(word: "state/in", before: "data load \"") == .words(["state/inner.csv\""]))
        #expect(c.complete(word: "xo", before: "data load \"") == .words(["xor.csv\""]))
        #expect(c.complete(word: "xo", before: "data load ") == .words(["\"xor.csv\""]))
        #expect(c.complete(word: "", before: "run \"") == .words(["state/", "xor.csv\""]))
        #expect(c.complete(word: "nothing", before: "export \"") == .words([]))
    }
}

@Suite struct ShowSuggestionTests {
    /// `show nrms` is a misspelt `show norms`, not an unknown variable.
    @Test func misspeltShowWordsAreSuggested() throws {
        var s = try session(["data xor", "net 2 -> 1"])
        let error = try #require(s.perform("show nrms").error)
        #expect(error.fullMessage == "unknown name 'nrms' — did you mean 'show norms'?")
        #expect(error.range?.column == 6)
        #expect(s.perform("show wieghts").error?.suggestion == "did you mean 'show weights'?")
        #expect(s.perform("show foo").error?.suggestion == "define it with 'let foo = …'")
    }
}
