import DescentCore
import DescentLanguage
import Foundation

/// The operators and functions of expressions, on values: entry by entry with
/// broadcasting, the matrix product, reductions. The entry-by-entry activations are the
/// layers' own (`Activation.apply`), so `relu(x)` in an expression is what a relu layer does.
enum Arithmetic {
    static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value, range: SourceRange) throws(Diagnostic) -> Value {
        if op == .product {
            let x = a.matrix, y = b.matrix
            guard x.cols == y.rows else {
                throw Diagnostic("cannot multiply \(x.shapeDescription) by \(y.shapeDescription) with '@': the inner sizes \(x.cols) and \(y.rows) differ", at: range)
            }
            return Value(Matrix.product(x, y))
        }
        let f: (Double, Double) -> Double
        switch op {
        case .add: f = (+)
        case .subtract: f = (-)
        case .multiply: f = (*)
        case .divide: f = (/)
        case .power: f = { Foundation.pow($0, $1) }
        case .product: f = (*)
        }
        let (x, y) = aligned(a, b)
        guard let result = x.zipped(with: y, f) else {
            throw Diagnostic("shapes do not fit for '\(op.rawValue)': \(x.shapeDescription) and \(y.shapeDescription)", at: range,
                             suggestion: "entry by entry needs equal shapes, a 1×1 or a 1×n row; '@' is the matrix product")
        }
        return Value(result, isFlat: a.isFlat && b.isFlat, isNumber: a.isNumber && b.isNumber)
    }

    /// Gives a flat vector the orientation of the other operand, when the counts agree.
    static func aligned(_ a: Value, _ b: Value) -> (Matrix, Matrix) {
        if a.isFlat, !b.isFlat, let fitted = a.fitted(rows: b.matrix.rows, cols: b.matrix.cols) { return (fitted, b.matrix) }
        if b.isFlat, !a.isFlat, let fitted = b.fitted(rows: a.matrix.rows, cols: a.matrix.cols) { return (a.matrix, fitted) }
        return (a.matrix, b.matrix)
    }

    /// The function of one matrix named `name` (see `FunctionCatalog.unary`), or nil for a
    /// name it does not know.
    static func function(_ name: String, _ v: Value) -> Value? {
        let m = v.matrix
        func entrywise(_ f: (Double) -> Double) -> Value { Value(m.map(f), isFlat: v.isFlat, isNumber: v.isNumber) }
        switch name {
        case "norm": return Value(scalar: m.norm)
        case "mean": return Value(scalar: m.mean)
        case "max": return Value(scalar: m.max)
        case "min": return Value(scalar: m.min)
        case "sum": return Value(scalar: m.sum)
        case "std": return Value(scalar: m.standardDeviation)
        case "rows": return Value(scalar: Double(m.rows))
        case "cols": return Value(scalar: Double(m.cols))
        case "transpose": return Value(m.transposed)
        case "colmean": return Value(Matrix(row: m.columnMeans))
        case "colstd": return Value(Matrix(row: m.columnStandardDeviations))
        case "colmin": return Value(Matrix(row: m.columnMinima))
        case "colmax": return Value(Matrix(row: m.columnMaxima))
        case "abs": return entrywise { Swift.abs($0) }
        case "sqrt": return entrywise { $0.squareRoot() }
        case "exp": return entrywise { Foundation.exp($0) }
        case "log": return entrywise { Foundation.log($0) }
        case "sigmoid": return entrywise { Activation.sigmoid.apply($0) }
        case "tanh": return entrywise { Activation.tanh.apply($0) }
        case "relu": return entrywise { Activation.relu.apply($0) }
        default: return nil
        }
    }
}
