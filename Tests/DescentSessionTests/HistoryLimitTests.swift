import Testing
@testable import DescentCore
@testable import DescentSession

/// `limit history`: how many steps `back` can undo for a given network size, and that
/// changing the budget keeps the newest snapshots, exactly.
@Suite struct HistoryLimitTests {
    /// 10 -> 100 -> 100 -> 1: 11,301 values, 90,408 bytes a snapshot.
    static let setup = [
        "seed 4", "let X = randn(32, 10)", "let y = randn(32, 1)", "data X, y",
        "net 10 -> 100 tanh -> 100 tanh -> 1", "optimizer gd lr=0.05 momentum=0.9",
    ]

    /// The training state without the last gradients, which `back` does not keep.
    func stepState(_ s: Session) -> TrainingState {
        var state = s.training!
        state.gradients = nil
        return state
    }

    /// Takes `steps` steps, returning the state before each.
    func states(_ s: inout Session, steps: Int) -> [TrainingState] {
        var states: [TrainingState] = []
        for _ in 0..<steps {
            states.append(stepState(s))
            #expect(s.perform("step").error == nil)
        }
        return states
    }

    @Test func theBudgetBoundsTheStepsAndTheErrorSaysHowToRaiseIt() throws {
        var s = try session(HistoryLimitTests.setup + ["limit history 200 KB"])
        #expect(s.perform("limit history").output?.blocks == [.note("limit history 200.0 KiB: back keeps the last 1000 steps or as many as fit (2 steps of this net)")])
        let before = states(&s, steps: 5)
        let error = s.perform("back 3").error
        #expect(error?.message == "only 2 steps are kept to go back (asked for 3)")
        #expect(error?.suggestion == "'back 2', or 'reset' for step 0; 'limit history 64 MB' keeps more steps")
        #expect(s.perform("back 2").error == nil)
        #expect(stepState(s) == before[3])
    }

    @Test func shrinkingKeepsTheNewestAndGrowingKeepsThem() throws {
        var s = try session(HistoryLimitTests.setup)
        let before = states(&s, steps: 6)
        #expect(s.bench.snapshots.count == 6)
        #expect(s.perform("limit history 300 KB").error == nil)  // 3 snapshots fit
        #expect(s.bench.snapshots.count == 3)
        #expect(s.perform("limit history 8 MB").error == nil)
        #expect(s.bench.snapshots.count == 3)
        _ = states(&s, steps: 1)
        #expect(s.perform("back 5").error?.message == "only 4 steps are kept to go back (asked for 5)")
        #expect(s.perform("back 4").error == nil)
        #expect(stepState(s) == before[3])  // velocities (momentum) restored too
    }

    @Test func atLeastOneStepIsAlwaysKept() throws {
        var s = try session(HistoryLimitTests.setup + ["limit history 0 MB"])
        let before = states(&s, steps: 2)
        #expect(s.perform("back 2").error?.message == "only 1 step is kept to go back (asked for 2)")
        #expect(s.perform("back").error == nil)
        #expect(stepState(s) == before[1])
    }

    /// A new net between steps and a budget change: the ring measures the new net.
    @Test func aNewNetAfterABudgetChangeIsMeasuredAgain() throws {
        var s = try session(HistoryLimitTests.setup)
        _ = states(&s, steps: 2)
        #expect(s.perform("net 10 -> 300 tanh -> 1").error == nil)
        #expect(s.perform("limit history 1 MB").error == nil)
        let before = states(&s, steps: 3)
        #expect(s.perform("back 3").error == nil)
        #expect(stepState(s) == before[0])
    }

    @Test func aLearnersNetKeepsHundredsOfSteps() {
        // Up to 1048 parameters: the full 1000 steps.
        #expect(StepSnapshots.capacity(parameters: 1048, budget: StepSnapshots.defaultBudget) == 1000)
        // The lessons' biggest net (2 -> 16 tanh * 8 -> 1 sigmoid): 1969 values, 532 steps.
        #expect(StepSnapshots.capacity(parameters: 1969, budget: StepSnapshots.defaultBudget) == 532)
        // W3 in benchmarks/: 669,706 values, 5.1 MiB a snapshot.
        #expect(StepSnapshots.capacity(parameters: 669_706, budget: StepSnapshots.defaultBudget) == 1)
    }
}
