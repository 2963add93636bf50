// SymmetricEigenvalues: the eigenvalues of a small symmetric matrix (a Hessian, XᵀX), for
// lessons that explain a learning rate or a convergence speed by the curvatures.

extension Matrix {
    /// Whether the matrix is square and equal to its transpose within `tolerance`, relative to
    /// its largest entry.
    public func isSymmetric(tolerance: Double = 1e-12) -> Bool {
        guard rows == cols else { return false }
        let scale = Swift.max(storage.map(Swift.abs).max() ?? 0, Double.leastNormalMagnitude)
        for i in 0..<rows {
            for j in (i + 1)..<Swift.max(cols, i + 1) where Swift.abs(self[i, j] - self[j, i]) > tolerance * scale { return false }
        }
        return true
    }

    /// The eigenvalues of a symmetric matrix, smallest first, by the cyclic Jacobi method:
    /// each rotation zeroes one off-diagonal pair, and the sweeps repeat until the off-diagonal
    /// part is negligible. Accurate to a few ulps of the largest eigenvalue; meant for the
    /// small matrices lessons build (its cost grows as n³ per sweep).
    public func symmetricEigenvalues() -> [Double] {
        precondition(rows == cols, "eigenvalues need a square matrix")
        let n = rows
        var a = self
        // Symmetrise exactly so that rounding in how the matrix was built does not matter.
        for i in 0..<n { for j in 0..<i { let m = (a[i, j] + a[j, i]) / 2; a[i, j] = m; a[j, i] = m } }
        for _ in 0..<100 {
            var off = 0.0, total = 0.0
            for i in 0..<n { for j in 0..<n { total += a[i, j] * a[i, j]; if i != j { off += a[i, j] * a[i, j] } } }
            if off <= 1e-30 * total || off == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<Swift.max(n, p + 1) where a[p, q] != 0 {
                    a.rotate(p, q)
                }
            }
        }
        return (0..<n).map { a[$0, $0] }.sorted()
    }

    /// One Jacobi rotation in the (p, q) plane that makes a[p, q] zero (Golub & Van Loan,
    /// algorithm 8.4.1, with the numerically stable choice of t).
    private mutating func rotate(_ p: Int, _ q: Int) {
        let theta = (self[q, q] - self[p, p]) / (2 * self[p, q])
        let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot(), s = t * c
        for k in 0..<rows {
            let akp = self[k, p], akq = self[k, q]
            self[k, p] = c * akp - s * akq
            self[k, q] = s * akp + c * akq
        }
        for k in 0..<cols {
            let apk = self[p, k], aqk = self[q, k]
            self[p, k] = c * apk - s * aqk
            self[q, k] = s * apk + c * aqk
        }
    }
}
