// The matrix product: a hand-written loop for tiny products, OpenBLAS's dgemm otherwise
// (ProductPath), and the BLAS thread count (BLASThreads).
import CKernels
import Foundation

/// Which code computes a matrix product.
public enum ProductPath: Sendable {
    /// The hand-written loop for tiny products (where a BLAS call costs more than the
    /// arithmetic), OpenBLAS otherwise (the loop if OpenBLAS cannot be loaded).
    case automatic
    /// Always the hand-written loop: sums in index order, like the textbook formula.
    case naive
    /// OpenBLAS's `cblas_dgemm` whenever it can be loaded.
    case blas

    /// Below this many multiply-adds the call overhead of BLAS dominates.
    static let blasThreshold = 4096
}

extension Matrix {
    /// `op(A) · op(B)`, where op transposes when asked. Shapes must agree.
    public static func product(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
        path: ProductPath = .automatic
    ) -> Matrix {
        var c = Matrix(rows: 0, cols: 0)
        multiply(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, path: path)
        return c
    }

    /// `C = op(A) · op(B)`, reusing C's storage when its shape already fits. With
    /// `accumulate`, `C += op(A) · op(B)` (C must already have the result's shape).
    public static func multiply(
        _ a: Matrix, _ b: Matrix, into c: inout Matrix,
        transposeA: Bool = false, transposeB: Bool = false, accumulate: Bool = false, path: ProductPath = .automatic
    ) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let kb = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        precondition(k == kb, "product of \(a.shapeDescription) and \(b.shapeDescription): inner sizes differ")
        precondition(!accumulate || (c.rows == m && c.cols == n), "accumulating into a matrix of the wrong shape")
        c.ensureShape(rows: m, cols: n)
        if m == 0 || n == 0 { return }
        if k == 0 { if !accumulate { c.fill(0) }; return }
        let useBLAS: Bool
        switch path {
        case .automatic: useBLAS = m * n * k >= ProductPath.blasThreshold && BLASThreads.isAvailable
        case .naive: useBLAS = false
        case .blas: useBLAS = BLASThreads.isAvailable
        }
        if useBLAS {
            a.storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    c.storage.withUnsafeMutableBufferPointer { pc in
                        descent_dgemm(
                            transposeA ? 1 : 0, transposeB ? 1 : 0,
                            Int32(m), Int32(n), Int32(k),
                            pa.baseAddress, Int32(a.cols),
                            pb.baseAddress, Int32(b.cols),
                            accumulate ? 1.0 : 0.0, pc.baseAddress, Int32(n))
                    }
                }
            }
        } else {
            naiveMultiply(a, b, into: &c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, accumulate: accumulate)
        }
    }

    private static func naiveMultiply(
        _ a: Matrix, _ b: Matrix, into c: inout Matrix,
        m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, accumulate: Bool
    ) {
        let lda = a.cols, ldb = b.cols
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<m {
                        for j in 0..<n {
                            var s = 0.0
                            for p in 0..<k {
                                let x = transposeA ? pa[p * lda + i] : pa[i * lda + p]
                                let y = transposeB ? pb[j * ldb + p] : pb[p * ldb + j]
                                s += x * y
                            }
                            pc[i * n + j] = accumulate ? pc[i * n + j] + s : s
                        }
                    }
                }
            }
        }
    }
}

/// OpenBLAS's thread count. Descent runs it on one thread unless told otherwise: for the small
/// products of a learner's network, threads cost more in synchronisation than they gain.
public enum BLASThreads {
    /// One thread, unless OPENBLAS_NUM_THREADS says otherwise. Call once at start.
    public static func configureDefault() {
        // getenv, not ProcessInfo.environment: that builds a dictionary of every variable.
        let env = getenv("OPENBLAS_NUM_THREADS").flatMap { Int32(String(cString: $0)) }
        descent_blas_set_threads(env ?? 1)
    }

    public static var count: Int { Int(descent_blas_threads()) }

    public static func set(_ n: Int) { descent_blas_set_threads(Int32(n)) }

    /// Whether OpenBLAS could be loaded (it is opened on the first call).
    public static var isAvailable: Bool { descent_blas_available() != 0 }
}
