// How Core values are written in the command language: numbers (formatShort), activation
// and initialiser names, schedules, batch sizes, architectures and the optimizer line, each
// spelt as a command would spell it. DescentCore knows no command syntax; these extensions
// keep the names the rest of the project calls.
import DescentCore

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

extension Activation {
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
}

extension Initializer {
    /// As `init` takes it: `xavier`, `normal std=0.1`.
    public var description: String {
        switch self {
        case .zeros: "zeros"
        case .normal(let std): "normal std=\(formatShort(std))"
        case .uniform(let limit): "uniform limit=\(formatShort(limit))"
        case .standard: "standard"
        case .xavier: "xavier"
        case .he: "he"
        }
    }

    public static let allNames = ["zeros", "normal", "uniform", "standard", "xavier", "he"]
}

extension Schedule {
    /// As `schedule` takes it: `fixed`, `exp gamma=0.99`, `step every=100 gamma=0.5`.
    public var description: String {
        switch self {
        case .fixed: "fixed"
        case .exponential(let gamma): "exp gamma=\(formatShort(gamma))"
        case .step(let every, let gamma): "step every=\(every) gamma=\(formatShort(gamma))"
        }
    }
}

extension BatchSize {
    /// The value of `batch=`: `full` or a row count.
    public var description: String {
        switch self {
        case .full: "full"
        case .rows(let n): "\(n)"
        }
    }
}

extension Architecture {
    /// `2 -> 8 tanh -> 1 sigmoid`.
    public var description: String {
        var parts = ["\(inputs)"]
        for spec in layers {
            var s = "\(spec.width)"
            if spec.activation != .linear { s += " \(spec.activation.name)" }
            if !spec.hasBias { s += " nobias" }
            if spec.count > 1 { s += " * \(spec.count)" }
            parts.append(s)
        }
        return parts.joined(separator: " -> ")
    }
}

extension TrainingConfig {
    /// `gd lr=0.01 momentum=0.9 batch=8 shuffle=on`.
    public var optimizerDescription: String {
        var s = "gd lr=\(formatShort(learningRate))"
        if momentum != 0 { s += " momentum=\(formatShort(momentum))" }
        s += " batch=\(batch.description)"
        if case .rows = batch { s += " shuffle=\(shuffle ? "on" : "off")" }
        return s
    }
}
