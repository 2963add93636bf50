// Batch normalisation's forward pass (train mode with the batch's statistics, eval mode with
// the running ones) and its backward pass, side by side, as torch.nn.BatchNorm1d computes them.
import Foundation

extension BatchNorm {
    /// Normalises `u` (Z = A·W + b on entry) per column and writes scale ⊙ Ẑ + shift back
    /// into it; Ẑ and 1/√(σ² + ε) go into `normalized` and `inverseStd`. In training the
    /// batch's mean and biased variance are used (and kept in `mean`, `variance` for the
    /// running statistics); otherwise the running ones.
    func forward(_ u: inout Matrix, training: Bool, normalized: inout Matrix, inverseStd: inout Matrix,
                 mean: inout Matrix, variance: inout Matrix) {
        let n = u.rows, k = u.cols
        mean.ensureShape(rows: 1, cols: k)
        variance.ensureShape(rows: 1, cols: k)
        inverseStd.ensureShape(rows: 1, cols: k)
        normalized.ensureShape(rows: n, cols: k)
        if training {
            for j in 0..<k {
                var sum = 0.0
                for i in 0..<n { sum += u.storage[i * k + j] }
                let mu = sum / Double(n)
                var squares = 0.0
                for i in 0..<n { let d = u.storage[i * k + j] - mu; squares += d * d }
                mean.storage[j] = mu
                variance.storage[j] = squares / Double(n)
            }
        } else {
            for j in 0..<k {
                mean.storage[j] = runningMean.storage[j]
                variance.storage[j] = runningVariance.storage[j]
            }
        }
        for j in 0..<k { inverseStd.storage[j] = 1 / (variance.storage[j] + BatchNorm.epsilon).squareRoot() }
        for i in 0..<n {
            for j in 0..<k {
                let zhat = (u.storage[i * k + j] - mean.storage[j]) * inverseStd.storage[j]
                normalized.storage[i * k + j] = zhat
                u.storage[i * k + j] = scale.storage[j] * zhat + shift.storage[j]
            }
        }
    }

    /// Turns ∂loss/∂U (U = scale ⊙ Ẑ + shift) into ∂loss/∂Z in place, through the batch's
    /// statistics, and writes dscale = Σᵢ dU ⊙ Ẑ and dshift = Σᵢ dU:
    /// dZ = scale·(1/σ)/n · (n·dU − dshift − Ẑ·dscale), per column.
    func backward(_ d: inout Matrix, normalized: Matrix, inverseStd: Matrix, dScale: inout Matrix, dShift: inout Matrix) {
        let n = d.rows, k = d.cols
        dScale.ensureShape(rows: 1, cols: k)
        dShift.ensureShape(rows: 1, cols: k)
        for j in 0..<k {
            var sumD = 0.0, sumDZ = 0.0
            for i in 0..<n {
                sumD += d.storage[i * k + j]
                sumDZ += d.storage[i * k + j] * normalized.storage[i * k + j]
            }
            dShift.storage[j] = sumD
            dScale.storage[j] = sumDZ
            let factor = scale.storage[j] * inverseStd.storage[j] / Double(n)
            for i in 0..<n {
                let index = i * k + j
                d.storage[index] = factor * (Double(n) * d.storage[index] - sumD - normalized.storage[index] * sumDZ)
            }
        }
    }

    /// r ← (1 − momentum)·r + momentum·(batch value), with the variance made unbiased
    /// (×n/(n−1)), as PyTorch updates its running statistics.
    mutating func updateRunningStatistics(mean: Matrix, variance: Matrix, rows n: Int) {
        let m = BatchNorm.momentum
        let unbiased = n > 1 ? Double(n) / Double(n - 1) : 1
        for j in 0..<runningMean.count {
            runningMean.storage[j] = (1 - m) * runningMean.storage[j] + m * mean.storage[j]
            runningVariance.storage[j] = (1 - m) * runningVariance.storage[j] + m * variance.storage[j] * unbiased
        }
    }
}
