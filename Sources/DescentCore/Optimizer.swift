// The optimizer: the update rule a step applies once the gradients are known (OptimizerKind:
// gradient descent with or without momentum, Adam, RMSprop, each as torch.optim computes it),
// and the per-parameter buffers it carries from step to step (OptimizerState).
import CKernels
import Foundation

/// Which update rule a step applies. g is the gradient after the L2 term and clipping.
public enum OptimizerKind: Equatable, Sendable {
    /// Gradient descent: θ ← θ − lr g, or with momentum μ ≠ 0 PyTorch SGD's convention
    /// v ← μ v + g, θ ← θ − lr v.
    case gd(momentum: Double)
    /// Adam (torch.optim.Adam, no amsgrad), k = updates so far (1 on the first):
    /// m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², θ ← θ − (lr/(1−β1^k)) m / (√v/√(1−β2^k) + ε).
    case adam(beta1: Double, beta2: Double, eps: Double)
    /// RMSprop (torch.optim.RMSprop, not centred): v ← α v + (1−α) g²; without momentum
    /// θ ← θ − lr g/(√v + ε); with momentum μ: buf ← μ buf + g/(√v + ε), θ ← θ − lr buf.
    case rmsprop(alpha: Double, eps: Double, momentum: Double)

    public static let defaultAdam = OptimizerKind.adam(beta1: 0.9, beta2: 0.999, eps: 1e-8)
    public static let defaultRMSprop = OptimizerKind.rmsprop(alpha: 0.99, eps: 1e-8, momentum: 0)
}

/// What an optimizer keeps between steps, one buffer per parameter. Each stays nil until the
/// rule first needs it, so that plain gradient descent carries no parameter-sized buffer.
public struct OptimizerState: Equatable, Sendable {
    /// gd's momentum v (PyTorch's momentum_buffer); nil before the first step with momentum.
    public var velocity: Gradients?
    /// Adam's first moment m (exp_avg).
    public var firstMoment: Gradients?
    /// Adam's second moment v (exp_avg_sq), RMSprop's square average v (square_avg).
    public var secondMoment: Gradients?
    /// RMSprop's momentum buffer.
    public var momentumBuffer: Gradients?
    /// Updates since this state started (Adam's k).
    public var updates = 0

    public init(velocity: Gradients? = nil) {
        self.velocity = velocity
    }

    /// The buffers by number, in a fixed order (for `show optimizer`): velocity, first
    /// moment, second moment, momentum buffer.
    public subscript(buffer role: Int) -> Gradients? {
        switch role {
        case 0: velocity
        case 1: firstMoment
        case 2: secondMoment
        default: momentumBuffer
        }
    }
}

extension OptimizerKind {
    /// Updates `network` from `gradients` (the raw gradients; `scale` is 1, or the clipping
    /// factor) at learning rate `lr`, advancing `state`. The new buffers are written into
    /// `spare`'s (a state no longer needed, e.g. the oldest snapshot `back` drops), not over
    /// the old ones: the old state can stay with a snapshot without being copied. With
    /// `inPlace` (a step no snapshot keeps) they overwrite the old ones instead: same values,
    /// half the memory traffic.
    public func update(
        _ network: inout Network, gradients: Gradients, scale: Double, learningRate lr: Double,
        state: inout OptimizerState, spare: consuming OptimizerState? = nil, inPlace: Bool = false
    ) {
        var spare = consume spare
        state.updates += 1
        switch self {
        case .gd(let momentum):
            if momentum != 0, inPlace, var velocity = state.velocity {
                state.velocity = nil  // `velocity` is now its buffers' only owner: written in place
                network.forEachParameter(gradients) { p, g, slot in
                    velocity.modify(slot) { Self.momentumStep(&p, g, nil, &$0, inPlace: true, momentum: momentum, scale: scale, lr: lr) }
                }
                state.velocity = velocity
            } else if momentum != 0 {
                let old = state.velocity  // nil: zero, before the first step with momentum
                var new = Self.fresh(&spare, \.velocity, like: network)
                state.velocity = nil
                network.forEachParameter(gradients) { p, g, slot in
                    new.modify(slot) { Self.momentumStep(&p, g, old?[slot], &$0, inPlace: false, momentum: momentum, scale: scale, lr: lr) }
                }
                state.velocity = new
            } else {
                Self.plainUpdate(&network, gradients: gradients, scale: scale, learningRate: lr)
            }
        case .adam(let beta1, let beta2, let eps):
            let k = Double(state.updates)
            let rule = AdamRule(beta1: beta1, beta2: beta2, eps: eps, scale: scale,
                                stepSize: lr / (1 - Foundation.pow(beta1, k)),
                                correction2Root: (1 - Foundation.pow(beta2, k)).squareRoot())
            if inPlace, var m = state.firstMoment, var v = state.secondMoment {
                (state.firstMoment, state.secondMoment) = (nil, nil)  // m and v own their buffers now
                network.forEachParameter(gradients) { p, g, slot in
                    m.modify(slot) { m in v.modify(slot) { v in rule.applyInPlace(&p, g, &m, &v) } }
                }
                (state.firstMoment, state.secondMoment) = (m, v)
                return
            }
            // nil before the first update: zeros, which the kernel reads without a zero buffer.
            let m0 = state.firstMoment, v0 = state.secondMoment
            var m = Self.fresh(&spare, \.firstMoment, like: network), v = Self.fresh(&spare, \.secondMoment, like: network)
            (state.firstMoment, state.secondMoment) = (nil, nil)
            network.forEachParameter(gradients) { p, g, slot in
                m.modify(slot) { m in v.modify(slot) { v in rule.apply(&p, g, m0?[slot], &m, v0?[slot], &v) } }
            }
            (state.firstMoment, state.secondMoment) = (m, v)
        case .rmsprop(let alpha, let eps, let momentum):
            let rule = RMSpropRule(alpha: alpha, eps: eps, momentum: momentum, scale: scale, lr: lr)
            if inPlace, var v = state.secondMoment, momentum == 0 || state.momentumBuffer != nil {
                var buf = state.momentumBuffer
                (state.secondMoment, state.momentumBuffer) = (nil, nil)  // v and buf own their buffers now
                network.forEachParameter(gradients) { p, g, slot in
                    v.modify(slot) { v in
                        guard buf != nil else { return rule.applyInPlace(&p, g, &v, nil) }
                        buf!.modify(slot) { b in
                            b.storage.withUnsafeMutableBufferPointer { b in rule.applyInPlace(&p, g, &v, b.baseAddress) }
                        }
                    }
                }
                (state.secondMoment, state.momentumBuffer) = (v, buf)
                return
            }
            let v0 = state.secondMoment, buf0 = state.momentumBuffer  // nil: zeros (see AdamRule)
            var v = Self.fresh(&spare, \.secondMoment, like: network)
            var buf = momentum != 0 ? Self.fresh(&spare, \.momentumBuffer, like: network) : nil
            (state.secondMoment, state.momentumBuffer) = (nil, nil)
            network.forEachParameter(gradients) { p, g, slot in
                v.modify(slot) { v in
                    guard buf != nil else { return rule.apply(&p, g, v0?[slot], &v, nil, nil) }
                    buf!.modify(slot) { b in
                        b.storage.withUnsafeMutableBufferPointer { b in rule.apply(&p, g, v0?[slot], &v, buf0?[slot], b.baseAddress) }
                    }
                }
            }
            (state.secondMoment, state.momentumBuffer) = (v, buf)
        }
    }

    /// A buffer to write the new values into: taken out of the spare when it has one (so that
    /// it is unshared and written in place; its old contents are overwritten entry by entry),
    /// else a new one.
    static func fresh(_ spare: inout OptimizerState?, _ buffer: WritableKeyPath<OptimizerState, Gradients?>,
                      like network: Network) -> Gradients {
        guard let taken = spare?[keyPath: buffer] else { return Gradients(zerosLike: network) }
        spare![keyPath: buffer] = nil
        return taken
    }

    /// θ ← θ − (lr·scale) g, weights then bias (if the layer has one), layer by layer.
    static func plainUpdate(_ network: inout Network, gradients grads: Gradients, scale: Double, learningRate lr: Double) {
        for l in network.layers.indices {
            network.layers[l].weights.add(grads.weights[l], scaledBy: -lr * scale)
            if network.layers[l].hasBias {
                network.layers[l].bias.add(grads.biases[l], scaledBy: -lr * scale)
            }
            if network.layers[l].batchNorm != nil {
                network.layers[l].batchNorm!.scale.add(grads.scales[l], scaledBy: -lr * scale)
                network.layers[l].batchNorm!.shift.add(grads.shifts[l], scaledBy: -lr * scale)
            }
        }
    }

    /// v = μ·v0 + scale·g, then θ ← θ − lr·v (PyTorch's SGD with momentum), entry by entry
    /// with the same operations as the in-place `scale(by:)` and `add(_:scaledBy:)`. v0 nil
    /// is zero (the first step with momentum), unless `inPlace`: then v0 is v's own entries.
    static func momentumStep(_ p: inout Matrix, _ g: Matrix, _ v0: Matrix?, _ v: inout Matrix, inPlace: Bool,
                             momentum: Double, scale: Double, lr: Double) {
        p.storage.withUnsafeMutableBufferPointer { p in
            v.storage.withUnsafeMutableBufferPointer { v in
                withEntries(of: v0) { v0 in
                    g.storage.withUnsafeBufferPointer { g in
                        for i in p.indices {
                            var vi = (inPlace ? v[i] : v0?[i] ?? 0) * momentum
                            vi += scale * g[i]
                            v[i] = vi
                            p[i] += -lr * vi
                        }
                    }
                }
            }
        }
    }
}

/// One Adam update of a parameter matrix, in torch.optim.Adam's order of operations:
/// m.lerp_(g, 1−β1); v.mul_(β2).addcmul_(g, g, 1−β2); denom = √v/√(1−β2^k) + ε;
/// θ.addcdiv_(m, denom, −lr/(1−β1^k)). The loop is a C kernel (CKernels/optimizers.c), which
/// the compiler vectorises.
struct AdamRule {
    var beta1, beta2, eps, scale, stepSize, correction2Root: Double

    /// `m0`, `v0` nil are zeros (the first update).
    func apply(_ p: inout Matrix, _ g: Matrix, _ m0: Matrix?, _ m: inout Matrix, _ v0: Matrix?, _ v: inout Matrix) {
        let count = p.count
        p.storage.withUnsafeMutableBufferPointer { p in
            m.storage.withUnsafeMutableBufferPointer { m in
                v.storage.withUnsafeMutableBufferPointer { v in
                    withEntries(of: m0) { m0 in
                        withEntries(of: v0) { v0 in
                            g.storage.withUnsafeBufferPointer { g in
                                descent_adam_update(count, p.baseAddress, m0?.baseAddress, m.baseAddress, v0?.baseAddress, v.baseAddress,
                                                    g.baseAddress, scale, beta1, beta2, eps, stepSize, correction2Root)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension AdamRule {
    /// `apply` with the old moments read from `m` and `v` and overwritten (same bits).
    func applyInPlace(_ p: inout Matrix, _ g: Matrix, _ m: inout Matrix, _ v: inout Matrix) {
        let count = p.count
        p.storage.withUnsafeMutableBufferPointer { p in
            m.storage.withUnsafeMutableBufferPointer { m in
                v.storage.withUnsafeMutableBufferPointer { v in
                    g.storage.withUnsafeBufferPointer { g in
                        descent_adam_update_in_place(count, p.baseAddress, m.baseAddress, v.baseAddress, g.baseAddress,
                                                     scale, beta1, beta2, eps, stepSize, correction2Root)
                    }
                }
            }
        }
    }
}

/// One RMSprop update of a parameter matrix, in torch.optim.RMSprop's order of operations
/// (CKernels/optimizers.c): v.mul_(α).addcmul_(g, g, 1−α); without momentum
/// θ.addcdiv_(g, √v + ε, −lr); with momentum buf.mul_(μ).addcdiv_(g, √v + ε), θ.add_(buf, −lr).
struct RMSpropRule {
    var alpha, eps, momentum, scale, lr: Double

    /// `buf0`, `buf` are the old and new momentum buffers, `buf` nil without momentum; `v0`
    /// and `buf0` nil are zeros (the first update).
    func apply(_ p: inout Matrix, _ g: Matrix, _ v0: Matrix?, _ v: inout Matrix, _ buf0: Matrix?,
               _ buf: UnsafeMutablePointer<Double>?) {
        let count = p.count
        p.storage.withUnsafeMutableBufferPointer { p in
            v.storage.withUnsafeMutableBufferPointer { v in
                withEntries(of: v0) { v0 in
                    g.storage.withUnsafeBufferPointer { g in
                        withEntries(of: buf0) { b0 in
                            descent_rmsprop_update(count, p.baseAddress, v0?.baseAddress, v.baseAddress, b0?.baseAddress,
                                                   buf, g.baseAddress, scale, alpha, eps, momentum, lr)
                        }
                    }
                }
            }
        }
    }
}

extension RMSpropRule {
    /// `apply` with the old square average and momentum buffer read from `v` and `buf` and
    /// overwritten (same bits); `buf` nil without momentum.
    func applyInPlace(_ p: inout Matrix, _ g: Matrix, _ v: inout Matrix, _ buf: UnsafeMutablePointer<Double>?) {
        let count = p.count
        p.storage.withUnsafeMutableBufferPointer { p in
            v.storage.withUnsafeMutableBufferPointer { v in
                g.storage.withUnsafeBufferPointer { g in
                    descent_rmsprop_update_in_place(count, p.baseAddress, v.baseAddress, buf, g.baseAddress,
                                                    scale, alpha, eps, momentum, lr)
                }
            }
        }
    }
}

/// The entries of `m`, or nil for no matrix (an optimizer buffer that is still zero).
private func withEntries<R>(of m: Matrix?, _ body: (UnsafeBufferPointer<Double>?) -> R) -> R {
    guard let m else { return body(nil) }
    return m.storage.withUnsafeBufferPointer { body($0) }
}
