import Testing
@testable import DescentSession

@Suite struct CompleterTests {
    func completer() throws -> Completer {
        Completer(session: try session(["data xor", "net 2 -> 3 tanh -> 1", "let mine = 1", "step"]))
    }

    @Test func commandWords() throws {
        #expect(try completer().complete(word: "opt", before: "") == .words(["optimizer"]))
        #expect(try completer().complete(word: "s", before: "") == .words(["seed", "set", "schedule", "step", "show", "save"]))
    }

    @Test func keywordsOfTheCommandOnly() throws {
        #expect(try completer().complete(word: "n", before: "plot ") == .words(["norms"]))
        #expect(try completer().complete(word: "xa", before: "init ") == .words(["xavier"]))
        #expect(try completer().complete(word: "leaky", before: "net 2 -> 3 ") == .words(["leakyrelu"]))
        #expect(try completer().complete(word: "mo", before: "optimizer gd ") == .words(["momentum="]))
    }

    @Test func namesInTheSession() throws {
        #expect(try completer().complete(word: "dW", before: "explain ") == .words(["dW1", "dW2"]))
        #expect(try completer().complete(word: "mi", before: "show ") == .words(["mine", "min"]))
        #expect(try completer().complete(word: "W", before: "set ") == .words(["W1", "W2"]))
    }

    @Test func fileNamesWhereAFileIsExpected() throws {
        #expect(try completer().complete(word: "ses", before: "run \"") == .fileNames)
        #expect(try completer().complete(word: "p", before: "data load \"") == .fileNames)
        #expect(try completer().complete(word: "x", before: "export \"") == .fileNames)
    }
}
