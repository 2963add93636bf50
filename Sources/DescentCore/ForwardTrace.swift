// ForwardTrace: what one forward pass computed (the input, each Zₗ and Aₗ), kept for
// backprop and for inspection.

/// Everything one forward pass computed, layer by layer, kept for inspection and backprop.
public struct ForwardTrace: Equatable, Sendable {
    /// The batch that went in (A₀).
    public var input = Matrix(rows: 0, cols: 0)
    /// Zₗ = Aₗ₋₁ Wₗ + bₗ, one per layer.
    public var preActivations: [Matrix] = []
    /// Aₗ = fₗ(Zₗ), one per layer; the last is the prediction.
    public var activations: [Matrix] = []

    public init() {}

    public var output: Matrix { activations.last ?? input }

    /// Aₗ₋₁ for layer index l (0-based): the input of that layer.
    public func layerInput(_ l: Int) -> Matrix { l == 0 ? input : activations[l - 1] }
}
