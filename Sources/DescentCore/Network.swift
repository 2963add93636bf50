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

/// A feed-forward network of dense layers.
public struct Network: Equatable, Sendable {
    public var layers: [Layer]
    public var architecture: Architecture

    /// A network with all-zero parameters; initialise it with `initialize(with:random:)`.
    public init(_ architecture: Architecture) {
        self.architecture = architecture
        var layers: [Layer] = []
        var width = architecture.inputs
        for spec in architecture.expandedLayers {
            layers.append(Layer(inputs: width, outputs: spec.width, activation: spec.activation, hasBias: spec.hasBias))
            width = spec.width
        }
        self.layers = layers
    }

    public var inputs: Int { architecture.inputs }
    public var outputs: Int { layers.last?.outputs ?? architecture.inputs }
    public var depth: Int { layers.count }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    /// The number of weight entries, biases excluded: the m of the article's L2 term.
    public var weightCount: Int { layers.reduce(0) { $0 + $1.weights.count } }

    /// Draws every weight matrix from `initializer`, layer by layer; biases become 0.
    public mutating func initialize(with initializer: Initializer, random: inout RandomSource) {
        for l in layers.indices {
            layers[l].weights = initializer.weights(inputs: layers[l].inputs, outputs: layers[l].outputs, random: &random)
            layers[l].bias.fill(0)
        }
    }

    /// Runs `x` through every layer, keeping each Zₗ and Aₗ in `trace` (buffers are reused).
    public func forward(_ x: Matrix, trace: inout ForwardTrace) {
        trace.input = x
        if trace.preActivations.count != layers.count {
            trace.preActivations = Array(repeating: Matrix(rows: 0, cols: 0), count: layers.count)
            trace.activations = Array(repeating: Matrix(rows: 0, cols: 0), count: layers.count)
        }
        for l in layers.indices {
            let input = l == 0 ? trace.input : trace.activations[l - 1]
            if layers[l].hasBias {
                // Z = b (every row) + A·W, the bias added by the product itself (beta = 1).
                trace.preActivations[l].ensureShape(rows: input.rows, cols: layers[l].outputs)
                trace.preActivations[l].fillRows(with: layers[l].bias)
                Matrix.multiply(input, layers[l].weights, into: &trace.preActivations[l], accumulate: true)
            } else {
                Matrix.multiply(input, layers[l].weights, into: &trace.preActivations[l])
            }
            layers[l].activation.apply(trace.preActivations[l], into: &trace.activations[l])
        }
    }

    /// The network's output for `x`.
    public func predict(_ x: Matrix) -> Matrix {
        var trace = ForwardTrace()
        forward(x, trace: &trace)
        return trace.output
    }

    /// The chain of backprop for one forward pass, kept whole for `explain`: for each layer l
    /// (index 0 is layer 1), δₗ = ∂loss/∂Zₗ, and for all but the last layer the upstream
    /// product δₗ₊₁ Wₗ₊₁ᵀ before the activation's derivative is applied. The last layer's δ
    /// is `outputDelta` (from the loss).
    public func deltaChain(trace: ForwardTrace, outputDelta: Matrix) -> (deltas: [Matrix], upstream: [Matrix?]) {
        var deltas = Array(repeating: Matrix(rows: 0, cols: 0), count: layers.count)
        var upstream: [Matrix?] = Array(repeating: nil, count: layers.count)
        deltas[layers.count - 1] = outputDelta
        for l in stride(from: layers.count - 2, through: 0, by: -1) {
            let back = Matrix.product(deltas[l + 1], layers[l + 1].weights, transposeB: true)
            upstream[l] = back
            var delta = back
            layers[l].activation.backpropagate(&delta, z: trace.preActivations[l], a: trace.activations[l])
            deltas[l] = delta
        }
        return (deltas, upstream)
    }

    /// Backpropagation: given ∂loss/∂Z of the last layer (`delta`, consumed), fills
    /// dWₗ = Aₗ₋₁ᵀ δₗ and dbₗ = Σ_rows δₗ, with δₗ₋₁ = (δₗ Wₗᵀ) ⊙ f′ₗ₋₁(Zₗ₋₁).
    public func backward(trace: ForwardTrace, delta: inout Matrix, gradients: inout Gradients, scratch: inout Matrix) {
        for l in layers.indices.reversed() {
            Matrix.multiply(trace.layerInput(l), delta, into: &gradients.weights[l], transposeA: true)
            if layers[l].hasBias {
                delta.columnSums(into: &gradients.biases[l])
            } else {
                gradients.biases[l].ensureShape(rows: 1, cols: layers[l].outputs)
                gradients.biases[l].fill(0)
            }
            if l > 0 {
                Matrix.multiply(delta, layers[l].weights, into: &scratch, transposeB: true)
                layers[l - 1].activation.backpropagate(&scratch, z: trace.preActivations[l - 1], a: trace.activations[l - 1])
                swap(&delta, &scratch)
            }
        }
    }
}
