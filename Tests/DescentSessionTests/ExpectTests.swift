import Testing
@testable import DescentSession
import DescentLanguage

/// Every form of `expect`, holding and failing. The session has the article's data after one
/// step: W1 = [[0.15]], dW1 = [[-15]], loss = 5.418749999999999, step = 1, lr = 0.01.
@Suite struct ExpectTests {
    static let setup = ["let X = [[1], [2], [3], [4]]", "let y = [1, 2, 3, 4]", "data X, y",
                        "net 1 -> 1 nobias", "init zeros", "optimizer gd lr=0.01", "step"]

    static let holding = [
        "expect loss < 5.5", "expect loss <= 5.418749999999999", "expect loss > 5.4", "expect loss >= 5.418749999999999",
        "expect step == 1", "expect lr == 0.01", "expect W1 == [[0.15]]", "expect dW1 == [[-15]]",
        "expect W1 ~= [[0.1500000001]]", "expect W1 ~= [[0.1501]] tol=1e-3", "expect loss ~= 5.41875",
        "expect norm(dW1) == 15", "expect abs(dW1) == [[15]]", "expect max(y) == 4", "expect mean(X) == 2.5",
        "expect X @ W1 ~= [[0.15], [0.3], [0.45], [0.6]]", "expect y ~= [1, 2, 3, 4]", "expect W1 * 2 == [[0.3]]",
        "expect -dW1 / 3 == [[5]]", "expect W1 - dW1 * lr == [[0.3]]", "expect X > 0", "expect y >= [1, 2, 3, 4]",
        // The Hessian of the article's loss in W1: 2/m·XᵀX = 15, so lr·λ = 0.15 per step.
        "expect eigvals(2 * transpose(X) @ X / rows(X)) == 15", "expect eigvals([[2, 1], [1, 2]]) ~= [1, 3]",
    ]

    static let failing = [
        "expect loss < 5", "expect loss <= 5.4187", "expect loss > 6", "expect loss >= 5.42",
        "expect step == 2", "expect W1 == [[0.15000000000000002]]", "expect W1 ~= [[0.1501]]",
        "expect W1 ~= [[0.16]] tol=1e-3", "expect X > 1", "expect y ~= [1, 2, 3, 5]", "expect min(y) == 0",
    ]

    @Test(arguments: holding)
    func holds(_ line: String) throws {
        var s = try session(ExpectTests.setup)
        let result = s.perform(line)
        #expect(result.error == nil, "\(result.error?.fullMessage ?? "")")
        #expect(result.output?.blocks.contains { if case .check = $0 { true } else { false } } == true)
    }

    @Test(arguments: failing)
    func fails(_ line: String) throws {
        var s = try session(ExpectTests.setup)
        let before = Fingerprint(s)
        let result = s.perform(line)
        let error = try #require(result.error)
        #expect(error.message.hasPrefix("expectation failed: "))
        #expect(error.range?.column == 8)
        #expect(Fingerprint(s) == before)
    }

    @Test func failureSaysByHowMuch() throws {
        var s = try session(ExpectTests.setup)
        let error = try #require(s.perform("expect W1 ~= [[0.1501]]").error)
        #expect(error.message == "expectation failed: W1 ~= [[0.1501]]: W1 is 0.15, not 0.1501 (difference 0.0001, allowed 1.15e-9)")
        let matrixError = try #require(s.perform("expect y ~= [1, 2, 3, 5]").error)
        #expect(matrixError.message == "expectation failed: y ~= [1, 2, 3, 5]: 1 of 4 entries fail; worst at entry 4: 4 vs 5")
    }

    /// Numbers that print alike at the usual digits are written in full, with the hint to
    /// compare with ~= when they differ only by rounding.
    @Test func equalityFailingByRoundingShowsTheDigitsThatDiffer() throws {
        var s = try session(ExpectTests.setup)
        let error = try #require(s.perform("expect 0.1 + 0.2 == 0.3").error)
        #expect(error.message == "expectation failed: 0.1 + 0.2 == 0.3: the left side is 0.30000000000000004, not 0.3 — they differ by rounding (5.6e-17); '~=' compares allowing for it")
        let far = try #require(s.perform("expect 1 == 2").error)
        #expect(far.message == "expectation failed: 1 == 2: 1 is 1, not 2")
    }

    @Test func eigvalsRefusesWhatHasNoRealEigenvalues() throws {
        var s = try session(ExpectTests.setup)
        let square = try #require(s.perform("show eigvals(X)").error)
        #expect(square.message == "eigvals needs a square matrix, got 4×1")
        #expect(square.range?.column == 14)
        let symmetric = try #require(s.perform("show eigvals([[1, 2], [3, 4]])").error)
        #expect(symmetric.message == "eigvals is for symmetric matrices (Hessians, XᵀX), and this one is not")
    }

    @Test func shapeMismatchIsAnErrorNotAFalseExpectation() throws {
        var s = try session(ExpectTests.setup)
        let error = try #require(s.perform("expect X == [[1, 2]]").error)
        #expect(error.message == "cannot compare 4×1 with 1×2")
        // A single number compares with every entry.
        #expect(s.perform("expect W1 < [[1, 2]]").error == nil)
    }
}

/// Issue 12: what a learner trips on, one test per item (those that live in the session).
@Suite struct LearnerTripTests {
    /// Item 3: after `data load`/`data xor`, X and y are the new data set, not an old `let X`.
    @Test func dataBindsXAndY() throws {
        var s = try session(["let X = [[1], [2], [3], [4]]", "let y = [1, 2, 3, 4]", "data X, y"])
        #expect(s.variables["X"] != nil)  // data X, y keeps the learner's own X and y
        let result = s.perform("data xor")
        #expect(result.error == nil)
        let notes: [String] = (result.output?.blocks ?? []).compactMap { block -> String? in
            if case .note(let n) = block { return n }
            return nil
        }
        #expect(notes.last == "X and y now name this data set's training rows (replacing your let X and let y)")
        #expect(s.variables["X"] == nil && s.variables["y"] == nil)
        let shown = s.perform("show X").output?.blocks.first
        guard case .value(_, let m, _, _)? = shown else { Issue.record("no value"); return }
        #expect(m.rows == 4 && m.cols == 2)
    }

    /// The notes and warnings of a command, as text.
    func messages(_ s: inout Session, _ line: String) -> [String] {
        (s.perform(line).output?.blocks ?? []).compactMap { block -> String? in
            switch block {
            case .note(let n): return n
            case .warning(let w): return "warning: " + w
            default: return nil
            }
        }
    }

    /// Item 9: settings that change as a side effect are pointed out.
    @Test func settingsThatChangeAreSaid() throws {
        var s = try session(["let X = [[1], [2]]", "let y = [1, 2]", "data X, y", "net 1 -> 1", "optimizer gd lr=0.1 batch=1"])
        #expect(messages(&s, "optimizer gd momentum=0.9").last
                == "back to the default: lr=0.01 (was 0.1), batch=full (was 1); an optimizer command sets every option, so name the ones to keep")
        #expect(messages(&s, "optimizer gd lr=0.01 momentum=0.9 batch=full").count == 1)
        _ = s.perform("train 46")
        let exp = messages(&s, "schedule exp gamma=0.9")
        #expect(exp.count == 2 && exp[1].hasPrefix("t counts the steps taken since step 0, not since this command: 46 so far"))
        let growing = messages(&s, "schedule exp gamma=1.5")
        #expect(growing.last?.hasPrefix("warning: gamma=1.5 is above 1: the rate grows instead of decaying") == true)
        _ = s.perform("reset")
        #expect(messages(&s, "schedule exp gamma=0.9").count == 1)  // at t=0 nothing to add
    }

    /// Item 15: a failed `help foo` is not a cell (a working `help` is not one either).
    @Test func failedHelpIsNotACell() throws {
        var s = try session(["let a = 1"])
        #expect(s.perform("help foo").error != nil)
        #expect(s.perform("histroy").error != nil)  // a typo of a command is a failed cell
        #expect(s.cells.map(\.source) == ["let a = 1", "histroy"])
        #expect(s.prompt == "[3]> ")
    }

    /// An interrupted run says the step it stopped at (the report once read the session as
    /// it was before the run: "at step 0").
    @Test func interruptedRunNamesTheStepReached() throws {
        var s = try session(["data xor", "net 2 -> 4 tanh -> 1"])
        var polls = 0
        let result = s.perform("train 100000", shouldStop: { polls += 1; return polls > 250 })
        let step = s.training?.step ?? -1
        #expect(step == 251)  // polled after each step but the first
        #expect(result.output?.blocks.last == .warning("interrupted after 251 of 100000 steps, at step 251; the session is consistent"))
    }

    /// Item 8: the closing line of `train until` shows the value that met the condition, and
    /// the step line shows the loss after the step next to the batch loss before it.
    @Test func trainUntilShowsTheValueThatMetIt() throws {
        var s = try session(["let X = [[1], [2], [3], [4]]", "let y = [1, 2, 3, 4]", "data X, y", "net 1 -> 1 nobias", "init zeros"])
        let blocks = try #require(s.perform("train until loss < 1e-20").output?.blocks)
        guard case .step(let summary)? = blocks.first(where: { if case .step = $0 { true } else { false } }) else {
            Issue.record("no step line"); return
        }
        #expect(summary.report.batchLoss >= 1e-20)  // before the last update: not yet below
        let after = try #require(summary.lossAfter)
        #expect(after < 1e-20)
        #expect(blocks.last == .note("reached after 148 steps: loss = \(NumberFormat.format(after, precision: 6))"))
    }

    /// Item 4: an interrupted run is saved as the steps it took, so the script replays what
    /// happened (not a billion steps).
    @Test func interruptedTrainIsSavedAsTheStepsTaken() throws {
        var s = try session(["data xor", "net 2 -> 4 tanh -> 1"])
        var polls = 0
        _ = s.perform("train 1000000000", shouldStop: { polls += 1; return polls > 99 })
        #expect(s.cells.last?.source == "train 100  # interrupted: train 1000000000")
        _ = s.perform("step 50", shouldStop: { true })
        #expect(s.cells.last?.source == "step 1  # interrupted: step 50")
        var replayed = Session()
        #expect(ScriptRunner.run(s.script, file: "saved.descent", in: &replayed) { _ in } == nil)
        #expect(replayed.training?.step == 101)
        #expect(replayed.training?.network == s.training?.network)
    }

    /// Item 6: Ctrl-C in a script's long line names that line, not the next one.
    @Test func interruptedScriptNamesTheLineThatWasRunning() throws {
        var s = try session([])
        var polls = 0
        let script = "data xor\nnet 2 -> 4 tanh -> 1\n# a comment\ntrain 1000000\n# another\nstep\n"
        let error = ScriptRunner.run(script, file: "long.descent", in: &s, shouldStop: { polls += 1; return polls > 20 }) { _ in }
        #expect(error?.line == 4)
        #expect(error?.message == "interrupted")
    }
}
