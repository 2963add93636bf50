// Per-column feature scaling fitted on the training rows (scikit-learn's StandardScaler and
// MinMaxScaler), and the held-out test split.

/// How `scale` transforms the columns of X.
public enum FeatureScaling: String, Equatable, Sendable, CaseIterable {
    case off
    /// (x − μ)/σ with the population σ (ddof 0, as StandardScaler); a constant column is only centred.
    case standard
    /// (x − min)/(max − min) (MinMaxScaler); a constant column becomes 0.
    case minmax
}

/// A fitted scaling: x ↦ (x − shift)/divisor, per column.
public struct ColumnScaler: Equatable, Sendable {
    public var shift: [Double]
    public var divisor: [Double]

    /// Fits `kind` on the rows of `x` (the training rows).
    public init(_ kind: FeatureScaling, fittedOn x: Matrix) {
        let n = x.cols
        switch kind {
        case .off:
            shift = Array(repeating: 0, count: n)
            divisor = Array(repeating: 1, count: n)
        case .standard:
            let mean = x.columnMeans, std = x.columnStandardDeviations
            shift = mean
            divisor = std.map { $0 == 0 ? 1 : $0 }
        case .minmax:
            let low = x.columnMinima, high = x.columnMaxima
            shift = low
            divisor = zip(low, high).map { $1 - $0 == 0 ? 1 : $1 - $0 }
        }
    }

    public func apply(_ x: Matrix) -> Matrix {
        var out = x
        for i in 0..<x.rows {
            for j in 0..<x.cols { out[i, j] = (x[i, j] - shift[j]) / divisor[j] }
        }
        return out
    }
}

extension Matrix {
    /// Column-wise reductions, 1 × cols each: mean, population standard deviation, min, max.
    public var columnMeans: [Double] {
        (0..<cols).map { j in (0..<rows).reduce(0.0) { $0 + self[$1, j] } / Double(Swift.max(rows, 1)) }
    }

    public var columnStandardDeviations: [Double] {
        let means = columnMeans
        return (0..<cols).map { j in
            ((0..<rows).reduce(0.0) { let d = self[$1, j] - means[j]; return $0 + d * d } / Double(Swift.max(rows, 1))).squareRoot()
        }
    }

    /// Per column; NaN where the column has one (see `Matrix.max`).
    public var columnMinima: [Double] { (0..<cols).map { j in Matrix(row: (0..<rows).map { self[$0, j] }).min } }
    public var columnMaxima: [Double] { (0..<cols).map { j in Matrix(row: (0..<rows).map { self[$0, j] }).max } }
}

/// `split test=F`: which rows are held out.
public struct TestSplit: Equatable, Sendable {
    public var fraction: Double
    /// The held-out rows, in their original order.
    public var testRows: [Int]

    /// round(F·m) rows, at least one on each side, drawn from `random`, kept in order.
    public init(fraction: Double, rows m: Int, random: inout RandomSource) {
        let count = Swift.min(Swift.max(Int((fraction * Double(m)).rounded()), 1), m - 1)
        self.fraction = fraction
        testRows = random.permutation(m).prefix(count).sorted()
    }

    /// The training rows and the test rows of `data`.
    public func apply(to data: Dataset) -> (training: Dataset, test: Dataset) {
        let held = Set(testRows)
        let training = (0..<data.rows).filter { !held.contains($0) }
        return (Dataset(x: data.x.selectingRows(training), y: data.y.selectingRows(training)),
                Dataset(x: data.x.selectingRows(testRows), y: data.y.selectingRows(testRows)))
    }
}
