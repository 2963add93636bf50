import Foundation
import Testing
@testable import DescentSession
import DescentCore
import DescentLanguage

/// `split` and `scale` (issue 13). Scaled values were computed independently with
/// scikit-learn 1.x (StandardScaler, MinMaxScaler fitted on the same four training rows).
@Suite struct SplitScaleTests {
    static let setup = ["seed 11", "let A = [[1, 200, 5], [2, 400, 5], [3, 100, 5], [4, 800, 5], [5, 300, 5], [6, 700, 5]]",
                        "let t = [0, 1, 0, 1, 0, 1]", "data A, t", "split test=0.34"]

    func x(_ s: inout Session, _ name: String) throws -> Matrix {
        guard case .value(_, let m, _, _)? = s.perform("show \(name)").output?.blocks.first else { throw Diagnostic("no \(name)") }
        return m
    }

    func close(_ a: Matrix, _ b: [[Double]]) -> Bool {
        a.rows == b.count && zip(a.storage, b.flatMap { $0 }).allSatisfy { abs($0 - $1) <= 1e-12 * (1 + abs($1)) }
    }

    @Test func standardScalingAgreesWithScikitLearn() throws {
        var s = try session(SplitScaleTests.setup + ["scale standard"])
        #expect(close(try x(&s, "X"), [[-1.212678125181665, -1.0690449676496976, 0.0], [-0.7276068751089989, 0.0, 0.0],
                                       [0.7276068751089989, -0.5345224838248488, 0.0], [1.212678125181665, 1.6035674514745464, 0.0]]))
        // The test rows with the training rows' mean and std; the constant column only centred.
        #expect(close(try x(&s, "Xtest"), [[-0.24253562503633297, -1.6035674514745464, 0.0], [0.24253562503633297, 2.138089935299395, 0.0]]))
        #expect(try x(&s, "y") == Matrix(column: [0, 1, 0, 1]))  // targets are never scaled
    }

    @Test func minMaxScalingAgreesWithScikitLearn() throws {
        var s = try session(SplitScaleTests.setup + ["scale minmax"])
        #expect(close(try x(&s, "X"), [[0.0, 0.0, 0.0], [0.2, 0.4, 0.0], [0.8, 0.19999999999999996, 0.0], [1.0000000000000002, 1.0, 0.0]]))
        #expect(close(try x(&s, "Xtest"), [[0.4000000000000001, -0.2, 0.0], [0.6000000000000001, 1.2000000000000002, 0.0]]))
        _ = s.perform("scale off")
        #expect(try x(&s, "Xtest") == Matrix([[3, 100, 5], [4, 800, 5]]))
    }

    /// round(F·m) rows, at least one each side, disjoint, in their order, the same for the same seed.
    @Test func splitSizesDisjointnessAndSeed() throws {
        for (fraction, m, expected) in [(0.25, 200, 50), (0.34, 6, 2), (0.01, 10, 1), (0.99, 10, 9), (0.5, 2, 1)] {
            var random = RandomSource(seed: 3)
            let split = TestSplit(fraction: fraction, rows: m, random: &random)
            #expect(split.testRows.count == expected, "\(fraction) of \(m)")
            #expect(split.testRows == split.testRows.sorted() && Set(split.testRows).count == expected)
            var again = RandomSource(seed: 3)
            #expect(TestSplit(fraction: fraction, rows: m, random: &again) == split)
            let data = Dataset(x: Matrix(column: (0..<m).map(Double.init)), y: Matrix(column: (0..<m).map(Double.init)))
            let (training, test) = split.apply(to: data)
            #expect(training.rows + test.rows == m)
            #expect(Set(training.x.storage).isDisjoint(with: test.x.storage))
        }
    }

    /// Steps use the training rows only; a data command keeps the split and the scaling.
    @Test func stepsUseTheTrainingRowsAndDataKeepsTheSettings() throws {
        var s = try session(SplitScaleTests.setup + ["scale standard", "net 3 -> 1", "step"])
        guard case .step(let summary)? = s.perform("step").output?.blocks.first else { Issue.record("no step"); return }
        #expect(summary.report.batchRows == 4)
        _ = s.perform("data circles n=40")
        #expect(s.bench.testData?.rows == 14 && s.data?.rows == 26)
        #expect(abs(s.data!.x.columnMeans[0]) < 1e-12)  // still standardised
    }

    /// Columns on very different scales: data load says so and suggests scale standard.
    @Test func loadWarnsAboutColumnScales() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "a,b,y\n1,1000,0\n2,3000,1\n3,2000,0\n".write(to: folder.appendingPathComponent("wide.csv"), atomically: true, encoding: .utf8)
        var s = Session(baseDirectory: folder)
        let blocks = s.perform("data load \"wide.csv\"").output?.blocks ?? []
        #expect(blocks.contains { if case .warning(let w) = $0 { w.contains("'scale standard'") } else { false } })
    }

    /// After `data X, y` with the learner's own X, split and scale rebind X to the training
    /// rows (it said so, and now it is so); `data X, y` afterwards takes every row, unscaled.
    @Test func splitAndScaleRebindTheLearnersX() throws {
        var s = try session(["seed 5", "let X = [[1,100],[2,200],[3,300],[4,400],[5,500],[6,600],[7,700],[8,800]]",
                             "let y = [0,0,0,0,1,1,1,1]", "data X, y", "split test=0.25"])
        #expect(try x(&s, "X").rows == 6)
        _ = s.perform("scale standard")
        #expect(abs(try x(&s, "X").columnMeans[1]) < 1e-12)
        var t = try session(["seed 5", "data line n=20", "split test=0.25", "scale standard", "data X, y"])
        #expect(t.bench.source?.rows == 20)
        _ = t.perform("scale off")
        #expect(t.bench.source?.x.columnMinima[0] == -1)
    }

    /// A quoted field may hold the separator.
    @Test func quotedFieldsMayHoldTheSeparator() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("csvq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "\"x, one\",\"x2\",\"cls\"\n1,2,0\n2,3,1\n".write(to: folder.appendingPathComponent("qh.csv"), atomically: true, encoding: .utf8)
        var s = Session(baseDirectory: folder)
        #expect(s.perform("data load \"qh.csv\" target=cls").error == nil)
        #expect(s.data?.x == Matrix([[1, 2], [2, 3]]))
    }
}

/// `loss(A, b)` is the loss function alone; plain `loss` (the objective the steps minimise)
/// adds the L2 term, and the test curve is drawn without it.
@Suite struct HeldOutLossTests {
    @Test func lossOfRowsLeavesOutTheL2Term() throws {
        var s = try session(["seed 3", "data circles n=40 noise=0.1", "split test=0.25", "net 2 -> 4 tanh -> 1 sigmoid",
                             "loss bce", "l2 10", "step 3"])
        let checks = [
            // bce by hand on the test rows, and the L2 term by hand (m = 8 + 4 = 12 weights)
            "expect loss(Xtest, ytest) ~= -mean(ytest * log(forward(Xtest)) + (1 - ytest) * log(1 - forward(Xtest))) tol=1e-14",
            "expect loss ~= loss(X, y) + 10 / (2 * 12) * (norm(W1) ^ 2 + norm(W2) ^ 2) tol=1e-14",
            "expect loss(X, y) < loss - 0.01",
        ]
        for check in checks { #expect(s.perform(check).error == nil, "\(check)") }
        // The curve's step-3 point is measured at the weights before step 3, as the batch loss is.
        let testLosses = s.bench.testLosses.values
        try #require(testLosses.count == 3)
        #expect(s.perform("expect cols(testlosses) == 3").error == nil)
        #expect(s.perform("expect max(testlosses) == \(testLosses.max()!)").error == nil)
        _ = s.perform("back")
        #expect(s.perform("expect loss(Xtest, ytest) == \(testLosses[2])").error == nil)
        _ = s.perform("split off")
        #expect(s.perform("show testlosses").error?.message.contains("no rows are held out") == true)
    }
}
