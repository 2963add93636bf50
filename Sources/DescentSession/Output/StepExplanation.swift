import DescentCore

/// What `explain` found out about the last step, as numbers: how the gradient of one
/// parameter was formed, how the chain rule carried it down from the loss, and how the
/// update used it. DescentRendering writes it out as formulas with these numbers put in.
public struct StepExplanation: Equatable, Sendable {
    /// The step explained (1 for the first).
    public var step: Int
    /// Layer of the parameter, from 1.
    public var layer: Int
    /// A weight matrix (W, dW) rather than a bias (b, db).
    public var isWeight: Bool
    /// `explain dW1` (how the gradient was made) rather than `explain W1` (how it changed).
    public var asksForGradient: Bool
    public var batchRows: Int
    public var loss: LossKind
    public var gradient: GradientForm
    /// The chain rule from the output layer down to this layer; empty for the article's form.
    public var chain: ChainRule?
    /// λ and m of the L2 term, when it is on and this is a weight.
    public var l2: L2Term?
    public var update: UpdateForm
    /// When clipping applied: the threshold and the global norm it cut down.
    public var clipping: Clipping?

    /// How the gradient was formed.
    public enum GradientForm: Equatable, Sendable {
        /// The article's `2/m · Σ x·(ŷ − y)` for a one-weight linear net (inputs nil for the bias).
        case article(inputs: [Double]?, predictions: [Double], targets: [Double], value: Double)
        /// dW = Aᵀ·δ: the per-row terms when there are few, else the norms.
        case weightProduct(inputShape: String, deltaShape: String, terms: [Term]?,
                           value: Double, inputNorm: Double, deltaNorm: Double, gradientNorm: Double)
        /// db = Σ_rows δ.
        case biasSum(gradientNorm: Double)

    }

    /// ‖δ‖ layer by layer from the output down, with the factor each layer multiplied it by.
    public struct ChainRule: Equatable, Sendable {
        public struct Link: Equatable, Sendable {
            public var layer: Int
            public var activation: Activation
            public var deltaNorm: Double
            /// What the product with the weights above did to ‖δ‖, and what f′ did.
            public var weightFactor: Double
            public var derivativeFactor: Double
            public var factor: Double
            /// A residual layer above passed ∂loss/∂A down beside the weights (in `weightFactor`).
            public var skip: Bool = false
            /// This layer's batch norm (its factor is in `derivativeFactor`).
            public var batchNorm: Bool = false
        }
        /// The output layer (the chain's start) and its ‖δ‖.
        public var outputLayer: Int
        public var outputDeltaNorm: Double
        /// Layers below the output, the nearest first, down to the parameter's layer.
        public var links: [Link]
    }

    /// How the update used the gradient.
    public enum UpdateForm: Equatable, Sendable {
        /// `v ← μ·v + g`, `W ← W − lr·v`, with the numbers when the parameter is one number.
        case momentum(mu: Double, lr: Double, scalar: ScalarMomentum?, velocityNorm: Double)
        /// `W ← W − lr·g` for one number.
        case scalar(lr: Double, before: Double, gradient: Double, after: Double)
        /// `W ← W − lr·g` for a matrix: how far it moved against its size.
        case matrix(lr: Double, moved: Double, norm: Double)
        /// Adam or RMSprop: the step is lr times the gradient scaled by its running averages.
        case adaptive(rule: String, lr: Double, moved: Double, norm: Double)

    }

    /// One row's contribution x·δ to a one-entry dW.
    public struct Term: Equatable, Sendable { public var input, delta: Double }
    /// The L2 term's λ and m (the number of weights).
    public struct L2Term: Equatable, Sendable { public var lambda: Double; public var weights: Int }
    public struct Clipping: Equatable, Sendable { public var threshold, norm: Double }
    /// Momentum's numbers for a one-entry parameter.
    public struct ScalarMomentum: Equatable, Sendable { public var gradient, velocity, before, after: Double }
}
