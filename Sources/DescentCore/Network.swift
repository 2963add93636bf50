// Network: a feed-forward stack of dense layers, with its forward pass and backpropagation.

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
        for l in stride(from: layers.count - 1, through: 1, by: -1) {
            upstreamProduct(from: l, deltas[l], into: &deltas[l - 1])
            upstream[l - 1] = deltas[l - 1]
            applyDerivative(below: l, trace: trace, to: &deltas[l - 1])
        }
        return (deltas, upstream)
    }

    /// One step of the backprop recurrence, δₗ₋₁ = (δₗ Wₗᵀ) ⊙ f′ₗ₋₁(Zₗ₋₁), for layer index
    /// l > 0: from δₗ (`delta`) into `out`, whose buffer is reused. In two halves, so that
    /// `deltaChain` can keep the product δₗ Wₗᵀ before f′ is applied; `backward` runs both.
    @inline(__always)
    public func propagateDelta(from l: Int, _ delta: Matrix, trace: ForwardTrace, into out: inout Matrix) {
        upstreamProduct(from: l, delta, into: &out)
        applyDerivative(below: l, trace: trace, to: &out)
    }

    /// The first half: δₗ Wₗᵀ.
    @inline(__always)
    public func upstreamProduct(from l: Int, _ delta: Matrix, into out: inout Matrix) {
        Matrix.multiply(delta, layers[l].weights, into: &out, transposeB: true)
    }

    /// The second half: ⊙ f′ₗ₋₁(Zₗ₋₁), in place.
    @inline(__always)
    public func applyDerivative(below l: Int, trace: ForwardTrace, to out: inout Matrix) {
        layers[l - 1].activation.backpropagate(&out, z: trace.preActivations[l - 1], a: trace.activations[l - 1])
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
                propagateDelta(from: l, delta, trace: trace, into: &scratch)
                swap(&delta, &scratch)
            }
        }
    }
}
