// Activation: each layer's elementwise nonlinearity. Each one's f and f′ are written once,
// side by side (Activation.Sigmoid, .Tanh, .ReLU, .LeakyReLU); the scalar, matrix and
// backprop forms below all call them (the matrix sigmoid through the vectorised C kernel,
// which tests check against the formula bit for bit).
import CKernels
import Foundation

/// A layer's elementwise nonlinearity f, with its derivative f′ written in terms of the
/// pre-activation z (and the activation a = f(z) where that is cheaper).
public enum Activation: Equatable, Sendable, Hashable {
    case linear
    case sigmoid
    case tanh
    case relu
    /// `max(slope·x, x)`; the article's leaky ReLU has slope 0.01.
    case leakyReLU(slope: Double)

    public static let defaultLeakySlope = 0.01

    /// Whether f′ jumps somewhere (at z = 0 for ReLU and leaky ReLU), where a finite difference
    /// straddling the kink disagrees with the one-sided derivative backprop uses.
    public var hasKink: Bool {
        switch self {
        case .relu, .leakyReLU: true
        case .linear, .sigmoid, .tanh: false
        }
    }

    // Each activation's f and f′, side by side: the one place each formula is written.

    /// σ(z) = 1 / (1 + e^−z) (e^x is `descent_exp`, as in the C kernel); σ′ = σ(1 − σ) ≤ 1/4,
    /// the root of vanishing gradients in deep sigmoid nets.
    enum Sigmoid {
        @inline(__always) static func f(_ z: Double) -> Double { 1 / (1 + descent_exp(-z)) }
        @inline(__always) static func fPrime(a: Double) -> Double { a * (1 - a) }
    }

    /// tanh z; tanh′ = 1 − tanh² ≤ 1.
    enum Tanh {
        @inline(__always) static func f(_ z: Double) -> Double { Foundation.tanh(z) }
        @inline(__always) static func fPrime(a: Double) -> Double { 1 - a * a }
    }

    /// max(z, 0), with ReLU(NaN) = NaN as in PyTorch (a NaN in the data must not turn into
    /// a quiet 0: `z <= 0` is false for NaN, one comparison as before); ReLU′ is 0 at z = 0,
    /// as in PyTorch.
    enum ReLU {
        @inline(__always) static func f(_ z: Double) -> Double { z <= 0 ? 0 : z }
        @inline(__always) static func fPrime(z: Double) -> Double { z > 0 ? 1 : 0 }
    }

    /// z for z > 0, else slope·z; its derivative is 1 or slope (slope at z = 0).
    enum LeakyReLU {
        @inline(__always) static func f(_ z: Double, slope: Double) -> Double { z > 0 ? z : slope * z }
        @inline(__always) static func fPrime(z: Double, slope: Double) -> Double { z > 0 ? 1 : slope }
    }

    /// f(z) for one number, e.g. `Activation.tanh.apply(x)`: what the matrix form computes for
    /// each entry, bit for bit. Every activation of NaN is NaN, as in PyTorch.
    public func apply(_ z: Double) -> Double {
        switch self {
        case .linear: z
        case .sigmoid: Sigmoid.f(z)
        case .tanh: Tanh.f(z)
        case .relu: ReLU.f(z)
        case .leakyReLU(let slope): LeakyReLU.f(z, slope: slope)
        }
    }

    /// f′(z), given z and a = f(z).
    public func derivative(z: Double, a: Double) -> Double {
        switch self {
        case .linear: 1
        case .sigmoid: Sigmoid.fPrime(a: a)
        case .tanh: Tanh.fPrime(a: a)
        case .relu: ReLU.fPrime(z: z)
        case .leakyReLU(let slope): LeakyReLU.fPrime(z: z, slope: slope)
        }
    }

    /// `a = f(z)` entry by entry, into `a` (resized if needed). One loop per activation, so
    /// the compiler sees a plain loop; the sigmoid's is the vectorised C kernel, which
    /// computes `Sigmoid.f` bit for bit.
    public func apply(_ z: Matrix, into a: inout Matrix) {
        a.ensureShape(rows: z.rows, cols: z.cols)
        if self == .linear {
            // A copy into A's own buffer, not a shared one: sharing would make the next step's
            // write of Z copy the whole buffer (copy-on-write), an allocation per step.
            z.storage.withUnsafeBufferPointer { zp in
                a.storage.withUnsafeMutableBufferPointer { ap in
                    for i in zp.indices { ap[i] = zp[i] }
                }
            }
            return
        }
        z.storage.withUnsafeBufferPointer { zp in
            a.storage.withUnsafeMutableBufferPointer { ap in
                switch self {
                case .linear: break
                case .sigmoid: descent_sigmoid(zp.baseAddress, ap.baseAddress, zp.count)
                case .tanh: for i in zp.indices { ap[i] = Tanh.f(zp[i]) }
                case .relu: for i in zp.indices { ap[i] = ReLU.f(zp[i]) }
                case .leakyReLU(let slope): for i in zp.indices { ap[i] = LeakyReLU.f(zp[i], slope: slope) }
                }
            }
        }
    }

    /// `dz = da ⊙ f′(z)`, in place on `grad`; one loop per activation.
    public func backpropagate(_ grad: inout Matrix, z: Matrix, a: Matrix) {
        if self == .linear { return }
        z.storage.withUnsafeBufferPointer { zp in
            a.storage.withUnsafeBufferPointer { ap in
                grad.storage.withUnsafeMutableBufferPointer { g in
                    switch self {
                    case .linear: break
                    case .sigmoid: for i in g.indices { g[i] *= Sigmoid.fPrime(a: ap[i]) }
                    case .tanh: for i in g.indices { g[i] *= Tanh.fPrime(a: ap[i]) }
                    case .relu: for i in g.indices { g[i] *= ReLU.fPrime(z: zp[i]) }
                    case .leakyReLU(let slope): for i in g.indices { g[i] *= LeakyReLU.fPrime(z: zp[i], slope: slope) }
                    }
                }
            }
        }
    }

    /// Whether a unit with this pre-activation is saturated (sigmoid/tanh: f′ < 5% of its
    /// maximum) or dead (ReLU: z ≤ 0), for `show activations`.
    public func isSaturatedOrDead(z: Double, a: Double) -> Bool {
        switch self {
        case .linear: false
        case .sigmoid: Sigmoid.fPrime(a: a) < 0.25 * 0.05
        case .tanh: Tanh.fPrime(a: a) < 0.05
        case .relu, .leakyReLU: z <= 0
        }
    }
}
