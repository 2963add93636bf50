// Gradients: dW and db for every layer (and dscale, dshift for batch-norm layers), shaped like
// the network's parameters; also the shape of every optimizer buffer. ParameterSlot names one
// parameter matrix.

/// One parameter matrix of a network: a layer's W, b, or its batch norm's scale or shift.
public struct ParameterSlot: Equatable, Hashable, Sendable {
    public enum Kind: Equatable, Hashable, Sendable { case weights, bias, scale, shift }
    /// Index into `layers` (0-based).
    public var layer: Int
    public var kind: Kind

    public init(layer: Int, kind: Kind) {
        self.layer = layer
        self.kind = kind
    }
}

/// dW and db for every layer, and dscale, dshift for batch-norm layers (0×0 for the others).
public struct Gradients: Equatable, Sendable {
    public var weights: [Matrix]
    public var biases: [Matrix]
    public var scales: [Matrix]
    public var shifts: [Matrix]
    /// ‖δₗ‖ = ‖∂loss/∂Zₗ‖ per layer as backprop computed it (through batch norm, the δ that
    /// dWₗ = Aₗ₋₁ᵀ δₗ uses): the gradient's size at each layer, independent of the layer's
    /// input, which ‖dWₗ‖ is not.
    public var deltaNorms: [Double]

    public init(weights: [Matrix], biases: [Matrix]) {
        self.weights = weights
        self.biases = biases
        scales = weights.map { _ in Matrix(rows: 0, cols: 0) }
        shifts = scales
        deltaNorms = Array(repeating: 0, count: weights.count)
    }

    /// Zero gradients shaped like the network's parameters.
    public init(zerosLike network: Network) {
        weights = network.layers.map { Matrix(rows: $0.inputs, cols: $0.outputs) }
        biases = network.layers.map { Matrix(rows: 1, cols: $0.outputs) }
        scales = network.layers.map { $0.batchNorm == nil ? Matrix(rows: 0, cols: 0) : Matrix(rows: 1, cols: $0.outputs) }
        shifts = scales
        deltaNorms = Array(repeating: 0, count: network.layers.count)
    }

    public subscript(slot: ParameterSlot) -> Matrix {
        get {
            switch slot.kind {
            case .weights: weights[slot.layer]
            case .bias: biases[slot.layer]
            case .scale: scales[slot.layer]
            case .shift: shifts[slot.layer]
            }
        }
        set {
            switch slot.kind {
            case .weights: weights[slot.layer] = newValue
            case .bias: biases[slot.layer] = newValue
            case .scale: scales[slot.layer] = newValue
            case .shift: shifts[slot.layer] = newValue
            }
        }
    }

    /// Lends one matrix for writing in place. (A `_modify` accessor would do, but its
    /// coroutine frame cost a malloc per call: 12 an Adam step.)
    public mutating func modify<R>(_ slot: ParameterSlot, _ body: (inout Matrix) -> R) -> R {
        switch slot.kind {
        case .weights: body(&weights[slot.layer])
        case .bias: body(&biases[slot.layer])
        case .scale: body(&scales[slot.layer])
        case .shift: body(&shifts[slot.layer])
        }
    }

    /// ‖g‖ over all parameters (biases of `nobias` layers are always zero and add nothing).
    public var globalNorm: Double { Matrix.norm(of: weights + biases + scales + shifts) }

    /// Σ g² over the batch-norm parameters (0 without batch norm).
    public var batchNormSquares: Double {
        var sum = 0.0  // no `scales + shifts`: that array would be an allocation every step
        for l in scales.indices where scales[l].count > 0 { sum += scales[l].squaredNorm + shifts[l].squaredNorm }
        return sum
    }

    public mutating func scale(by factor: Double) {
        for l in weights.indices {
            weights[l].scale(by: factor)
            biases[l].scale(by: factor)
            scales[l].scale(by: factor)
            shifts[l].scale(by: factor)
        }
    }
}

extension Network {
    /// Every parameter the optimizer updates, with its gradient and its slot, in a fixed
    /// order: per layer W, then b (unless `nobias`), then scale and shift (batch norm).
    public mutating func forEachParameter(_ gradients: Gradients, _ body: (inout Matrix, Matrix, ParameterSlot) -> Void) {
        for l in layers.indices {
            body(&layers[l].weights, gradients.weights[l], ParameterSlot(layer: l, kind: .weights))
            if layers[l].hasBias { body(&layers[l].bias, gradients.biases[l], ParameterSlot(layer: l, kind: .bias)) }
            if layers[l].batchNorm != nil {
                body(&layers[l].batchNorm!.scale, gradients.scales[l], ParameterSlot(layer: l, kind: .scale))
                body(&layers[l].batchNorm!.shift, gradients.shifts[l], ParameterSlot(layer: l, kind: .shift))
            }
        }
    }
}
