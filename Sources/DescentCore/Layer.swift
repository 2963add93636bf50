// Layer (one dense layer's parameters and activation), LayerSpec and Architecture (the shape
// of a network as specified).

/// One dense layer: `A = f(A_prev · W + b)`, with W of shape in×out and b of shape 1×out
/// (the article's `np.dot(X, theta)` orientation).
public struct Layer: Equatable, Sendable {
    public var weights: Matrix
    /// 1×out; all zeros and never updated when `hasBias` is false.
    public var bias: Matrix
    public var activation: Activation
    public var hasBias: Bool

    public init(inputs: Int, outputs: Int, activation: Activation, hasBias: Bool = true) {
        weights = Matrix(rows: inputs, cols: outputs)
        bias = Matrix(rows: 1, cols: outputs)
        self.activation = activation
        self.hasBias = hasBias
    }

    public var inputs: Int { weights.rows }
    public var outputs: Int { weights.cols }
    public var parameterCount: Int { weights.count + (hasBias ? bias.count : 0) }
}

/// How a layer is written in `net`: width, activation, bias, repetition.
public struct LayerSpec: Equatable, Sendable {
    public var width: Int
    public var activation: Activation
    public var hasBias: Bool
    public var count: Int

    public init(width: Int, activation: Activation = .linear, hasBias: Bool = true, count: Int = 1) {
        self.width = width
        self.activation = activation
        self.hasBias = hasBias
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
        layers.flatMap { spec in Array(repeating: LayerSpec(width: spec.width, activation: spec.activation, hasBias: spec.hasBias), count: spec.count) }
    }

    public var outputs: Int { layers.last?.width ?? inputs }
}
