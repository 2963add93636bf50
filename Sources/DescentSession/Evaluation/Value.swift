import DescentCore

/// A value in the session: a matrix, remembering whether it was written as a flat vector
/// (`[1, 2, 3]`), which takes the orientation its use needs (an m×1 target, a 1×n bias).
public struct Value: Equatable, Sendable {
    public var matrix: Matrix
    public var isFlat: Bool
    /// A plain number (from a number, `loss`, `lr`, `step` or a reduction such as `norm`),
    /// printed as `0.01` rather than `[[0.01]]`.
    public var isNumber: Bool

    public init(_ matrix: Matrix, isFlat: Bool = false, isNumber: Bool = false) {
        self.matrix = matrix
        self.isFlat = isFlat && (matrix.rows == 1 || matrix.cols == 1)
        self.isNumber = isNumber && matrix.isScalar
    }

    public init(scalar: Double) { self.init(Matrix(scalar: scalar), isNumber: true) }

    public var style: ValueStyle { isNumber ? .number : (isFlat ? .flat : .matrix) }

    /// As an m×1 column when flat, else as is.
    public var asColumn: Matrix { isFlat ? Matrix(column: matrix.storage) : matrix }

    /// This value in the shape `rows`×`cols` if it has it, or is a flat vector of that many
    /// entries and the target is a row or a column.
    public func fitted(rows: Int, cols: Int) -> Matrix? {
        if matrix.rows == rows && matrix.cols == cols { return matrix }
        if isFlat && matrix.count == rows * cols && (rows == 1 || cols == 1) {
            return Matrix(rows: rows, cols: cols, storage: matrix.storage)
        }
        return nil
    }
}

/// How a value is written back: `[[1, 2]]`, `[1, 2]` or `3`.
public enum ValueStyle: Equatable, Sendable {
    case matrix, flat, number
}
