// The losses (mse, bce, ce): each one's value, the gradient it sends into the last layer, and
// what it requires of the network and the targets (LossMismatch).
import Foundation

/// Why a loss cannot be used with a network's output layer or with the targets (the words
/// for each case are DescentLanguage's `message`).
public enum LossMismatch: Equatable, Sendable {
    /// mse and bce compare output j with target column j: the counts differ.
    case outputCount(loss: LossKind, outputs: Int, targetColumns: Int)
    /// bce needs a sigmoid output layer (of `outputs` units); it is `actual`.
    case needsSigmoidOutput(outputs: Int, actual: Activation)
    /// bce needs targets in [0, 1]; `value` is the first that is not.
    case targetOutsideZeroOne(value: Double)
    /// ce applies the softmax itself, so the output layer (of `outputs` units) must be
    /// linear; it is `actual`.
    case needsLinearOutput(outputs: Int, actual: Activation)
    /// ce needs at least two outputs, one per class; the net has one.
    case tooFewClasses
    /// ce with class indices in y: `value` is the first entry that is not one of 0…classes−1.
    case badClassIndex(classes: Int, value: Double)
    /// ce with one-hot rows: y has `targetColumns` columns, not one per class.
    case targetColumns(classes: Int, targetColumns: Int)
}

/// The loss functions, each with the gradient it sends into the last layer.
public enum LossKind: String, Equatable, Sendable, CaseIterable {
    /// Mean over all entries of (ŷ − y)², exactly the article's `loss_function`.
    case mse
    /// Binary cross-entropy on a sigmoid output, mean over all entries (one per example when
    /// the net has one output). Computed from the logits z, as PyTorch's BCEWithLogits does,
    /// so that a saturated sigmoid gives a large finite loss rather than log(0).
    case bce
    /// Softmax cross-entropy on a linear last layer, mean over examples; targets are class
    /// indices 0…k−1 (an m×1 column) or one-hot rows (m×k).
    case ce

    public var description: String {
        switch self {
        case .mse: "mean squared error"
        case .bce: "binary cross-entropy"
        case .ce: "softmax cross-entropy"
        }
    }

    /// What this loss needs of the network and the targets and they lack, or nil when all is well.
    public func mismatch(outputs k: Int, lastActivation: Activation, targets: Matrix) -> LossMismatch? {
        switch self {
        case .mse:
            if targets.cols != k { return .outputCount(loss: .mse, outputs: k, targetColumns: targets.cols) }
        case .bce:
            if lastActivation != .sigmoid { return .needsSigmoidOutput(outputs: k, actual: lastActivation) }
            if targets.cols != k { return .outputCount(loss: .bce, outputs: k, targetColumns: targets.cols) }
            if let bad = targets.storage.first(where: { !($0 >= 0 && $0 <= 1) }) { return .targetOutsideZeroOne(value: bad) }
        case .ce:
            if lastActivation != .linear { return .needsLinearOutput(outputs: k, actual: lastActivation) }
            if k < 2 { return .tooFewClasses }
            if targets.cols == 1 {
                if let bad = targets.storage.first(where: { $0 != $0.rounded() || $0 < 0 || $0 >= Double(k) }) {
                    return .badClassIndex(classes: k, value: bad)
                }
            } else if targets.cols != k {
                return .targetColumns(classes: k, targetColumns: targets.cols)
            }
        }
        return nil
    }

    /// The loss of outputs `a` (with pre-activations `z`) against targets `y`, averaged as
    /// described on each case. Targets are assumed compatible.
    public func value(z: Matrix, a: Matrix, y: Matrix) -> Double {
        let m = Double(a.rows)
        switch self {
        case .mse:
            var s = 0.0
            for i in a.storage.indices {
                let d = a.storage[i] - y.storage[i]
                s += d * d
            }
            return s / Double(a.count)
        case .bce:
            var s = 0.0
            for i in z.storage.indices {
                let x = z.storage[i], t = y.storage[i]
                s += Swift.max(x, 0) - x * t + Foundation.log1p(Foundation.exp(-abs(x)))
            }
            return s / Double(z.count)
        case .ce:
            var s = 0.0
            let k = z.cols
            z.storage.withUnsafeBufferPointer { zp in
                for i in 0..<z.rows {
                    let row = UnsafeBufferPointer(rebasing: zp[(i * k)..<((i + 1) * k)])
                    let top = row.max() ?? 0
                    var sumExp = 0.0
                    for v in row { sumExp += Foundation.exp(v - top) }
                    let logSumExp = top + Foundation.log(sumExp)
                    if y.cols == 1 {
                        s += logSumExp - row[Int(y.storage[i])]
                    } else {
                        for j in 0..<k { s += y[i, j] * (logSumExp - row[j]) }
                    }
                }
            }
            return s / m
        }
    }

    /// The softmax of each row of `z` (e^(z − max) / Σ e^(z − max)): the class probabilities
    /// behind a ce net's output (its logits).
    public static func softmaxRows(_ z: Matrix) -> Matrix {
        var p = Matrix(rows: 0, cols: 0)
        softmaxRows(z, into: &p)
        return p
    }

    /// `softmaxRows(z)` into `p`, without allocating when `p` has the shape already (the ce
    /// gradient's buffer).
    static func softmaxRows(_ z: Matrix, into p: inout Matrix) {
        p.ensureShape(rows: z.rows, cols: z.cols)
        let k = z.cols
        z.storage.withUnsafeBufferPointer { zp in
            p.storage.withUnsafeMutableBufferPointer { out in
                for i in 0..<z.rows {
                    let base = i * k
                    let row = UnsafeBufferPointer(rebasing: zp[base..<(base + k)])
                    let top = row.max() ?? 0
                    var sumExp = 0.0
                    for j in 0..<k {
                        let e = Foundation.exp(row[j] - top)
                        out[base + j] = e
                        sumExp += e
                    }
                    for j in 0..<k { out[base + j] /= sumExp }
                }
            }
        }
    }

    /// ∂loss/∂z of the last layer, into `dz`. For mse the derivative of the last activation is
    /// applied here too; bce+sigmoid and softmax+ce simplify to (output − target)/count.
    public func gradient(z: Matrix, a: Matrix, y: Matrix, activation: Activation, into dz: inout Matrix) {
        dz.ensureShape(rows: a.rows, cols: a.cols)
        switch self {
        case .mse:
            let scale = 2 / Double(a.count)
            for i in a.storage.indices { dz.storage[i] = scale * (a.storage[i] - y.storage[i]) }
            activation.backpropagate(&dz, z: z, a: a)
        case .bce:
            let n = Double(a.count)
            for i in a.storage.indices { dz.storage[i] = (a.storage[i] - y.storage[i]) / n }
        case .ce:
            // In place: the softmax into dz, then (softmax − target)/m.
            let m = Double(a.rows)
            let k = z.cols
            LossKind.softmaxRows(z, into: &dz)
            dz.storage.withUnsafeMutableBufferPointer { out in
                for i in 0..<z.rows {
                    for j in 0..<k {
                        let target = y.cols == 1 ? (Int(y.storage[i]) == j ? 1.0 : 0.0) : y[i, j]
                        out[i * k + j] = (out[i * k + j] - target) / m
                    }
                }
            }
        }
    }
}
