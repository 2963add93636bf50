import Testing
@testable import DescentCore
@testable import DescentSession

/// A long run of a big net takes snapshots only for the steps `back` will keep, and updates
/// the optimizer's buffers in place before them: the numbers must be those of a run that
/// keeps every step, `back` must undo exactly what it could before, and a run stopped early
/// must say what `back` can still do.
@Suite struct LongRunHistoryTests {
    /// 2 -> 256 tanh -> 128 tanh -> 1: 33,793 values, past StepSnapshots.largeSnapshot.
    static func setup(_ optimizer: String, history: String) -> [String] {
        ["seed 5", "let X = randn(16, 2)", "let y = randn(16, 1)", "data X, y",
         "net 2 -> 256 tanh -> 128 tanh -> 1", optimizer, "limit history \(history)"]
    }

    static let optimizers = [
        "optimizer gd lr=0.01", "optimizer gd lr=0.01 momentum=0.9", "optimizer adam lr=0.001",
        "optimizer adam lr=0.001 beta1=0.3", "optimizer rmsprop lr=0.001", "optimizer rmsprop lr=0.001 momentum=0.5",
    ]

    /// Whether two sessions' training states are equal (a Bool, so that a failure does not
    /// print 33,793 numbers twice).
    func same(_ a: Session, _ b: Session) -> Bool { a.training == b.training }

    @Test func theNetIsBigEnoughToDropHistory() throws {
        let s = try session(LongRunHistoryTests.setup("optimizer gd lr=0.01", history: "1 MB"))
        #expect(StepSnapshots.copiedValues(of: s.training!.network) == 33_793)
        #expect(33_793 >= StepSnapshots.largeSnapshot)
    }

    @Test(arguments: optimizers)
    func aLongRunGivesTheBitsOfOneThatKeepsEveryStep(_ optimizer: String) throws {
        var keepsAll = try session(LongRunHistoryTests.setup(optimizer, history: "1 GB"))
        var keepsThree = try session(LongRunHistoryTests.setup(optimizer, history: "1 MB"))  // 3 snapshots fit
        #expect(keepsAll.perform("train 12").error == nil)
        #expect(keepsThree.perform("train 12").error == nil)
        #expect(keepsAll.bench.snapshots.taken == 12 && keepsAll.bench.snapshots.count == 12)
        #expect(keepsThree.bench.snapshots.taken == 3 && keepsThree.bench.snapshots.count == 3)  // the first 9 took none
        #expect(same(keepsThree, keepsAll))  // weights, optimizer buffers, counter, cursor, gradients
        #expect(keepsThree.perform("back 4").error?.message == "only 3 steps are kept to go back (asked for 4)")
        #expect(keepsThree.perform("back 3").error == nil)
        #expect(keepsAll.perform("back 3").error == nil)
        #expect(same(keepsThree, keepsAll))
        // and on from there: the restored optimizer state goes on as if never left
        #expect(keepsThree.perform("train 5").error == nil)
        #expect(keepsAll.perform("train 5").error == nil)
        #expect(same(keepsThree, keepsAll))
        #expect(keepsThree.training!.optimizerState.updates == 14)
    }

    /// Mini-batches in shuffled order, clipping, L2, a schedule, batch norm; and a run that
    /// starts with snapshots already in the ring. `back` must restore what a session that
    /// keeps every step restores, and no more steps than the ring holds.
    @Test(arguments: [
        ["optimizer adam lr=0.001 batch=4 shuffle=on", "clip norm=0.05", "l2 0.01", "schedule exp gamma=0.9"],
        ["net 2 -> 256 bn tanh -> 128 tanh -> 1", "optimizer rmsprop lr=0.001 momentum=0.5 batch=8"],
        ["optimizer gd lr=0.01 momentum=0.9 batch=5 shuffle=on"],
    ])
    func everyOptionGivesTheSameStatesAndBack(_ options: [String]) throws {
        var keepsAll = try session(LongRunHistoryTests.setup("optimizer gd lr=0.01", history: "1 GB") + options)
        var keepsThree = try session(LongRunHistoryTests.setup("optimizer gd lr=0.01", history: "1 MB") + options)
        for command in ["train 2", "train 13", "back 2", "epoch 2", "step 9"] {
            #expect(keepsAll.perform(command).error == nil, "\(command)")
            #expect(keepsThree.perform(command).error == nil, "\(command)")
            #expect(same(keepsThree, keepsAll), "\(command)")
        }
        #expect(keepsThree.bench.snapshots.count == 3)
        #expect(keepsThree.bench.snapshots.taken < keepsAll.bench.snapshots.taken)
        #expect(keepsThree.perform("back 4").error?.message == "only 3 steps are kept to go back (asked for 4)")
        #expect(keepsThree.perform("back 3").error == nil)
        #expect(keepsAll.perform("back 3").error == nil)
        #expect(same(keepsThree, keepsAll))
        #expect(keepsThree.perform("back").error?.message == "no steps are kept to go back to (history keeps the last 1000 steps and at most 1.0 MiB)")
    }

    /// A run that diverges after its first step, which took no snapshot: the snapshots from
    /// before the run no longer lead to the current state, so `back` has nothing.
    @Test func snapshotsFromBeforeTheRunAreDroppedByItsFirstStep() throws {
        var s = try session(LongRunHistoryTests.setup("optimizer gd lr=0.01 momentum=0.9", history: "1 MB"))
        for command in ["train 3", "optimizer gd lr=1e150 momentum=0.9", "train 1"] { #expect(s.perform(command).error == nil) }
        #expect(s.bench.snapshots.count == 3)
        _ = s.perform("train 100")
        #expect(s.training!.step == 5)  // one step applied, the next diverged
        #expect(s.perform("back").error?.message == "no steps are kept to go back to: the run stopped early, and for a net this size history keeps only a run's last 3 steps (limit history 1.0 MiB)")
        #expect(s.perform("back 2").error != nil)
        // a refused step afterwards changes none of that
        let warnings = (s.perform("step").output?.blocks ?? []).compactMap { if case .warning(let text) = $0 { text } else { nil } }
        #expect(warnings.first?.contains("'reset' goes back (a long run of a net this size keeps history only for its last steps)") == true, "\(warnings)")
        #expect(s.perform("back").error?.message.hasPrefix("no steps are kept to go back to: the run stopped early") == true)
    }

    /// A small net keeps every step, and its divergence warning says `back` goes back.
    @Test func aSmallNetKeepsEveryStepAndSaysBackGoesBack() throws {
        var s = try session(["seed 1", "let X = randn(4, 2)", "let y = randn(4, 1) * 1e300", "data X, y", "net 2 -> 3 tanh -> 1",
                             "optimizer gd lr=1e10"])
        #expect(s.perform("train 3").error == nil)
        let warnings = (s.perform("train 5000").output?.blocks ?? []).compactMap { if case .warning(let text) = $0 { text } else { nil } }
        #expect(warnings.first?.contains("'back' or 'reset' go back") == true, "\(warnings)")
        #expect(!s.bench.snapshots.lostHistory(at: s.training!.step))
    }

    @Test func aRunStoppedByCtrlCTakesOneMoreStepThatBackCanUndo() throws {
        var s = try session(LongRunHistoryTests.setup("optimizer adam lr=0.001", history: "1 MB"))
        var polls = 0
        let result = s.perform("train 1000", shouldStop: { polls += 1; return polls > 5 })
        #expect(result.output?.blocks.contains(.warning("interrupted after 7 of 1000 steps, at step 7; the session is consistent")) == true)
        #expect(s.bench.snapshots.count == 1)
        var again = try session(LongRunHistoryTests.setup("optimizer adam lr=0.001", history: "1 GB"))
        #expect(again.perform("train 6").error == nil)
        #expect(s.perform("back 2").error?.message == "only 1 step is kept to go back (asked for 2)")
        #expect(s.perform("back").error == nil)
        #expect(s.training!.step == 6)
        var undone = s.training!, kept = again.training!
        (undone.gradients, kept.gradients) = (nil, nil)
        let equal = undone == kept
        #expect(equal)
    }

    @Test func aRunThatDivergesBeforeItsKeptStepsSaysBackHasNothing() throws {
        var s = try session(LongRunHistoryTests.setup("optimizer gd lr=1e150", history: "1 MB"))
        let blocks = s.perform("train 200").output?.blocks ?? []
        let warning = blocks.compactMap { if case .warning(let text) = $0 { text } else { nil } }.first ?? ""
        #expect(warning.hasPrefix("step 3: "))
        #expect(warning.hasSuffix("'show grads' shows the gradients, 'reset' goes back (a long run of a net this size keeps history only for its last steps), a smaller lr or 'clip norm=1' prevents it."))
        let error = s.perform("back").error
        #expect(error?.message == "no steps are kept to go back to: the run stopped early, and for a net this size history keeps only a run's last 3 steps (limit history 1.0 MiB)")
        #expect(error?.suggestion == "'reset' returns to step 0; 'limit history 64 MB' keeps more steps")
        // two steps were applied, as a run that keeps every step applies them
        var again = try session(LongRunHistoryTests.setup("optimizer gd lr=1e150", history: "1 GB"))
        #expect(again.perform("step 2").error == nil)
        let same = s.training!.network == again.training!.network
        #expect(same)
    }

    @Test func aRunUntilAConditionKeepsEveryStep() throws {
        var s = try session(LongRunHistoryTests.setup("optimizer adam lr=0.001", history: "1 MB"))
        #expect(s.perform("train until loss < 0 max=10").error == nil)
        #expect(s.bench.snapshots.taken == 10)
        #expect(s.bench.snapshots.count == 3)
        #expect(s.perform("back 3").error == nil)
    }
}
