// ForwardTrace: what one forward pass computed (the input, each layer's pre-activation and
// activation, and what batch norm and residual layers need for backprop), kept for backprop
// and for inspection.

/// Everything one forward pass computed, layer by layer, kept for inspection and backprop.
public struct ForwardTrace: Equatable, Sendable {
    /// The batch that went in (A₀).
    public var input = Matrix(rows: 0, cols: 0)
    /// What goes into layer l's activation: Zₗ = Aₗ₋₁ Wₗ + bₗ, or with batch norm
    /// scaleₗ ⊙ Ẑₗ + shiftₗ. One per layer.
    public var preActivations: [Matrix] = []
    /// Aₗ = fₗ(Zₗ) (plus Aₗ₋₁ for a residual layer), one per layer; the last is the prediction.
    public var activations: [Matrix] = []
    /// Batch norm layers: Ẑ, 1/√(σ² + ε), and the statistics used (0×0 for other layers).
    public var normalized: [Matrix] = []
    public var inverseStd: [Matrix] = []
    public var means: [Matrix] = []
    public var variances: [Matrix] = []
    /// Residual layers: fₗ(Zₗ) alone, for the activation's derivative (0×0 for others).
    public var unitOutputs: [Matrix] = []
    /// Whether batch norm used the batch's statistics (a training step) or the running ones.
    public var training = false

    public init() {}

    public var output: Matrix { activations.last ?? input }

    /// Aₗ₋₁ for layer index l (0-based): the input of that layer.
    public func layerInput(_ l: Int) -> Matrix { l == 0 ? input : activations[l - 1] }

    /// f(Zₗ) for layer index l: what the activation's derivative is written in terms of.
    public func unitOutput(_ l: Int) -> Matrix { unitOutputs[l].count > 0 ? unitOutputs[l] : activations[l] }

    /// Makes room for `layers` layers, keeping buffers that already exist.
    mutating func prepare(layers: Int) {
        guard preActivations.count != layers else { return }
        let empty = Array(repeating: Matrix(rows: 0, cols: 0), count: layers)
        (preActivations, activations, normalized, inverseStd, means, variances, unitOutputs) = (empty, empty, empty, empty, empty, empty, empty)
    }
}
