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
            layers.append(Layer(inputs: width, outputs: spec.width, activation: spec.activation, hasBias: spec.hasBias,
                                batchNorm: spec.batchNorm, isResidual: spec.residual))
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

    /// Runs `x` through every layer, keeping what each computed in `trace` (buffers are
    /// reused). `training` decides batch norm's statistics: the batch's in a training step,
    /// the running ones otherwise (PyTorch's train and eval modes).
    public func forward(_ x: Matrix, trace: inout ForwardTrace, training: Bool = false) {
        trace.input = x
        trace.training = training
        trace.prepare(layers: layers.count)
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
            if let batchNorm = layers[l].batchNorm {
                batchNorm.forward(&trace.preActivations[l], training: training, normalized: &trace.normalized[l],
                                  inverseStd: &trace.inverseStd[l], mean: &trace.means[l], variance: &trace.variances[l])
            }
            if layers[l].isResidual {
                layers[l].activation.apply(trace.preActivations[l], into: &trace.unitOutputs[l])
                trace.activations[l].ensureShape(rows: input.rows, cols: layers[l].outputs)
                trace.activations[l].fill(0)
                trace.activations[l].add(input)
                trace.activations[l].add(trace.unitOutputs[l])
            } else {
                layers[l].activation.apply(trace.preActivations[l], into: &trace.activations[l])
            }
        }
    }

    /// After a training step is applied: batch norm's running statistics take in the batch's.
    public mutating func updateRunningStatistics(from trace: ForwardTrace) {
        guard trace.training else { return }
        for l in layers.indices where layers[l].batchNorm != nil {
            layers[l].batchNorm!.updateRunningStatistics(mean: trace.means[l], variance: trace.variances[l], rows: trace.input.rows)
        }
    }

    /// The network's output for `x`.
    public func predict(_ x: Matrix) -> Matrix {
        var trace = ForwardTrace()
        forward(x, trace: &trace)
        return trace.output
    }

    /// The chain of backprop for one forward pass, kept whole for `explain`: for each layer l
    /// (index 0 is layer 1), δₗ = ∂loss/∂Zₗ (Zₗ the activation's input), and for all but the
    /// last layer the upstream ∂loss/∂Aₗ before the activation's derivative is applied. The
    /// last layer's δ is `outputDelta` (from the loss).
    public func deltaChain(trace: ForwardTrace, outputDelta: Matrix) -> (deltas: [Matrix], upstream: [Matrix?]) {
        var deltas = Array(repeating: Matrix(rows: 0, cols: 0), count: layers.count)
        var upstream: [Matrix?] = Array(repeating: nil, count: layers.count)
        var gradients = Gradients(zerosLike: self)
        var delta = outputDelta, carry = Matrix(rows: 0, cols: 0)
        deltas[layers.count - 1] = outputDelta
        if let batchNorm = layers[layers.count - 1].batchNorm {
            let last = layers.count - 1
            batchNorm.backward(&delta, normalized: trace.normalized[last], inverseStd: trace.inverseStd[last],
                               dScale: &gradients.scales[last], dShift: &gradients.shifts[last])
        }
        for l in layers.indices.reversed() where l > 0 {
            var below = Matrix(rows: 0, cols: 0)
            propagate(from: l, &delta, trace: trace, gradients: &gradients, into: &below, carry: &carry) { upstream[l - 1] = $0 }
            deltas[l - 1] = below
            delta = below
        }
        return (deltas, upstream)
    }

    /// One layer of backprop, for layer index l: `delta` = ∂loss/∂Zₗ on entry (through batch
    /// norm it becomes ∂loss/∂(A·W + b), with dscale and dshift written); then
    /// ∂loss/∂Aₗ₋₁ = δ Wₗᵀ (+ ∂loss/∂Aₗ through a residual layer's identity path, kept in
    /// `carry`), and δₗ₋₁ = ∂loss/∂Aₗ₋₁ ⊙ f′ₗ₋₁ into `out`. `sawUpstream` sees ∂loss/∂Aₗ₋₁.
    @inline(__always)
    func propagate(from l: Int, _ delta: inout Matrix, trace: ForwardTrace, gradients: inout Gradients,
                   into out: inout Matrix, carry: inout Matrix, sawUpstream: (Matrix) -> Void = { _ in }) {
        Matrix.multiply(delta, layers[l].weights, into: &out, transposeB: true)
        if layers[l].isResidual { out.add(carry) }
        if layers[l - 1].isResidual {
            carry.ensureShape(rows: out.rows, cols: out.cols)
            carry.fill(0)
            carry.add(out)
        }
        sawUpstream(out)
        layers[l - 1].activation.backpropagate(&out, z: trace.preActivations[l - 1], a: trace.unitOutput(l - 1))
        if let batchNorm = layers[l - 1].batchNorm {
            batchNorm.backward(&out, normalized: trace.normalized[l - 1], inverseStd: trace.inverseStd[l - 1],
                               dScale: &gradients.scales[l - 1], dShift: &gradients.shifts[l - 1])
        }
    }

    /// Backpropagation: given ∂loss/∂Z of the last layer's activation input (`delta`,
    /// consumed), fills dWₗ = Aₗ₋₁ᵀ δₗ and dbₗ = Σ_rows δₗ (δ through batch norm, whose
    /// dscale and dshift it fills too), layer by layer down; see `propagate`.
    public func backward(trace: ForwardTrace, delta: inout Matrix, gradients: inout Gradients, scratch: inout Matrix,
                         carry: inout Matrix) {
        if let batchNorm = layers[layers.count - 1].batchNorm {
            let last = layers.count - 1
            batchNorm.backward(&delta, normalized: trace.normalized[last], inverseStd: trace.inverseStd[last],
                               dScale: &gradients.scales[last], dShift: &gradients.shifts[last])
        }
        for l in layers.indices.reversed() {
            gradients.deltaNorms[l] = delta.norm
            Matrix.multiply(trace.layerInput(l), delta, into: &gradients.weights[l], transposeA: true)
            if layers[l].hasBias {
                delta.columnSums(into: &gradients.biases[l])
            } else {
                gradients.biases[l].ensureShape(rows: 1, cols: layers[l].outputs)
                gradients.biases[l].fill(0)
            }
            if l > 0 {
                propagate(from: l, &delta, trace: trace, gradients: &gradients, into: &scratch, carry: &carry)
                swap(&delta, &scratch)
            }
        }
    }
}
