import CKernels
import Foundation
import Testing
@testable import DescentCore

/// The C kernels (Sources/CKernels): e^x against glibc's correctly rounded exp, and the
/// vectorised sigmoid against the portable loop and the one-element formula, bit for bit.
@Suite struct KernelTests {
    /// The distance in units in the last place between two finite doubles of the same sign.
    func ulps(_ a: Double, _ b: Double) -> UInt64 {
        let x = a.bitPattern, y = b.bitPattern
        return x > y ? x - y : y - x
    }

    func sample(_ count: Int, seed: UInt64) -> [Double] {
        var random = RandomSource(seed: seed)
        return (0..<count).map { i in
            switch i % 4 {
            case 0: random.uniform(-750, 712)  // the whole range, subnormal and overflowing ends included
            case 1: random.uniform(-20, 20)
            case 2: random.uniform(-1, 1)
            default: random.uniform(-1e-3, 1e-3)
            }
        }
    }

    @Test func expIsWithinOneUlpOfLibm() {
        let xs = sample(200_000, seed: 7)
        var identical = 0
        for x in xs {
            let mine = descent_exp(x), libm = Foundation.exp(x)
            if libm.isInfinite || libm == 0 {
                #expect(mine == libm, "e^\(x)")
                continue
            }
            let d = ulps(mine, libm)
            #expect(d <= 1, "e^\(x): \(mine) vs \(libm)")
            if d == 0 { identical += 1 }
        }
        // Measured: 94% identical; the rest one ulp apart.
        #expect(Double(identical) / Double(xs.count) > 0.9)
    }

    @Test(arguments: [
        (0.0, 1.0), (-0.0, 1.0), (1.0, M_E), (709.78, 0x1.fe9ce5c4c52b4p+1023), (709.79, .infinity),
        (-708.4, Double(bitPattern: 0x000f_f15b_469e_df89)), (-745.13, .leastNonzeroMagnitude), (-745.14, 0),
        (-1e4, 0), (1e4, .infinity), (.infinity, .infinity), (-.infinity, 0),
    ])
    func expAtTheEdges(x: Double, expected: Double) {
        #expect(descent_exp(x) == expected)
    }

    @Test func expOfNaNIsNaN() {
        #expect(descent_exp(.nan).isNaN)
        var out = [0.0]
        descent_sigmoid([Double.nan], &out, 1)
        #expect(out[0].isNaN)
    }

    @Test func vectorisedSigmoidIsThePortableOneAndTheScalarOne() {
        // Every length up to 37 (the vector loop's tail), then a long one with extremes.
        var lengths = Array(0...37)
        lengths.append(10_000)
        var random = RandomSource(seed: 3)
        for n in lengths {
            var z = (0..<n).map { _ in random.uniform(-40, 40) }
            if n == 10_000 { z[0] = 800; z[1] = -800; z[2] = 709.9; z[3] = -709.9; z[4] = 0 }
            var fast = [Double](repeating: -1, count: n), portable = fast
            descent_sigmoid(z, &fast, n)
            descent_sigmoid_portable(z, &portable, n)
            #expect(fast.map(\.bitPattern) == portable.map(\.bitPattern), "n = \(n)")
            #expect(fast.map(\.bitPattern) == z.map { Activation.sigmoid.apply($0).bitPattern }, "n = \(n)")
            for (zi, a) in zip(z, fast) {
                let libm = 1 / (1 + Foundation.exp(-zi))
                // One ulp from e^x, at most one more from rounding 1 + e^x and the division.
                #expect(libm == 0 ? a == 0 : ulps(a, libm) <= 2, "σ(\(zi))")
            }
        }
    }

    @Test func theMatrixPathUsesTheKernel() {
        var random = RandomSource(seed: 5)
        let z = random.normalMatrix(rows: 33, cols: 7, std: 10)
        var a = Matrix(rows: 0, cols: 0)
        Activation.sigmoid.apply(z, into: &a)
        #expect(a.storage == z.storage.map { 1 / (1 + descent_exp(-$0)) })
    }
}

extension KernelTests {
    /// Adam's large-matrix path (streaming stores, from DESCENT_ADAM_STREAMING_MIN entries on)
    /// gives the bits of the one-entry formula torch.optim.Adam computes, at every alignment
    /// of the buffers and for both of PyTorch's lerp forms (β1 < 0.5 and ≥ 0.5).
    @Test(arguments: [(0.9, 0), (0.9, 1), (0.3, 3), (0.999, 2)])
    func adamLargePathMatchesTheFormula(_ beta1: Double, _ offset: Int) {
        let n = Int(DESCENT_ADAM_STREAMING_MIN) + 37
        let p0 = sample(n + offset, seed: 1).map { $0 / 1000 }, g = sample(n + offset, seed: 2).map { $0 / 100 }
        let m0 = sample(n + offset, seed: 3).map { $0 / 1000 }, v0 = sample(n + offset, seed: 4).map { abs($0) / 1e6 }
        var p = p0, m = [Double](repeating: 0, count: n + offset), v = m
        let (scale, beta2, eps, stepSize, root2) = (0.75, 0.999, 1e-8, 0.01 / (1 - beta1 * beta1), (1 - 0.999 * 0.999).squareRoot())
        p.withUnsafeMutableBufferPointer { pp in
            m.withUnsafeMutableBufferPointer { mp in
                v.withUnsafeMutableBufferPointer { vp in
                    descent_adam_update(n, pp.baseAddress! + offset, Array(m0[offset...]), mp.baseAddress! + offset,
                                        Array(v0[offset...]), vp.baseAddress! + offset, Array(g[offset...]),
                                        scale, beta1, beta2, eps, stepSize, root2)
                }
            }
        }
        let w = 1 - beta1
        var wrong = 0
        for i in offset..<(n + offset) {
            let gi = g[i] * scale
            let mi = w < 0.5 ? m0[i] + w * (gi - m0[i]) : gi - (gi - m0[i]) * (1 - w)
            let vi = v0[i] * beta2 + gi * gi * (1 - beta2)
            let pi = p0[i] + -stepSize * (mi / ((vi.squareRoot()) / root2 + eps))
            if mi.bitPattern != m[i].bitPattern || vi.bitPattern != v[i].bitPattern || pi.bitPattern != p[i].bitPattern { wrong += 1 }
        }
        #expect(wrong == 0)
    }
}

extension KernelTests {
    /// A first update reads its zero moments from a small block instead of zero buffers the
    /// size of the parameters (NULL old buffers): the bits must be those of real zero buffers,
    /// on both sides of the streaming threshold, for Adam and for RMSprop with and without
    /// momentum.
    @Test(arguments: [5, 513, Int(DESCENT_ADAM_STREAMING_MIN) + 1029])
    func firstUpdateWithoutZeroBuffersGivesTheSameBits(_ n: Int) {
        let p0 = sample(n, seed: 7).map { $0 / 1000 }, g = sample(n, seed: 8).map { $0 / 100 }
        let zeros = [Double](repeating: 0, count: n)
        func adam(withBuffers: Bool) -> [[Double]] {
            var p = p0, m = zeros, v = zeros
            descent_adam_update(n, &p, withBuffers ? zeros : nil, &m, withBuffers ? zeros : nil, &v, g,
                                0.5, 0.9, 0.999, 1e-8, 0.01 / 0.1, (1 - 0.999).squareRoot())
            return [p, m, v]
        }
        #expect(adam(withBuffers: false).map { $0.map(\.bitPattern) } == adam(withBuffers: true).map { $0.map(\.bitPattern) })
        for momentum in [0.0, 0.9] {
            func rmsprop(withBuffers: Bool) -> [[Double]] {
                var p = p0, v = zeros, buf = zeros
                if momentum == 0 {
                    descent_rmsprop_update(n, &p, withBuffers ? zeros : nil, &v, nil, nil, g, 0.5, 0.99, 1e-8, 0, 0.01)
                } else {
                    descent_rmsprop_update(n, &p, withBuffers ? zeros : nil, &v, withBuffers ? zeros : nil, &buf, g,
                                           0.5, 0.99, 1e-8, momentum, 0.01)
                }
                return [p, v, buf]
            }
            #expect(rmsprop(withBuffers: false).map { $0.map(\.bitPattern) } == rmsprop(withBuffers: true).map { $0.map(\.bitPattern) })
        }
    }

    /// `back`'s snapshot copy (streaming stores from DESCENT_COPY_FOR_LATER_MIN entries on)
    /// copies every entry, NaN and -0 included, at an odd destination alignment too.
    @Test(arguments: [3, Int(DESCENT_COPY_FOR_LATER_MIN) + 5])
    func copyForLaterCopiesEveryEntry(_ n: Int) {
        var source = sample(n, seed: 9)
        source[0] = -0.0
        source[n - 1] = .nan
        for offset in [0, 1] {
            var destination = [Double](repeating: 1, count: n + offset + 1)
            destination.withUnsafeMutableBufferPointer { d in
                Matrix(rows: 1, cols: n, storage: source).copyEntries(forLaterTo: d.baseAddress! + offset)
            }
            #expect(destination[offset..<(offset + n)].map(\.bitPattern) == source.map(\.bitPattern))
            #expect(destination[n + offset] == 1, "the copy wrote past its end")
        }
    }
}

extension KernelTests {
    /// The in-place updates (a step no snapshot keeps) read the old moments from the buffers
    /// they overwrite: the bits must be those of the out-of-place updates and of PyTorch's
    /// formula written out here, on both sides of the streaming threshold, for both of
    /// Adam's lerp forms and RMSprop with and without momentum.
    @Test(arguments: [5, 513, Int(DESCENT_ADAM_STREAMING_MIN) + 1029])
    func inPlaceUpdatesGiveTheSameBits(_ n: Int) {
        let p0 = sample(n, seed: 11).map { $0 / 1000 }, g = sample(n, seed: 12).map { $0 / 100 }
        let m0 = sample(n, seed: 13).map { $0 / 1000 }, v0 = sample(n, seed: 14).map { abs($0) / 1e6 }
        let b0 = sample(n, seed: 15).map { $0 / 10 }
        func bits(_ arrays: [[Double]]) -> [[UInt64]] { arrays.map { $0.map(\.bitPattern) } }
        for beta1 in [0.9, 0.3] {
            let constants = (scale: 0.75, beta2: 0.999, eps: 1e-8, step: 0.01 / (1 - beta1), root: (1 - 0.999).squareRoot())
            var p = p0, m = m0, v = v0
            descent_adam_update(n, &p, m0, &m, v0, &v, g, constants.scale, beta1, constants.beta2, constants.eps, constants.step, constants.root)
            let outOfPlace = [p, m, v]
            (p, m, v) = (p0, m0, v0)
            descent_adam_update_in_place(n, &p, &m, &v, g, constants.scale, beta1, constants.beta2, constants.eps, constants.step, constants.root)
            #expect(bits([p, m, v]) == bits(outOfPlace))
            // and torch.optim.Adam's formula, entry by entry, written out here independently
            let w = 1 - beta1
            var wrong = 0
            for i in 0..<n {
                let gi = g[i] * constants.scale
                let mi = w < 0.5 ? m0[i] + w * (gi - m0[i]) : gi - (gi - m0[i]) * (1 - w)
                let vi = v0[i] * constants.beta2 + gi * gi * (1 - constants.beta2)
                let pi = p0[i] + -constants.step * (mi / (vi.squareRoot() / constants.root + constants.eps))
                if mi.bitPattern != m[i].bitPattern || vi.bitPattern != v[i].bitPattern || pi.bitPattern != p[i].bitPattern { wrong += 1 }
            }
            #expect(wrong == 0)
        }
        for momentum in [0.0, 0.9] {
            var p = p0, v = v0, buf = b0
            if momentum == 0 {
                descent_rmsprop_update(n, &p, v0, &v, nil, nil, g, 0.5, 0.99, 1e-8, 0, 0.01)
            } else {
                descent_rmsprop_update(n, &p, v0, &v, b0, &buf, g, 0.5, 0.99, 1e-8, momentum, 0.01)
            }
            let outOfPlace = [p, v, buf]
            (p, v, buf) = (p0, v0, b0)
            if momentum == 0 {
                descent_rmsprop_update_in_place(n, &p, &v, nil, g, 0.5, 0.99, 1e-8, 0, 0.01)
            } else {
                descent_rmsprop_update_in_place(n, &p, &v, &buf, g, 0.5, 0.99, 1e-8, momentum, 0.01)
            }
            #expect(bits([p, v, buf]) == bits(outOfPlace))
            // and torch.optim.RMSprop's formula, entry by entry
            var wrong = 0
            for i in 0..<n {
                let gi = g[i] * 0.5
                let vi = v0[i] * 0.99 + gi * gi * (1 - 0.99)
                let bi = momentum == 0 ? b0[i] : b0[i] * momentum + gi / (vi.squareRoot() + 1e-8)
                let pi = momentum == 0 ? p0[i] + -0.01 * (gi / (vi.squareRoot() + 1e-8)) : p0[i] + -0.01 * bi
                if vi.bitPattern != v[i].bitPattern || bi.bitPattern != buf[i].bitPattern || pi.bitPattern != p[i].bitPattern { wrong += 1 }
            }
            #expect(wrong == 0)
        }
    }
}
