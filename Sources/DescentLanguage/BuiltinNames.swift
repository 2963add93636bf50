// BuiltinNames: the names expressions know besides `let` variables, and the parameter and
// layer-output names (W1, dW1, A1, Z1).

/// The names an expression knows besides `let` variables: one list, read by the evaluator,
/// by `let` (which refuses to redefine them), by Tab completion and by did-you-mean.
public enum BuiltinNames {
    /// The session's own values; `let` cannot redefine them.
    public static let sessionValues = ["loss", "losses", "testlosses", "lr", "step", "epoch", "accuracy"]
    /// The data set's matrices; a `let` may bind these names (the article's `let X = …`).
    /// Xtest and ytest exist once `split` holds rows out.
    public static let dataNames = ["X", "y", "Xtest", "ytest"]
    public static let constants = ["nan", "inf", "pi"]

    /// W1, b1, dW1, db1, A1, Z1, … for a net of `layers` layers (gradients only if asked).
    public static func layerNames(layers: Int, gradients: Bool = true, outputs: Bool = true) -> [String] {
        var names: [String] = []
        for l in 1...max(layers, 1) {
            names += ["W\(l)", "b\(l)"]
            if gradients { names += ["dW\(l)", "db\(l)"] }
            if outputs { names += ["A\(l)", "Z\(l)"] }
        }
        return names
    }

    /// Whether `let NAME = …` must refuse the name: a session value, a constant, a
    /// parameter or gradient name, or a layer's activations.
    public static func isReserved(_ name: String) -> Bool {
        sessionValues.contains(name) || constants.contains(name)
            || ParameterName(name) != nil || LayerOutputName(name) != nil || DeltaName(name) != nil
    }
}

/// `W3`, `b1`, `dW2`, `db4`: a layer's parameter or its gradient, layers numbered from 1; for a
/// batch-norm layer also `scale2`, `shift2`, `dscale2`, `dshift2` and the running statistics
/// `runmean2`, `runvar2`.
public struct ParameterName: Equatable, Sendable {
    public enum Kind: Sendable {
        case weights, bias, weightGradient, biasGradient
        case scale, shift, scaleGradient, shiftGradient, runningMean, runningVariance
    }
    public var kind: Kind
    public var layer: Int

    public init?(_ name: String) {
        let prefixes: [(String, Kind)] = [("dscale", .scaleGradient), ("dshift", .shiftGradient), ("runmean", .runningMean),
                                          ("runvar", .runningVariance), ("scale", .scale), ("shift", .shift),
                                          ("dW", .weightGradient), ("db", .biasGradient), ("W", .weights), ("b", .bias)]
        for (prefix, kind) in prefixes where name.hasPrefix(prefix) {
            guard let layer = layerNumber(name.dropFirst(prefix.count)) else { continue }
            self.kind = kind
            self.layer = layer
            return
        }
        return nil
    }

    public var isGradient: Bool { [.weightGradient, .biasGradient, .scaleGradient, .shiftGradient].contains(kind) }
    public var isWeight: Bool { kind == .weights || kind == .weightGradient }
    /// A batch norm parameter or statistic (the layer must have `bn`).
    public var isBatchNorm: Bool { ![.weights, .bias, .weightGradient, .biasGradient].contains(kind) }
    /// The running statistics are kept, not learnt: no gradient, not set by steps' updates.
    public var isStatistic: Bool { kind == .runningMean || kind == .runningVariance }
}

/// `A3` (the activations of layer 3) or `Z3` (its pre-activations); `A0` is X.
public struct LayerOutputName: Equatable, Sendable {
    public var isActivation: Bool
    public var layer: Int

    public init?(_ name: String) {
        guard let first = name.first, first == "A" || first == "Z", let layer = layerNumber(name.dropFirst()) else { return nil }
        isActivation = first == "A"
        self.layer = layer
    }
}

/// `delta3`: ‖δ₃‖ = ‖∂loss/∂Z₃‖ of the last step, layers numbered from 1.
public struct DeltaName: Equatable, Sendable {
    public var layer: Int

    public init?(_ name: String) {
        guard name.hasPrefix("delta"), let layer = layerNumber(name.dropFirst(5)) else { return nil }
        self.layer = layer
    }
}

/// The layer number at the end of a name: ASCII digits only.
private func layerNumber(_ digits: Substring) -> Int? {
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return Int(digits)
}
