// Layer (one dense layer's parameters and activation), LayerSpec and Architecture (the shape
// of a network as specified).

/// One dense layer: `A = f(A_prev · W + b)`, with W of shape in×out and b of shape 1×out
/// (the article's `np.dot(X, theta)` orientation). With batch norm, Z = A_prev·W + b is
/// normalised per unit and scaled and shifted before f; a residual layer adds its input:
/// `A = A_prev + f(…)`.
public struct Layer: Equatable, Sendable {
    public var weights: Matrix
    /// 1×out; all zeros and never updated when `hasBias` is false.
    public var bias: Matrix
    public var activation: Activation
    public var hasBias: Bool
    public var batchNorm: BatchNorm?
    /// `res`: the layer's input is added to its output (input and output widths are equal).
    public var isResidual: Bool

    public init(inputs: Int, outputs: Int, activation: Activation, hasBias: Bool = true,
                batchNorm: Bool = false, isResidual: Bool = false) {
        weights = Matrix(rows: inputs, cols: outputs)
        bias = Matrix(rows: 1, cols: outputs)
        self.activation = activation
        self.hasBias = hasBias
        self.batchNorm = batchNorm ? BatchNorm(width: outputs) : nil
        self.isResidual = isResidual
    }

    public var inputs: Int { weights.rows }
    public var outputs: Int { weights.cols }
    public var parameterCount: Int {
        weights.count + (hasBias ? bias.count : 0) + (batchNorm == nil ? 0 : 2 * outputs)
    }
}

/// A layer's batch normalisation (torch.nn.BatchNorm1d, eps 1e-5, momentum 0.1): its
/// parameters scale (γ) and shift (β), and the running statistics eval mode uses.
public struct BatchNorm: Equatable, Sendable {
    public static let epsilon = 1e-5
    public static let momentum = 0.1
    /// γ, 1×out, starts at 1.
    public var scale: Matrix
    /// β, 1×out, starts at 0.
    public var shift: Matrix
    /// Running mean (starts at 0) and unbiased running variance (starts at 1), 1×out.
    public var runningMean: Matrix
    public var runningVariance: Matrix

    public init(width: Int) {
        scale = Matrix(rows: 1, cols: width, repeating: 1)
        shift = Matrix(rows: 1, cols: width)
        runningMean = Matrix(rows: 1, cols: width)
        runningVariance = Matrix(rows: 1, cols: width, repeating: 1)
    }
}

/// How a layer is written in `net`: width, activation, bias, batch norm, residual, repetition.
public struct LayerSpec: Equatable, Sendable {
    public var width: Int
    public var activation: Activation
    public var hasBias: Bool
    public var batchNorm: Bool
    public var residual: Bool
    public var count: Int

    public init(width: Int, activation: Activation = .linear, hasBias: Bool = true, batchNorm: Bool = false,
                residual: Bool = false, count: Int = 1) {
        self.width = width
        self.activation = activation
        self.hasBias = hasBias
        self.batchNorm = batchNorm
        self.residual = residual
        self.count = count
    }
}

/// The architecture of a network: input width and the layer specs, as typed.
public struct Architecture: Equatable, Sendable {
    public var inputs: Int
    public var layers: [LayerSpec]

    public init(inputs: Int, layers: [LayerSpec]) {
        self.inputs = inputs
        self.layers = layers
    }

    /// The layers with `* COUNT` expanded.
    public var expandedLayers: [LayerSpec] {
        layers.flatMap { spec in
            var one = spec
            one.count = 1
            return Array(repeating: one, count: spec.count)
        }
    }

    public var outputs: Int { layers.last?.width ?? inputs }
}
