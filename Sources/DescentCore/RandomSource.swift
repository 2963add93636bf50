// RandomSource: Descent's own seeded generator (uniform, normal, permutations, matrices).
import Foundation

/// Descent's own seeded random numbers, so that the same seed gives the same numbers on every
/// platform and every Swift version (the standard library's generator is unspecified).
///
/// - Generator: xoshiro256** (Blackman & Vigna, 2018), its 256-bit state filled from the seed
///   by SplitMix64, as its authors recommend.
/// - Uniform doubles in [0, 1): the top 53 bits of a draw, times 2⁻⁵³.
/// - Normal: Box–Muller, using both values of each pair (the second is kept for the next call).
/// - Integers below n: Lemire's multiply-shift with rejection, so without modulo bias.
public struct RandomSource: Sendable, Equatable {
    private var s0, s1, s2, s3: UInt64
    private var spareNormal: Double?

    public init(seed: UInt64) {
        var sm = seed
        func splitmix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
        spareNormal = nil
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// Standard normal, N(0, 1).
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u1 = uniform()
        while u1 == 0 { u1 = uniform() }
        let u2 = uniform()
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }

    /// Uniform integer in 0..<n, n > 0.
    public mutating func integer(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = integer(below: i + 1)
            p.swapAt(i, j)
        }
        return p
    }

    public mutating func normalMatrix(rows: Int, cols: Int, std: Double = 1) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for i in m.storage.indices { m.storage[i] = std * normal() }
        return m
    }

    public mutating func uniformMatrix(rows: Int, cols: Int, low: Double = 0, high: Double = 1) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for i in m.storage.indices { m.storage[i] = uniform(low, high) }
        return m
    }
}
