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
            // Row by row (the matrix is row-major): sums per column, then squared deviations.
            mean.fill(0)
            variance.fill(0)
            u.storage.withUnsafeBufferPointer { z in
                mean.storage.withUnsafeMutableBufferPointer { mu in
                    for i in 0..<n { for j in 0..<k { mu[j] += z[i * k + j] } }
                    for j in 0..<k { mu[j] /= Double(n) }
                    variance.storage.withUnsafeMutableBufferPointer { v in
                        for i in 0..<n { for j in 0..<k { let d = z[i * k + j] - mu[j]; v[j] += d * d } }
                        for j in 0..<k { v[j] /= Double(n) }
                    }
                }
            }
        } else {
            for j in 0..<k {
                mean.storage[j] = runningMean.storage[j]
                variance.storage[j] = runningVariance.storage[j]
            }
        }
        for j in 0..<k { inverseStd.storage[j] = 1 / (variance.storage[j] + BatchNorm.epsilon).squareRoot() }
        u.storage.withUnsafeMutableBufferPointer { z in
            normalized.storage.withUnsafeMutableBufferPointer { zhat in
                mean.storage.withUnsafeBufferPointer { mu in
                    inverseStd.storage.withUnsafeBufferPointer { inv in
                        scale.storage.withUnsafeBufferPointer { gamma in
                            shift.storage.withUnsafeBufferPointer { beta in
                                for i in 0..<n {
                                    for j in 0..<k {
                                        let h = (z[i * k + j] - mu[j]) * inv[j]
                                        zhat[i * k + j] = h
                                        z[i * k + j] = gamma[j] * h + beta[j]
                                    }
                                }
                            }
                        }
                    }
                }
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
        dScale.fill(0)
        dShift.fill(0)
        let count = Double(n)
        d.storage.withUnsafeMutableBufferPointer { d in
            normalized.storage.withUnsafeBufferPointer { zhat in
                dShift.storage.withUnsafeMutableBufferPointer { sumD in
                    dScale.storage.withUnsafeMutableBufferPointer { sumDZ in
                        // Row by row (row-major): the column sums first, then dZ.
                        for i in 0..<n {
                            for j in 0..<k {
                                sumD[j] += d[i * k + j]
                                sumDZ[j] += d[i * k + j] * zhat[i * k + j]
                            }
                        }
                        scale.storage.withUnsafeBufferPointer { gamma in
                            inverseStd.storage.withUnsafeBufferPointer { inv in
                                for i in 0..<n {
                                    for j in 0..<k {
                                        let factor = gamma[j] * inv[j] / count
                                        d[i * k + j] = factor * (count * d[i * k + j] - sumD[j] - zhat[i * k + j] * sumDZ[j])
                                    }
                                }
                            }
                        }
                    }
                }
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
