// Gradients: dW and db for every layer, shaped like the network's parameters.

/// dW and db for every layer.
public struct Gradients: Equatable, Sendable {
    public var weights: [Matrix]
    public var biases: [Matrix]

    public init(weights: [Matrix], biases: [Matrix]) {
        self.weights = weights
        self.biases = biases
    }

    /// Zero gradients shaped like the network's parameters.
    public init(zerosLike network: Network) {
        weights = network.layers.map { Matrix(rows: $0.inputs, cols: $0.outputs) }
        biases = network.layers.map { Matrix(rows: 1, cols: $0.outputs) }
    }

    /// ‖g‖ over all parameters (biases of `nobias` layers are always zero and add nothing).
    public var globalNorm: Double { Matrix.norm(of: weights + biases) }

    public mutating func scale(by factor: Double) {
        for l in weights.indices {
            weights[l].scale(by: factor)
            biases[l].scale(by: factor)
        }
    }
}
