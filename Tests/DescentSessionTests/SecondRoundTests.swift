import Foundation
import Testing
@testable import DescentSession
import DescentCore

/// Adam, RMSprop, batch norm and residual layers beyond the PyTorch reference scripts (those
/// replay in ScriptReplayTests): back over their state, and the errors.
@Suite struct SecondRoundTests {
    static let setup = ["seed 5", "data circles n=24 noise=0.1", "net 2 -> 4 tanh bn -> 4 relu res -> 1 sigmoid", "loss bce"]

    /// Three steps, back 3, then the steps again: the same bits as never having gone back,
    /// for every optimizer (their moments and k come back too) and batch norm's statistics.
    @Test(arguments: ["optimizer adam lr=0.05 batch=8", "optimizer rmsprop lr=0.01 momentum=0.5 batch=8",
                      "optimizer gd lr=0.1 momentum=0.9 batch=8"])
    func backRestoresEverythingBitForBit(_ optimizer: String) throws {
        var straight = try session(SecondRoundTests.setup + [optimizer, "step 5"])
        var detour = try session(SecondRoundTests.setup + [optimizer, "step 2"])
        #expect(detour.perform("step 3").error == nil)
        #expect(detour.perform("back 3").error == nil)
        #expect(detour.training?.step == 2)
        #expect(detour.perform("step 3").error == nil)
        #expect(detour.training?.network == straight.training?.network)
        #expect(detour.training?.optimizerState == straight.training?.optimizerState)
        #expect(detour.perform("step").error == nil && straight.perform("step").error == nil)
        #expect(detour.training?.network == straight.training?.network)
    }

    /// A ring of four snapshots (2 KB of this net's 53 weights) wraps around: each step writes
    /// its moments into the arrays of the snapshot it drops. Going back still gives the bits of
    /// the straight run at that step, and stepping on from there those of the straight run.
    @Test(arguments: ["optimizer adam lr=0.05 batch=8", "optimizer rmsprop lr=0.01 momentum=0.5 batch=8",
                      "optimizer gd lr=0.1 momentum=0.9 batch=8"])
    func backThroughAWrappedRingIsExact(_ optimizer: String) throws {
        let setup = SecondRoundTests.setup + ["limit history 2 KB", optimizer]
        let atFive = try session(setup + ["step 5"])
        var straight = try session(setup + ["step 8"])
        var detour = try session(setup + ["step 2"])
        #expect(detour.perform("step 6").error == nil)
        #expect(detour.perform("back 3").error == nil)
        #expect(detour.training?.step == 5)
        #expect(detour.training?.network == atFive.training?.network)
        #expect(detour.training?.optimizerState == atFive.training?.optimizerState)
        #expect(detour.perform("back 1").error == nil)  // the ring held four: one more is left
        #expect(detour.perform("back 1").error != nil)
        #expect(detour.training?.step == 4)
        #expect(detour.perform("step 4").error == nil)
        #expect(detour.training?.network == straight.training?.network)
        #expect(detour.training?.optimizerState == straight.training?.optimizerState)
        #expect(detour.perform("step").error == nil && straight.perform("step").error == nil)
        #expect(detour.training?.network == straight.training?.network)
    }

    /// `optimizer` starts the state afresh: Adam's k counts from 1 again.
    @Test func anOptimizerCommandRestartsTheState() throws {
        var s = try session(SecondRoundTests.setup + ["optimizer adam lr=0.01", "step 3"])
        #expect(s.training?.optimizerState.updates == 3)
        #expect(s.training?.optimizerState.firstMoment != nil)
        _ = s.perform("optimizer adam lr=0.01")
        #expect(s.training?.optimizerState == OptimizerState())
        _ = s.perform("step")
        #expect(s.training?.optimizerState.updates == 1)
    }

    /// A batch of one row cannot be batch-normalised (PyTorch refuses it too).
    @Test func aBatchOfOneRowWithBatchNormIsAnError() throws {
        var s = try session(SecondRoundTests.setup + ["optimizer gd lr=0.1 batch=1"])
        let error = try #require(s.perform("step").error)
        #expect(error.message == "batch norm needs more than one row in every batch (a variance over one row is 0), and the last batch of each pass over 24 rows has 1")
        _ = s.perform("optimizer gd lr=0.1 batch=23")  // 24 rows: the second batch has 1
        #expect(s.perform("step").error != nil)
        _ = s.perform("optimizer gd lr=0.1 batch=12")
        #expect(s.perform("step").error == nil)
    }

    /// Batch norm and residual layers pass the gradient check (batch statistics, as a step).
    @Test func gradcheckCoversBatchNormAndResidualLayers() throws {
        var s = try session(SecondRoundTests.setup + ["step 2"])
        let output = try #require(s.perform("gradcheck").output)
        guard case .check(let text)? = output.blocks.last else { Issue.record("no check: \(output.blocks)"); return }
        #expect(text.hasPrefix("backprop agrees with finite differences"))
    }

    /// The names of batch norm's parameters and statistics, and errors for a layer without it.
    @Test func batchNormNames() throws {
        var s = try session(SecondRoundTests.setup + ["step"])
        for name in ["scale1", "shift1", "runmean1", "runvar1", "dscale1", "dshift1"] {
            #expect(s.perform("show \(name)").error == nil, "\(name)")
        }
        #expect(s.perform("show scale2").error?.message == "layer 2 has no batch norm, so no scale2")
        #expect(s.perform("set runvar1 = [[1, 1, 1, 1]]").error == nil)
        #expect(s.perform("set dscale1 = [[1, 1, 1, 1]]").error != nil)
    }

    /// `back` past an `optimizer` command: the steps were another optimizer's, so the current
    /// one starts afresh (Adam's first step from zero moments moves each weight by lr).
    @Test func backPastAnOptimizerChangeStartsItAfresh() throws {
        var s = try session(["seed 1", "data xor", "net 2 -> 2 tanh -> 1 sigmoid", "loss bce", "optimizer gd lr=0.1", "step 2",
                             "optimizer adam lr=0.1", "step 2", "back 3"])
        #expect(s.training?.optimizerState == OptimizerState())
        _ = s.perform("let P = W1")
        _ = s.perform("step")
        #expect(s.perform("expect abs(W1 - P) ~= [[0.1, 0.1], [0.1, 0.1]] tol=1e-4").error == nil)  // ε shaves a tiny gradient's step
    }

    /// explain follows W and b; batch norm's names get a clear error, not b's explanation.
    @Test func explainRefusesBatchNormNames() throws {
        var s = try session(SecondRoundTests.setup + ["step"])
        #expect(s.perform("explain dscale1").error?.suggestion == "batch norm's parameters are shown by 'show dscale1'; explain follows W and b")
        #expect(s.perform("explain runmean1").error != nil)
    }

    /// show weights and show grads list batch norm's parameters too; a negative running
    /// variance cannot be set.
    @Test func everyLayerViewsIncludeBatchNorm() throws {
        var s = try session(SecondRoundTests.setup + ["step"])
        let names = (s.perform("show weights").output?.blocks ?? []).compactMap { block -> String? in
            if case .value(let name?, _, _, _) = block { return name }
            return nil
        }
        #expect(names.contains("scale1") && names.contains("shift1"))
        #expect(s.perform("set runvar1 = [[1, 1, 1, -1]]").error?.message == "a running variance cannot be negative, got -1")
    }

    /// The batch size suggested for bn works, and the message says which batch has one row.
    @Test func oneRowBatchSuggestionWorks() throws {
        var s = try session(["seed 1", "data circles n=41", "net 2 -> 4 tanh bn -> 1 sigmoid", "loss bce", "optimizer gd batch=8"])
        let error = try #require(s.perform("step").error)
        let suggested = try #require(error.suggestion?.split(separator: "=").last.map { Int($0.dropLast())! })
        #expect(41 % suggested != 1)
        _ = s.perform("optimizer gd batch=\(suggested)")
        #expect(s.perform("step").error == nil)
    }

    /// The summary of a run counts its clipped steps (it marked only the last one).
    @Test func theSummaryCountsClippedSteps() throws {
        var s = try session(["seed 1", "data xor", "net 2 -> 3 tanh -> 1 sigmoid", "loss bce", "optimizer gd lr=0.5", "clip norm=0.0001"])
        guard case .step(let summary)? = s.perform("train 5").output?.blocks.first else { Issue.record("no step line"); return }
        #expect(summary.stepsTaken == 5)
        #expect(summary.clippedSteps == 5)
        _ = s.perform("clip norm=1000")
        guard case .step(let none)? = s.perform("train 3").output?.blocks.first else { Issue.record("no step line"); return }
        #expect(none.clippedSteps == 0)
    }
}

/// `predict` under loss ce: the logits, then their softmax (rows summing to 1, the same
/// order) and the predicted classes.
@Suite struct PredictTests {
    @Test func ceShowsLogitsSoftmaxAndClasses() throws {
        var s = try session(["seed 1", "data spiral", "net 2 -> 16 relu -> 3", "loss ce", "step 20"])
        let blocks = try #require(s.perform("predict [[0.5, 0.5], [-0.5, 0.2]]").output?.blocks)
        guard blocks.count == 3, case .value("ŷ", let logits, _, _) = blocks[0], case .value("softmax(ŷ)", let p, _, _) = blocks[1],
              case .note(let note) = blocks[2] else {
            Issue.record("unexpected blocks: \(blocks)")
            return
        }
        for i in 0..<2 {
            let row = logits.row(i), probs = p.row(i)
            #expect(abs(probs.reduce(0, +) - 1) < 1e-12)
            let e = row.map { Foundation.exp($0) }
            for j in 0..<3 { #expect(abs(probs[j] - e[j] / e.reduce(0, +)) < 1e-12) }
        }
        let classes = (0..<2).map { i in String(p.row(i).indices.max { p.row(i)[$0] < p.row(i)[$1] }!) }
        #expect(note == "ŷ are logits (loss ce applies the softmax); predicted classes, 0-based: " + classes.joined(separator: ", "))
        // bce: ŷ is already a probability; nothing more.
        var b = try session(["data xor", "net 2 -> 2 tanh -> 1 sigmoid", "loss bce"])
        #expect(b.perform("predict [[0, 1]]").output?.blocks.count == 1)
    }
}

@Suite struct ShowOptimizerTests {
    /// Adam's averages are shown per parameter as m(W1), v(b1), …, with Adam's own values.
    @Test func adamsMomentsAreNamedPerParameter() throws {
        var s = try session(["data xor", "net 2 -> 2 tanh -> 1", "optimizer adam lr=0.1", "step"])
        let blocks = try #require(s.perform("show optimizer").output?.blocks)
        let names = blocks.compactMap { block -> String? in if case .value(let name, _, _, _) = block { name } else { nil } }
        #expect(names == ["m(W1)", "m(b1)", "m(W2)", "m(b2)", "v(W1)", "v(b1)", "v(W2)", "v(b2)"])
        // After one step from zero: m = (1 − β1)·g, v = (1 − β2)·g².
        let g = try #require(s.training?.gradients)
        guard case .value(_, let m1, _, _)? = blocks.first(where: { if case .value("m(W1)", _, _, _) = $0 { true } else { false } }),
              case .value(_, let v1, _, _)? = blocks.first(where: { if case .value("v(W1)", _, _, _) = $0 { true } else { false } }) else {
            Issue.record("no m(W1) or v(W1)")
            return
        }
        for i in 0..<m1.count {
            #expect(m1.storage[i] == 0 + (1 - 0.9) * (g.weights[0].storage[i] - 0))  // lerp from zero with w = 1 − β1, as the kernel computes it
            #expect(abs(v1.storage[i] - 0.001 * g.weights[0].storage[i] * g.weights[0].storage[i]) <= 1e-18)
        }
    }
}
