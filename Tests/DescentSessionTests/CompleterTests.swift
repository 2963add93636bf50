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

    /// Every built-in name an expression knows is offered: layer outputs, losses, epoch.
    @Test func builtInNamesOfExpressions() throws {
        #expect(try completer().complete(word: "A", before: "show ") == .words(["A1", "A2"]))
        #expect(try completer().complete(word: "Z", before: "expect ") == .words(["Z1", "Z2"]))
        #expect(try completer().complete(word: "los", before: "expect ") == .words(["loss", "losses"]))
        #expect(try completer().complete(word: "ep", before: "show ") == .words(["epoch"]))
        #expect(try completer().complete(word: "A", before: "explain ") == .words([]))
    }

    @Test func fileNamesWhereAFileIsExpected() throws {
        #expect(try completer().complete(word: "ses", before: "run \"") == .fileNames)
        #expect(try completer().complete(word: "p", before: "data load \"") == .fileNames)
        #expect(try completer().complete(word: "x", before: "export \"") == .fileNames)
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
