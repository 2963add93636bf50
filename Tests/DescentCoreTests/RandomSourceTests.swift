import Testing
@testable import DescentCore

/// Expected values come from an independent Python implementation of SplitMix64 seeding +
/// xoshiro256** (the reference algorithms), not from this code.
@Suite struct RandomSourceTests {
    @Test func firstDrawsMatchTheReferenceAlgorithm() {
        var r = RandomSource(seed: 42)
        #expect(r.next() == 1_546_998_764_402_558_742)
        #expect(r.next() == 6_990_951_692_964_543_102)
        #expect(r.next() == 12_544_586_762_248_559_009)
    }

    @Test func uniformTakesTheTop53Bits() {
        var r = RandomSource(seed: 42)
        #expect(r.uniform() == 0.08386297105988216)
        #expect(r.uniform() == 0.3789802506626686)
        #expect(r.uniform() == 0.6800434110281394)
    }

    @Test func normalIsBoxMullerWithBothValuesUsed() {
        var r = RandomSource(seed: 7)
        #expect(abs(r.normal() - -0.15157274547711355) < 1e-15)
        #expect(abs(r.normal() - 0.829897087969257) < 1e-15)
    }

    @Test func sameSeedSameNumbersDifferentSeedDifferentNumbers() {
        var a = RandomSource(seed: 3), b = RandomSource(seed: 3), c = RandomSource(seed: 4)
        let xs = (0..<100).map { _ in a.normal() }
        #expect(xs == (0..<100).map { _ in b.normal() })
        #expect(xs != (0..<100).map { _ in c.normal() })
    }

    @Test func integersStayInRangeAndCoverIt() {
        var r = RandomSource(seed: 1)
        var counts = Array(repeating: 0, count: 5)
        for _ in 0..<5000 { counts[r.integer(below: 5)] += 1 }
        #expect(counts.allSatisfy { $0 > 850 && $0 < 1150 })
    }

    @Test func permutationIsAPermutation() {
        var r = RandomSource(seed: 9)
        for n in [0, 1, 2, 17, 100] {
            #expect(r.permutation(n).sorted() == Array(0..<n))
        }
    }

    @Test func normalMomentsAreRight() {
        var r = RandomSource(seed: 11)
        let m = r.normalMatrix(rows: 200, cols: 100, std: 2)
        #expect(abs(m.mean) < 0.05)
        #expect(abs(m.standardDeviation - 2) < 0.05)
    }
}
