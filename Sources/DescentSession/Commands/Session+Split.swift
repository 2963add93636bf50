import DescentCore
import DescentLanguage

/// `split test=F | split off` and `scale standard | minmax | off`: the held-out rows and the
/// per-column scaling of X (fitted on the training rows).
extension Session {
    mutating func runSplit(_ fraction: Double?, into output: inout Output) throws(Diagnostic) {
        guard let source = bench.source else {
            throw Diagnostic("split holds out rows of the data, and there is none yet", suggestion: "choose it first, e.g. 'data circles n=200'")
        }
        if let fraction {
            guard source.rows >= 2 else { throw Diagnostic("split needs at least 2 rows; the data set has \(source.rows)") }
            bench.split = TestSplit(fraction: fraction, rows: source.rows, random: &bench.random)
        } else {
            bench.split = nil
        }
        bench.rebuildData()
        bench.testLosses = StepSeries()
        if bench.training != nil { bench.training!.cursor = BatchCursor(seed: bench.seed) }
        if fraction == nil { output.append(.note("split off: X and y are all \(counted(source.rows, "row")) again")) }
        appendSplitAndScaling(into: &output)
        bindDataNames(keeping: ["X", "y"], into: &output)
    }

    mutating func runScale(_ scaling: FeatureScaling, into output: inout Output) throws(Diagnostic) {
        guard bench.source != nil else {
            throw Diagnostic("scale transforms the data's columns, and there is no data yet", suggestion: "choose it first, e.g. 'data load \"points.csv\"'")
        }
        bench.scaling = scaling
        bench.rebuildData()
        if scaling == .off { output.append(.note("scale off: X holds the data's own values again")) }
        appendSplitAndScaling(into: &output, split: false)
        bindDataNames(keeping: ["X", "y"], into: &output)
    }

    /// What `data`, `split` and `scale` say about the rows and columns X and y now hold.
    func appendSplitAndScaling(into output: inout Output, split showSplit: Bool = true) {
        guard let data = bench.data else { return }
        if showSplit, let test = bench.testData, let split = bench.split {
            output.append(.note("split test=\(NumberFormat.short(split.fraction)): \(counted(test.rows, "row")) held out as Xtest \(test.x.shapeDescription), ytest \(test.y.shapeDescription); X and y are the \(counted(data.rows, "training row"))"))
        }
        switch bench.scaling {
        case .off: break
        case .standard:
            output.append(.note("scale standard: each column of X is (x − mean)/std, with the training rows' mean and std (population); the targets are not scaled"))
        case .minmax:
            output.append(.note("scale minmax: each column of X is (x − min)/(max − min) over the training rows; the targets are not scaled"))
        }
    }

    /// The largest ratio between two columns' standard deviations (nil for fewer than two
    /// columns that vary).
    static func columnScaleSpread(_ x: Matrix) -> Double? {
        let stds = x.columnStandardDeviations.filter { $0 > 0 && $0.isFinite }
        guard stds.count >= 2, let low = stds.min(), let high = stds.max() else { return nil }
        return high / low
    }
}
