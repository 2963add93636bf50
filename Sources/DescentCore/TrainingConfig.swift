// The settings a step runs with: TrainingConfig (the `optimizer`, `schedule`, `clip` and `l2`
// commands, and the loss) and BatchSize.

/// How many rows each step uses.
public enum BatchSize: Equatable, Sendable {
    case full
    case rows(Int)
}

/// Everything that decides how a step updates the weights: the `optimizer`, `schedule`,
/// `clip` and `l2` commands, and the loss.
public struct TrainingConfig: Equatable, Sendable {
    public var loss: LossKind = .mse
    public var learningRate: Double = 0.01
    /// The update rule and its hyperparameters (gd, adam, rmsprop; see Optimizer.swift).
    public var optimizer: OptimizerKind = .gd(momentum: 0)
    public var batch: BatchSize = .full
    /// Reshuffle the rows each epoch; only meaningful with `batch=N`.
    public var shuffle: Bool = false
    public var schedule: Schedule = .fixed
    /// Global-norm clipping threshold c (Pascanu et al. 2013), or nil for none.
    public var clipNorm: Double?
    /// λ of the article's L2 term λ/(2m) Σ‖W‖², m = number of weight entries; nil for none.
    public var l2: Double?

    public init() {}

    /// gd's μ in `v ← μ v + g`, `θ ← θ − lr_t v` (PyTorch's SGD convention); 0 for plain
    /// descent and for the other optimizers.
    public var momentum: Double {
        if case .gd(let momentum) = optimizer { return momentum }
        return 0
    }

    /// The rate the step after `t` steps uses.
    public func learningRate(atStep t: Int) -> Double { schedule.rate(base: learningRate, step: t) }
}
