// Command: the parsed form of one command line (the AST the session runs), with its parts.
import DescentCore

/// One parsed command line: the abstract syntax the session runs.
public enum Command: Equatable, Sendable {
    // values and data
    case letBinding(name: Located<String>, value: Expr)
    case data(DataSource)
    /// `split test=F` (nil: `split off`).
    case split(Double?)
    case scale(FeatureScaling)

    // model
    case net(Architecture)
    case initialize(Initializer)
    case seed(UInt64)
    case loss(LossKind)
    case set(name: Located<String>, value: Expr)

    // optimizer
    case optimizer(OptimizerSettings)
    case schedule(Schedule)
    case clip(Double?)
    case l2(Double?)

    // stepping
    case step(Int)
    case epoch(Int)
    case train(TrainGoal)
    case back(Int)
    case reset

    // looking
    case show(ShowTarget)
    case predict(Expr)
    case watch(WatchKind?)
    case precision(Int)
    /// `threads N`: OpenBLAS threads for matrix products.
    case threads(Int)
    /// `limit memory N UNIT` (nil bytes: show the limit).
    case limitMemory(bytes: Int?)
    /// `limit history N UNIT`: how much `back`'s step history may keep (nil: show it).
    case limitHistory(bytes: Int?)
    /// `limit`: show both limits.
    case showLimits
    case gradcheck
    case expect(Expectation)
    /// `explain dW1`: how the last step produced a gradient or parameter.
    case explain(Located<String>)
    /// `plot norms | loss | boundary | neurons L`: a chart of the steps so far or of the net.
    case plot(PlotKind)

    // notebook
    case history
    case rerun(Int)
    case save(path: String)
    case run(path: String)
    case export(path: String)
    case lessons
    case lesson(Int)
    /// `lessons lang=zh|en`: lists them in that language, which `lesson N` then follows.
    case lessonsIn(LessonLanguage)
    /// `lesson N lang=zh|en`: lesson N in that language.
    case lessonIn(Int, LessonLanguage)
    case next
    case lessonOff
    /// `lesson off keep`: leave the lesson and keep its net, data and settings.
    case lessonOffKeepingState
    case help(topic: String?)
    case quit
}

public enum DataSource: Equatable, Sendable {
    /// `data X, y` with the variable names as written.
    case variables(x: Located<String>, y: Located<String>)
    case xor
    case circles(n: Int, noise: Double)
    case spiral(n: Int, classes: Int, noise: Double)
    case line(n: Int, noise: Double)
    /// `data load "file.csv" target=last|first|N` (N counts columns from 1).
    case load(path: String, target: CSVTarget)
}

public enum CSVTarget: Equatable, Sendable {
    case last, first
    /// A column number, from 1.
    case column(Int)
    /// The column with this name in the header line.
    case name(String)
}

/// `optimizer gd|adam|rmsprop lr=… [its options] [batch=…] [shuffle=…]`. The command sets the
/// whole optimizer: what is left out takes its default (each rule's own, batch full, shuffle
/// on for mini-batches), and its state (velocity, moments) starts afresh.
public struct OptimizerSettings: Equatable, Sendable {
    public var learningRate: Double
    /// The update rule with its hyperparameters.
    public var rule: OptimizerKind
    public var batch: BatchSize
    public var shuffle: Bool?
    /// The options the command named (`lr`, `momentum`, `batch`, …); the others take their
    /// defaults, which the session points out when that changes a setting.
    public var given: Set<String>

    /// gd with momentum μ (0 for plain descent).
    public init(learningRate: Double, momentum: Double = 0, batch: BatchSize = .full, shuffle: Bool? = nil,
                given: Set<String> = ["lr", "momentum", "batch", "shuffle"]) {
        self.init(learningRate: learningRate, rule: .gd(momentum: momentum), batch: batch, shuffle: shuffle, given: given)
    }

    public init(learningRate: Double, rule: OptimizerKind, batch: BatchSize = .full, shuffle: Bool? = nil, given: Set<String>) {
        self.learningRate = learningRate
        self.rule = rule
        self.batch = batch
        self.shuffle = shuffle
        self.given = given
    }

    /// gd's momentum (0 for the other rules).
    public var momentum: Double {
        if case .gd(let momentum) = rule { return momentum }
        return 0
    }
}

public enum TrainGoal: Equatable, Sendable {
    case steps(Int)
    /// `train until COND [max=N]`.
    case until(Expectation, max: Int)
}

public enum ShowTarget: Equatable, Sendable {
    /// `show W1`, `show dW2 full`, `show X`, or any expression.
    case value(Expr, full: Bool)
    /// `show hist W1`: a histogram of the entries.
    case histogram(Expr)
    case weights, grads, norms, activations, loss, config
    /// `show optimizer`: the optimizer's buffers per parameter (velocity, Adam's m and v, …).
    case optimizer
}

/// What `plot` draws. `loss` and `norms` are charts over the steps so far; `boundary` and
/// `neurons` draw the net over the plane of 2-feature data.
public enum PlotKind: Equatable, Sendable {
    /// Per-layer ‖dW‖ over the steps: a heat strip.
    case norms
    /// The batch loss over the steps: a line chart.
    case loss
    /// The net's output over the data's range, with the points on it.
    case boundary
    /// `plot neurons L`: each unit of layer L (1-based, as in W1) over the same plane.
    case neurons(layer: Located<Int>)

    /// The words `plot` takes, in the order help and errors list them.
    public static let words = ["norms", "loss", "boundary", "neurons"]
}

extension ShowTarget {
    /// The words `show` takes besides an expression.
    public static let keywords = ["weights", "grads", "norms", "activations", "loss", "config", "optimizer", "hist"]
}

public enum WatchKind: String, Equatable, Sendable, CaseIterable {
    case grads, weights, norms
}

public enum ComparisonOperator: String, Equatable, Sendable, CaseIterable {
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", approx = "~="
}

/// `EXPR OP EXPR [tol=T]`, as in `expect` and `train until`.
public struct Expectation: Equatable, Sendable {
    public var lhs: Expr
    public var op: ComparisonOperator
    public var rhs: Expr
    /// For `~=`: holds when |a − b| ≤ tol·(1 + |b|) entry by entry.
    public var tolerance: Double
    public var range: SourceRange

    public static let defaultTolerance = 1e-9

    public init(lhs: Expr, op: ComparisonOperator, rhs: Expr, tolerance: Double = defaultTolerance, range: SourceRange) {
        self.lhs = lhs
        self.op = op
        self.rhs = rhs
        self.tolerance = tolerance
        self.range = range
    }
}
