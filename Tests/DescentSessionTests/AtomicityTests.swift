import Testing
import DescentCore
@testable import DescentSession

/// A failed command changes nothing: not the network, the optimizer, the data, the step
/// counter, the history, the variables.
@Suite struct AtomicityTests {
    static let setup = ["seed 1", "let X = [[0, 0], [0, 1], [1, 0], [1, 1]]", "let y = [0, 1, 1, 0]", "data X, y",
                        "net 2 -> 3 tanh -> 1 sigmoid", "loss bce", "optimizer gd lr=0.5 momentum=0.9", "step 3"]

    static let failingCommands = [
        "net 2 -> 3 sigmod", "set W1 = [[1, 2]]", "set W9 = [[1]]", "set dW1 = [[1]]", "let Z = nope",
        "let Z = [[1, 2], [3]]", "data X, nothing", "data Z, y", "init normal", "optimizer adagrad", "optimizer adam beta2=2", "net 2 -> 3 tanh res -> 1", "optimizer gd lr=-1",
        "schedule exp", "clip norm=0", "l2 -1", "step 0", "back 99", "show W7", "predict [[1, 2, 3]]",
        "expect loss < 0", "train until loss < 0 max=abc", "rerun 999", "precision 40", "run \"/nonexistent.descent\"",
        "let loss = 3", "stpe", "seed -1", "show", "watch everything", "let A = randn(0, 3)",
    ]

    @Test(arguments: failingCommands)
    func failedCommandChangesNothing(_ line: String) throws {
        var s = try session(AtomicityTests.setup)
        let before = Fingerprint(s)
        let result = s.perform(line)
        #expect(result.error != nil, "expected '\(line)' to fail")
        #expect(Fingerprint(s) == before)
        // ...and the session still works afterwards, with the same numbers as one that never failed.
        var clean = try session(AtomicityTests.setup)
        _ = s.perform("step")
        _ = clean.perform("step")
        #expect(s.training == clean.training)
    }

    /// `loss ce` on a sigmoid net is refused at the next step, not silently accepted.
    @Test func incompatibleLossIsCaughtAtTheStep() throws {
        var s = try session(AtomicityTests.setup)
        _ = s.perform("loss mse")
        let before = Fingerprint(s)
        #expect(s.perform("loss ce").error == nil)
        let error = try #require(s.perform("step").error)
        #expect(error.message == "loss ce applies the softmax itself: the last layer must be linear, not sigmoid (write '-> 2', one output per class)")
        #expect(s.training == before.training)
    }

    /// `back N` after `step N` gives bit-identical parameters, velocities, counter and batch
    /// position (the last gradients are not kept: they belong to the step that was undone).
    @Test func backUndoesStepsExactly() throws {
        var s = try session(AtomicityTests.setup)
        var before = s.training!
        before.gradients = nil
        let history = s.bench.losses
        _ = s.perform("step 5")
        #expect(s.training != before)
        #expect(s.perform("back 5").error == nil)
        #expect(s.training == before)
        #expect(s.perform("show dW1").error?.message == "dW1 is computed by a step, and 'back' went back past the last one")
        #expect(s.perform("show grads").error?.message == "show grads: gradients are computed by a step, and 'back' went back past the last one")
        #expect(s.bench.losses == history)
        _ = s.perform("step 5")
        var again = try session(AtomicityTests.setup)
        _ = again.perform("step 5")
        #expect(s.training == again.training)
        #expect(s.bench.losses == again.bench.losses)
    }

    /// `rerun` of a step cell runs on the session itself (as `step` does, without a copy of
    /// the weights): when the step cannot run, nothing changes.
    @Test func aFailedRerunOfAStepChangesNothing() throws {
        var s = try session(AtomicityTests.setup)  // cell 8 is "step 3"
        for line in ["let X3 = [[1, 2, 3]]", "let y3 = [1]", "data X3, y3"] {  // three features: the net takes two
            #expect(s.perform(line).error == nil)
        }
        let before = Fingerprint(s)
        #expect(s.perform("rerun 8").error?.message.hasPrefix("cell 8 (step 3) fails: ") == true)
        #expect(Fingerprint(s) == before)
    }

    /// Found by the fuzzer: a failed `rerun 4` becomes cell 4, and `rerun 4` then named itself.
    @Test func rerunOfARerunIsRefusedNotRecursive() throws {
        var s = try session(["let a = 1", "let b = 2", "let c = 3"])
        #expect(s.perform("rerun 4").error?.message == "there is no cell 4; the session has 3")
        #expect(s.perform("rerun 4").error?.message == "cell 4 is itself a rerun (rerun 4); rerun the cell it names instead")
        #expect(s.perform("rerun 3").error == nil)
    }

    /// Found by the fuzzer: repeated layers were counted as if each had the first one's
    /// inputs, so `1 -> 10002 * 4` looked like 80 thousand parameters instead of 300 million.
    @Test func memoryGuardCountsRepeatedLayers() throws {
        var s = Session()
        s.limits.memoryBytes = 64 << 20
        let error = try #require(s.perform("net 1 -> 10002 relu nobias * 4 -> 3").error)
        #expect(error.message == "this network has 300160023 parameters and would need 8.9 GiB with its gradients, over the limit of 64.0 MiB")
        #expect(s.perform("net 1 -> 100 relu * 4 -> 3").error == nil)
        #expect(s.training?.network.parameterCount == 1 * 100 + 100 + 3 * (100 * 100 + 100) + 100 * 3 + 3)
    }

    @Test func resetReturnsToStepZero() throws {
        var s = try session(Array(AtomicityTests.setup.dropLast()))
        let start = s.training
        _ = s.perform("step 7")
        #expect(s.perform("reset").error == nil)
        #expect(s.training == start)
        #expect(s.bench.losses.isEmpty)
    }

    /// reset redraws the step-0 weights from the generator's saved state rather than keeping
    /// a copy, whether they came from `net` or `init`, with random draws in between; weights
    /// `set` at step 0 are kept as they are.
    @Test func resetRedrawsTheSameWeightsOrKeepsSetOnes() throws {
        var s = try session(["seed 3", "let X = randn(20, 3)", "let y = randn(20, 1)", "data X, y",
                             "net 3 -> 5 tanh -> 1", "let noise = randn(4, 4)"])
        guard case .drawn = s.bench.initialTraining else { Issue.record("net keeps a copy"); return }
        let afterNet = s.training
        _ = s.perform("train 5")
        _ = s.perform("let more = randn(2, 2)")
        #expect(s.perform("reset").error == nil)
        #expect(s.training == afterNet)
        #expect(s.perform("init xavier").error == nil)
        let afterInit = s.training
        _ = s.perform("step 3")
        #expect(s.perform("reset").error == nil)
        #expect(s.training == afterInit)
        #expect(s.perform("set W2 = [[1], [2], [3], [4], [5]]").error == nil)
        let afterSet = s.training
        _ = s.perform("step 2")
        #expect(s.perform("reset").error == nil)
        #expect(s.training == afterSet)
        #expect(s.training?.network.layers[1].weights == Matrix(column: [1, 2, 3, 4, 5]))
    }
}
