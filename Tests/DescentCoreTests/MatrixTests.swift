import Foundation
import Testing
@testable import DescentCore

@Suite struct MatrixTests {
    @Test func productOfKnownMatrices() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        #expect(Matrix.product(a, b) == Matrix([[58, 64], [139, 154]]))
        #expect(Matrix.product(a, a, transposeA: true) == Matrix([[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
        #expect(Matrix.product(a, a, transposeB: true) == Matrix([[14, 32], [32, 77]]))
    }

    /// The BLAS path and the hand-written path agree on random shapes, edge shapes included.
    @Test(arguments: [(1, 1, 1), (1, 7, 1), (7, 1, 1), (1, 1, 9), (5, 1, 6), (1, 40, 33), (33, 40, 1),
                      (3, 4, 5), (17, 31, 13), (64, 64, 64), (129, 70, 3)])
    func blasAndNaivePathsAgree(shape: (Int, Int, Int)) {
        // OpenBLAS is opened on first use; without it both paths would be the loop.
        #expect(BLASThreads.isAvailable, "libopenblas.so.0 could not be loaded (scripts/setup installs it)")
        let (m, k, n) = shape
        var r = RandomSource(seed: UInt64(m * 10000 + k * 100 + n))
        let a = r.normalMatrix(rows: m, cols: k), b = r.normalMatrix(rows: k, cols: n)
        let at = a.transposed, bt = b.transposed
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let x = ta ? at : a, y = tb ? bt : b
            let blas = Matrix.product(x, y, transposeA: ta, transposeB: tb, path: .blas)
            let naive = Matrix.product(x, y, transposeA: ta, transposeB: tb, path: .naive)
            #expect(blas.rows == m && blas.cols == n)
            for i in blas.storage.indices {
                let scale = max(abs(naive.storage[i]), 1)
                #expect(abs(blas.storage[i] - naive.storage[i]) <= 1e-12 * scale)
            }
        }
    }

    /// The thread count asked for before OpenBLAS is opened is what it reports once loaded
    /// (left to itself it would take every core). Not changed here: tests run in parallel.
    @Test func threadCountReachesOpenBLAS() {
        BLASThreads.configureDefault()
        let wanted = getenv("OPENBLAS_NUM_THREADS").flatMap { Int(String(cString: $0)) } ?? 1
        #expect(BLASThreads.isAvailable)
        #expect(BLASThreads.count == wanted)
    }

    @Test func broadcastingRowsAndScalars() {
        let m = Matrix([[1, 2], [3, 4]])
        #expect(m.zipped(with: Matrix(row: [10, 20]), +) == Matrix([[11, 22], [13, 24]]))
        #expect(m.zipped(with: Matrix(scalar: 2), *) == Matrix([[2, 4], [6, 8]]))
        #expect(Matrix(scalar: 1).zipped(with: m, -) == Matrix([[0, -1], [-2, -3]]))
        #expect(m.zipped(with: Matrix(row: [1, 2, 3]), +) == nil)
    }

    @Test func normOfHugeFiniteEntriesIsFinite() {
        let m = Matrix([[3e200, 4e200]])
        #expect(m.squaredNorm == .infinity)
        #expect(abs(m.norm - 5e200) / 5e200 < 1e-15)
        #expect(Matrix([[.infinity, 1]]).norm == .infinity)
        #expect(Matrix([[.nan, 1e300, 1e300]]).norm.isNaN)
    }

    @Test func reductions() {
        let m = Matrix([[3, -4], [0, 0]])
        #expect(m.norm == 5)
        #expect(m.sum == -1)
        #expect(m.columnSums == Matrix(row: [3, -4]))
        #expect(m.transposed == Matrix([[3, 0], [-4, 0]]))
        #expect(Matrix([[1, 3]]).standardDeviation == 1)
    }
}

/// The fast loops over matrices compute exactly the per-entry formulas of `Activation`
/// (`apply(_:)` and `derivative(z:a:)`, the ones to read), bit for bit.
@Suite struct ActivationTests {
    @Test(arguments: [Activation.linear, .sigmoid, .tanh, .relu, .leakyReLU(slope: 0.01), .leakyReLU(slope: 0.3)])
    func loopsMatchTheFormulas(_ f: Activation) {
        var random = RandomSource(seed: 3)
        var z = random.normalMatrix(rows: 7, cols: 5, std: 3)
        z[0, 0] = 0
        z[1, 1] = -0.0
        var a = Matrix(rows: 0, cols: 0)
        f.apply(z, into: &a)
        var grad = random.normalMatrix(rows: 7, cols: 5)
        let upstream = grad
        f.backpropagate(&grad, z: z, a: a)
        for i in z.storage.indices {
            #expect(a.storage[i] == f.apply(z.storage[i]))
            #expect(grad.storage[i] == upstream.storage[i] * f.derivative(z: z.storage[i], a: a.storage[i]))
        }
    }

    @Test func sigmoidDerivativeIsAtMostAQuarter() {
        for z in stride(from: -10.0, through: 10, by: 0.25) {
            let a = Activation.sigmoid.apply(z)
            #expect(Activation.sigmoid.derivative(z: z, a: a) <= 0.25)
        }
        #expect(Activation.sigmoid.derivative(z: 0, a: 0.5) == 0.25)
    }
}
