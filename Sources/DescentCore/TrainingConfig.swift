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
    /// μ in `v ← μ v + g`, `θ ← θ − lr_t v` (PyTorch's SGD convention); 0 is plain descent.
    public var momentum: Double = 0
    public var batch: BatchSize = .full
    /// Reshuffle the rows each epoch; only meaningful with `batch=N`.
    public var shuffle: Bool = false
    public var schedule: Schedule = .fixed
    /// Global-norm clipping threshold c (Pascanu et al. 2013), or nil for none.
    public var clipNorm: Double?
    /// λ of the article's L2 term λ/(2m) Σ‖W‖², m = number of weight entries; nil for none.
    public var l2: Double?

    public init() {}

    /// The update rule these settings choose (see Optimizer.swift).
    public var optimizer: OptimizerKind { .gd(momentum: momentum) }

    /// The rate the step after `t` steps uses.
    public func learningRate(atStep t: Int) -> Double { schedule.rate(base: learningRate, step: t) }
}
