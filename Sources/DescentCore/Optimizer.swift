// The optimizer: the update rule a step applies once the gradients are known (OptimizerKind),
// and the per-parameter buffers it carries from step to step (OptimizerState). Gradient
// descent, plain or with momentum, today; Adam and RMSprop would be further cases of
// OptimizerKind, their moment buffers further (nil until first used) fields of OptimizerState.

/// Which update rule a step applies.
public enum OptimizerKind: Equatable, Sendable {
    /// Gradient descent: θ ← θ − lr g, or with momentum μ ≠ 0 PyTorch SGD's convention
    /// v ← μ v + g, θ ← θ − lr v.
    case gd(momentum: Double)
}

/// What an optimizer keeps between steps, one buffer per parameter. Each stays nil until the
/// rule first needs it, so that plain gradient descent carries no parameter-sized buffer.
public struct OptimizerState: Equatable, Sendable {
    /// Momentum's v per parameter; nil while it is zero (before the first step with momentum).
    public var velocity: Gradients?

    public init(velocity: Gradients? = nil) {
        self.velocity = velocity
    }
}

extension OptimizerKind {
    /// Updates `network` from `gradients` (the raw gradients; `scale` is 1, or the clipping
    /// factor) at learning rate `lr`, advancing `state`.
    public func update(
        _ network: inout Network, gradients: Gradients, scale: Double, learningRate lr: Double,
        state: inout OptimizerState
    ) {
        switch self {
        case .gd(let momentum):
            if momentum != 0 {
                Self.momentumUpdate(&network, gradients: gradients, momentum: momentum, scale: scale,
                                    learningRate: lr, velocity: &state.velocity)
            } else {
                Self.plainUpdate(&network, gradients: gradients, scale: scale, learningRate: lr)
            }
        }
    }

    /// θ ← θ − (lr·scale) g, weights then bias (if the layer has one), layer by layer.
    static func plainUpdate(_ network: inout Network, gradients grads: Gradients, scale: Double, learningRate lr: Double) {
        for l in network.layers.indices {
            network.layers[l].weights.add(grads.weights[l], scaledBy: -lr * scale)
            if network.layers[l].hasBias {
                network.layers[l].bias.add(grads.biases[l], scaledBy: -lr * scale)
            }
        }
    }

    /// v ← μ v + scale·g, then θ ← θ − lr v, weights then bias, layer by layer; v starts at 0.
    static func momentumUpdate(
        _ network: inout Network, gradients grads: Gradients, momentum: Double, scale: Double,
        learningRate lr: Double, velocity: inout Gradients?
    ) {
        var v = velocity ?? Gradients(zerosLike: network)
        velocity = nil  // unshared, so the updates below write in place
        for l in network.layers.indices {
            v.weights[l].scale(by: momentum)
            v.weights[l].add(grads.weights[l], scaledBy: scale)
            network.layers[l].weights.add(v.weights[l], scaledBy: -lr)
            if network.layers[l].hasBias {
                v.biases[l].scale(by: momentum)
                v.biases[l].add(grads.biases[l], scaledBy: scale)
                network.layers[l].bias.add(v.biases[l], scaledBy: -lr)
            }
        }
        velocity = v
    }
}
