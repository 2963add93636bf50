// How Core values are written in the command language: activation
// and initialiser names, schedules, batch sizes, architectures and the optimizer line, each
// spelt as a command would spell it. DescentCore knows no command syntax; these extensions
// keep the names the rest of the project calls.
import DescentCore


extension Activation {
    /// The name as written in the command language: `leakyrelu`, `leakyrelu(0.2)`.
    public var name: String {
        switch self {
        case .linear: "linear"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .leakyReLU(let slope):
            slope == Activation.defaultLeakySlope ? "leakyrelu" : "leakyrelu(\(NumberFormat.short(slope)))"
        }
    }

    public static let allNames = ["linear", "sigmoid", "tanh", "relu", "leakyrelu"]
}

extension Initializer {
    /// As `init` takes it: `xavier`, `normal std=0.1`.
    public var description: String {
        switch self {
        case .zeros: "zeros"
        case .normal(let std): "normal std=\(NumberFormat.short(std))"
        case .uniform(let limit): "uniform limit=\(NumberFormat.short(limit))"
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
        case .exponential(let gamma): "exp gamma=\(NumberFormat.short(gamma))"
        case .step(let every, let gamma): "step every=\(every) gamma=\(NumberFormat.short(gamma))"
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
    /// `2 -> 8 tanh -> 1 sigmoid`; `16 bn relu res` in the order a layer computes: the
    /// product, batch norm, the activation, then the skip path adds the input.
    public var description: String {
        var parts = ["\(inputs)"]
        for spec in layers {
            var s = "\(spec.width)"
            if spec.batchNorm { s += " bn" }
            if spec.activation != .linear { s += " \(spec.activation.name)" }
            if spec.residual { s += " res" }
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
        func n(_ x: Double) -> String { NumberFormat.short(x) }
        var s: String
        switch optimizer {
        case .gd(let momentum):
            s = "gd lr=\(n(learningRate))"
            if momentum != 0 { s += " momentum=\(n(momentum))" }
        case .adam(let beta1, let beta2, let eps):
            s = "adam lr=\(n(learningRate)) beta1=\(n(beta1)) beta2=\(n(beta2)) eps=\(n(eps))"
        case .rmsprop(let alpha, let eps, let momentum):
            s = "rmsprop lr=\(n(learningRate)) alpha=\(n(alpha)) eps=\(n(eps))"
            if momentum != 0 { s += " momentum=\(n(momentum))" }
        }
        s += " batch=\(batch.description)"
        if case .rows = batch { s += " shuffle=\(shuffle ? "on" : "off")" }
        return s
    }
}
