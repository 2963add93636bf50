// Expr: the expression AST (with its source text), binary operators, matrix literals and
// the catalog of built-in functions.
import DescentCore

/// An expression, as in `expect`, `let`, `set`, `predict` and `train until`.
/// Every value is a matrix; a number is 1×1.
public indirect enum Expr: Equatable, Sendable {
    case number(Double, SourceRange)
    /// A name: `loss`, `lr`, `step`, a parameter (`W1`, `db2`), `X`, `y`, or a `let` variable.
    case name(String, SourceRange)
    /// `[[1, 2], [3, 4]]` (rows) or `[1, 2, 3]` (flat: a vector that takes the orientation
    /// its use needs, e.g. an m×1 target or a 1×n bias).
    case matrix(MatrixLiteral)
    case call(String, [Expr], SourceRange)
    case negate(Expr, SourceRange)
    case binary(BinaryOperator, Expr, Expr, SourceRange)

    public var range: SourceRange {
        switch self {
        case .number(_, let r), .name(_, let r), .call(_, _, let r), .negate(_, let r), .binary(_, _, _, let r): r
        case .matrix(let literal): literal.range
        }
    }
}

public enum BinaryOperator: String, Equatable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    /// Matrix product.
    case product = "@"
    /// Power, entry by entry.
    case power = "^"
}

/// A bracketed literal; entries are evaluated when the command runs.
public struct MatrixLiteral: Equatable, Sendable {
    public var rows: [[Expr]]
    /// True for `[1, 2, 3]`, false for `[[1, 2, 3]]`.
    public var isFlat: Bool
    public var range: SourceRange

    public init(rows: [[Expr]], isFlat: Bool, range: SourceRange) {
        self.rows = rows
        self.isFlat = isFlat
        self.range = range
    }
}

/// The functions an expression can call, with their argument counts.
public enum FunctionCatalog {
    /// Functions of one matrix giving a number or a matrix.
    public static let unary: [String: String] = [
        "norm": "the Frobenius norm √Σx²",
        "mean": "the mean of the entries",
        "max": "the largest entry",
        "min": "the smallest entry",
        "sum": "the sum of the entries",
        "std": "the standard deviation of the entries",
        "abs": "|x|, entry by entry",
        "sqrt": "√x, entry by entry",
        "exp": "eˣ, entry by entry",
        "log": "ln x, entry by entry",
        "sigmoid": "1/(1+e⁻ˣ), entry by entry",
        "tanh": "tanh x, entry by entry",
        "relu": "max(0, x), entry by entry",
        "transpose": "the transpose",
        "rows": "the number of rows",
        "cols": "the number of columns",
        "forward": "the network's output for these rows (what predict prints)",
        "colmean": "the mean of each column, a 1×n row",
        "colstd": "the population standard deviation of each column, a 1×n row",
        "colmin": "the smallest entry of each column, a 1×n row",
        "colmax": "the largest entry of each column, a 1×n row",
        "eigvals": "the eigenvalues of a symmetric matrix, smallest first (a Hessian's curvatures)",
    ]

    /// Functions of the rows X and targets y: `loss(Xtest, ytest)`, `accuracy(X, y)`.
    public static let dataFunctions: [String: String] = [
        "loss": "loss(X, y): the loss function on these rows at the current weights (batch norm's running statistics), without the L2 term",
        "accuracy": "accuracy(X, y): the share classified right (bce: ŷ ≥ 0.5 is class 1, each output column counted; ce: the largest output, per row)",
    ]

    /// Constructors: `randn(r, c)`, `rand(r, c)`, `zeros(r, c)`, `ones(r, c)`, `randint(n, k)`,
    /// `eye(n)`.
    public static let constructors: [String: (arity: Int, help: String)] = [
        "randn": (2, "randn(r, c): r×c draws from N(0, 1)"),
        "rand": (2, "rand(r, c): r×c draws from U[0, 1)"),
        "zeros": (2, "zeros(r, c): an r×c matrix of 0"),
        "ones": (2, "ones(r, c): an r×c matrix of 1"),
        "randint": (2, "randint(n, k): n class labels drawn from 0…k−1"),
        "eye": (1, "eye(n): the n×n identity"),
    ]

    public static var allNames: [String] { Array(unary.keys) + Array(constructors.keys) + Array(dataFunctions.keys) }
}
