import Foundation
import Testing
@testable import DescentCore

/// `symmetricEigenvalues` against closed forms and NumPy's eigvalsh (LAPACK), and against
/// the invariants trace = Σλ and ‖A‖²_F = Σλ² on random matrices.
@Suite struct EigenvalueTests {
    func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-13) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * (1 + abs($1)) }
    }

    @Test func knownMatrices() {
        // Lesson 1's Hessian: (17 ± √269)/2.
        #expect(close(Matrix([[15, 5], [5, 2]]).symmetricEigenvalues(), [(17 - 269.0.squareRoot()) / 2, (17 + 269.0.squareRoot()) / 2]))
        // The second-difference matrix: 2 − √2, 2, 2 + √2.
        #expect(close(Matrix([[2, -1, 0], [-1, 2, -1], [0, -1, 2]]).symmetricEigenvalues(),
                      [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()]))
        // numpy.linalg.eigvalsh of this indefinite 4×4.
        #expect(close(Matrix([[4, 1, -2, 2], [1, 2, 0, 1], [-2, 0, 3, -2], [2, 1, -2, -1]]).symmetricEigenvalues(),
                      [-2.197516977439427, 1.0843644637732177, 2.2685314064312423, 6.844621107234966]))
        #expect(Matrix([[3, 0], [0, -1]]).symmetricEigenvalues() == [-1, 3])
        #expect(Matrix([[5]]).symmetricEigenvalues() == [5])
    }

    @Test(arguments: [2, 3, 8, 20]) func invariantsOfRandomMatrices(n: Int) {
        var random = RandomSource(seed: UInt64(n))
        let b = Matrix(rows: n, cols: n, storage: (0..<n * n).map { _ in random.normal() })
        let a = Matrix.product(b, b, transposeA: true)  // symmetric, positive semi-definite
        let values = a.symmetricEigenvalues()
        let trace = (0..<n).reduce(0.0) { $0 + a[$1, $1] }
        #expect(abs(values.reduce(0, +) - trace) <= 1e-12 * trace)
        #expect(abs(values.reduce(0) { $0 + $1 * $1 } - a.squaredNorm) <= 1e-12 * a.squaredNorm)
        #expect(values == values.sorted() && values[0] > -1e-12 * values[n - 1])
    }

    @Test func symmetry() {
        #expect(Matrix([[1, 2], [2, 1]]).isSymmetric())
        #expect(!Matrix([[1, 2], [3, 1]]).isSymmetric())
        #expect(!Matrix([[1, 2, 3]]).isSymmetric())
    }
}
