import DescentCore
import Foundation
import Testing
@testable import DescentSession

/// `Session.replay` (what the PyTorch export stands on) and the Descent behaviours a stress
/// test of the export found wrong: every kind of cell replays to the same effects, NaN
/// included; a refused step leaves nothing for `explain`; bce accuracy counts every output.
@Suite struct ReplayTests {
    @Test func rerunCellsAndNaNsReplayToTheSameEffects() throws {
        let s = try session(["seed 3", "data xor", "net 2 -> 3 tanh -> 1 sigmoid", "step 2", "rerun 4",
                             "show sqrt(-1)", "let z = 0 / 0", "rerun 6"])
        // The rerun of `step 2` is kept as the steps it took.
        #expect(s.cells[4].source == "step 2")
        #expect(s.cells[4].effects?.steps?.applied == 2)
        #expect(s.cells[5].effects?.shown?.storage.first?.isNaN == true)
        var steps = 0
        try s.replay { _ in steps += 1 }
        #expect(steps == 4)
    }

    @Test func aNaNEqualsItselfAsAValueButZeroSignsDiffer() {
        #expect(Matrix([[.nan, 1]]) == Matrix([[.nan, 1]]))
        #expect(Matrix([[0.0]]) != Matrix([[-0.0]]))
        #expect(Matrix([[1, 2]]) != Matrix([[1], [2]]))
    }

    @Test func aRefusedStepLeavesNothingToExplain() throws {
        var s = try session(["seed 7", "data circles n=12 noise=0.1", "net 2 -> 8 relu -> 8 relu -> 1",
                             "optimizer gd lr=5 batch=4 shuffle=on", "step", "explain dW1"])
        s.perform("train 400")  // refused at step 160
        #expect(s.training!.step == 159)
        let result = s.perform("explain dW1")
        #expect(result.error?.message.contains("the last one was refused as not finite") == true)
    }

    /// `back` to before `split off` brought back a cursor over 10 rows' order into 20 rows:
    /// the next batch read past the order's end (a crash), or past the data (garbage).
    @Test func backPastADataChangeStartsANewPass() throws {
        var s = try session(["seed 4", "data circles n=20 noise=0.1", "split test=0.5", "net 2 -> 1 sigmoid", "loss bce",
                             "optimizer gd lr=0.1 batch=3 shuffle=on", "step 3", "split off", "back 1"])
        #expect(s.training!.cursor.position == 0 && s.training!.cursor.order.isEmpty)
        #expect(s.perform("step 3").error == nil)
        #expect(s.training!.step == 5)
        var steps = 0
        try s.replay { _ in steps += 1 }
        #expect(steps == 6)
    }

    @Test func nanIsKeptByReluAndTheReductions() throws {
        var s = try session(["let a = [[1, nan, 2], [inf, -inf, 0]]"])
        for expression in ["max(a)", "min(a)", "max([1, nan, 2])", "relu(nan)"] {
            #expect(Session.shownNumber(s.perform("show \(expression)").output)?.isNaN == true, "\(expression)")
        }
        #expect(Matrix([[1, 2], [.nan, 0]]).columnMinima.map(\.isNaN) == [true, false])
    }

    @Test func bceAccuracyCountsEveryOutputColumn() throws {
        // Weights 0 and biases (+1, −1): every row answers (1, 0), which is right in 5 of the 8
        // entries (and in 3 of the 4 rows' first column, which is all accuracy once counted).
        let s = try session(["let X = [[0, 0], [0, 1], [1, 0], [1, 1]]", "let T = [[1, 1], [1, 1], [0, 0], [1, 0]]",
                             "data X, T", "net 2 -> 2 sigmoid", "loss bce", "set W1 = zeros(2, 2)", "set b1 = [[1, -1]]"])
        var copy = s
        let shown = copy.perform("show accuracy").output
        #expect(Session.shownNumber(shown) == 5.0 / 8.0)
    }
}

extension Session {
    /// The number a `show` printed.
    static func shownNumber(_ output: Output?) -> Double? {
        for block in output?.blocks ?? [] { if case .value(_, let matrix, _, _) = block { return matrix.storage.first } }
        return nil
    }
}
