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

    /// The name as written in the command language: `leakyrelu`, `leakyrelu(0.2)`.
    public var name: String {
        switch self {
        case .linear: "linear"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .leakyReLU(let slope):
            slope == Activation.defaultLeakySlope ? "leakyrelu" : "leakyrelu(\(formatShort(slope)))"
        }
    }

    public static let allNames = ["linear", "sigmoid", "tanh", "relu", "leakyrelu"]

    public func apply(_ z: Double) -> Double {
        switch self {
        case .linear: z
        case .sigmoid: 1 / (1 + descent_exp(-z))
        case .tanh: Foundation.tanh(z)
        case .relu: z > 0 ? z : 0
        case .leakyReLU(let slope): z > 0 ? z : slope * z
        }
    }

    /// f′(z), given z and a = f(z). The sigmoid's is σ(1 − σ) ≤ 1/4, the root of vanishing
    /// gradients in deep sigmoid nets; tanh's is 1 − tanh² ≤ 1. ReLU's is 0 at z = 0, as in PyTorch.
    public func derivative(z: Double, a: Double) -> Double {
        switch self {
        case .linear: 1
        case .sigmoid: a * (1 - a)
        case .tanh: 1 - a * a
        case .relu: z > 0 ? 1 : 0
        case .leakyReLU(let slope): z > 0 ? 1 : slope
        }
    }

    /// `a = f(z)` entry by entry, into `a` (resized if needed). One loop per activation, so
    /// the compiler sees a plain loop (the same formulas as `apply(_:)`, bit for bit); the
    /// sigmoid's is the vectorised C kernel, whose e^x is `descent_exp`.
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
                case .tanh: for i in zp.indices { ap[i] = Foundation.tanh(zp[i]) }
                case .relu: for i in zp.indices { ap[i] = zp[i] > 0 ? zp[i] : 0 }
                case .leakyReLU(let slope): for i in zp.indices { ap[i] = zp[i] > 0 ? zp[i] : slope * zp[i] }
                }
            }
        }
    }

    /// `dz = da ⊙ f′(z)`, in place on `grad`; one loop per activation, as `derivative`.
    public func backpropagate(_ grad: inout Matrix, z: Matrix, a: Matrix) {
        if self == .linear { return }
        z.storage.withUnsafeBufferPointer { zp in
            a.storage.withUnsafeBufferPointer { ap in
                grad.storage.withUnsafeMutableBufferPointer { g in
                    switch self {
                    case .linear: break
                    case .sigmoid: for i in g.indices { g[i] *= ap[i] * (1 - ap[i]) }
                    case .tanh: for i in g.indices { g[i] *= 1 - ap[i] * ap[i] }
                    case .relu: for i in g.indices { g[i] *= zp[i] > 0 ? 1 : 0 }
                    case .leakyReLU(let slope): for i in g.indices { g[i] *= zp[i] > 0 ? 1 : slope }
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
        case .sigmoid: a * (1 - a) < 0.25 * 0.05
        case .tanh: 1 - a * a < 0.05
        case .relu, .leakyReLU: z <= 0
        }
    }
}

/// A number in its shortest round-trip form, without a trailing ".0": 0.01, 2, 1e-06.
public func formatShort(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return tidyExponent("\(x)")
}

/// "1e-05" → "1e-5", "1e+16" → "1e16", "2.50" → "2.5", "-15.0" → "-15".
public func tidyExponent(_ s: String) -> String {
    var mantissa = s, exponent = ""
    if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = String(s[..<e])
        var digits = String(s[s.index(after: e)...])
        var sign = ""
        if digits.hasPrefix("+") { digits.removeFirst() }
        if digits.hasPrefix("-") { sign = "-"; digits.removeFirst() }
        while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst() }
        exponent = "e" + sign + digits
    }
    if mantissa.contains(".") {
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
    }
    return mantissa + exponent
}
