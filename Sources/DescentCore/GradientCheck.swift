// GradientCheck: backprop's gradients compared with finite differences, layer by layer.

/// Backprop checked against finite differences, per layer.
///
/// Each entry is measured two ways, because each central difference has its own blind spot:
/// - two-point, (L(θ+h) − L(θ−h)) / 2h with h = 1e-5: round-off ε·L/h ≈ 1e-11, which is a
///   relative error of 1e-4 on the 1e-7 gradients of a deep, vanishing network;
/// - four-point, (8(L(θ+h) − L(θ−h)) − (L(θ+2h) − L(θ−2h))) / 12h with h = 1e-3: truncation
///   O(h⁴) ≈ 1e-12 and round-off ≈ 1e-13, but a step that large crosses a ReLU kink more often.
/// The estimate closer to backprop's value is used; a wrong gradient misses both. Differences
/// are taken before scaling, so a parameter that does not affect the loss gets exactly 0.
///
/// Below about 1e-7 even the better estimate carries round-off of the loss itself (ε·L/h per
/// entry, about 1e-13 for a loss near 1), which is a large *relative* error on a vanishing
/// gradient although backprop is right. A layer whose difference is within that resolution
/// (`Verdict.withinResolution`) is one finite differences cannot check more closely, not a
/// mismatch.
public struct GradientCheck: Sendable {
    public enum Verdict: Equatable, Sendable {
        /// Relative error below 1e-6.
        case agrees
        /// Relative error above 1e-6, but the difference is within what finite differences
        /// resolve at this loss (round-off): the gradients are too small to check more closely.
        case withinResolution
        case mismatch
    }

    public struct LayerResult: Equatable, Sendable {
        public var layer: Int
        /// ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖), over W, b (and batch norm's
        /// scale and shift) together.
        public var relativeError: Double
        public var analyticNorm: Double
        public var numericNorm: Double
        /// ‖analytic − numeric‖.
        public var difference: Double = 0
        /// The difference that round-off alone can make over this layer's entries.
        public var resolution: Double = 0
        /// Entries checked (W, b, scale, shift).
        public var entries: Int = 0

        public var verdict: Verdict {
            if relativeError < GradientCheck.passingRelativeError { return .agrees }
            return difference <= resolution ? .withinResolution : .mismatch
        }
    }

    public static let passingRelativeError = 1e-6
    /// Round-off of one finite-difference estimate is about ε·|L|/h; the loss's own rounding
    /// (a sum over rows and layers) adds to it, hence the margin. Measured on deep sigmoid,
    /// tanh and batch-norm nets (bce, ce, mse): 0.5 to 2 times ε·|L|/h an entry. A wrong
    /// gradient of size g is off by about g, so anything wrong by more than ~20·ε·|L|/h
    /// (3e-12 for a loss near 1) is still caught.
    public static let roundOffMargin = 20.0

    /// The round-off one entry's estimate may carry at loss value `loss`.
    public static func resolutionPerEntry(loss: Double) -> Double {
        roundOffMargin * Double.ulpOfOne * Swift.max(abs(loss), Double.leastNormalMagnitude) / largeStep
    }

    public static let smallStep = 1e-5
    public static let largeStep = 1e-3

    public var results: [LayerResult]

    public var worst: Double { results.map(\.relativeError).max() ?? 0 }
    /// The worst relative error among the layers that agree (nil if none does).
    public var worstAgreeing: Double? { results.filter { $0.verdict == .agrees }.map(\.relativeError).max() }
    public var passes: Bool { results.allSatisfy { $0.verdict != .mismatch } }
    /// The loss at the checked weights.
    public private(set) var loss = 0.0

    /// Checks backprop's gradients at `state` on the whole data set. `shouldStop` is polled
    /// between layers.
    public init(state: TrainingState, data: Dataset, config: TrainingConfig, shouldStop: () -> Bool = { false }) {
        var workspace = StepWorkspace()
        var analytic = Gradients(zerosLike: state.network)
        _ = state.lossAndGradients(x: data.x, y: data.y, config: config, workspace: &workspace, into: &analytic)
        self.init(analytic: analytic, state: state, data: data, config: config, shouldStop: shouldStop)
    }

    /// Checks the given `analytic` gradients against finite differences of the loss.
    public init(analytic: Gradients, state: TrainingState, data: Dataset, config: TrainingConfig,
                shouldStop: () -> Bool = { false }) {
        let h = GradientCheck.smallStep, H = GradientCheck.largeStep
        var probe = state
        var results: [LayerResult] = []
        let loss = state.loss(on: data, config: config, training: true)
        for l in state.network.layers.indices {
            if shouldStop() { break }
            var diff = 0.0, aNorm = 0.0, nNorm = 0.0, entries = 0
            func check(_ keyPath: WritableKeyPath<Layer, Matrix>, _ analyticValues: Matrix) {
                entries += analyticValues.count
                for i in 0..<analyticValues.count {
                    let original = probe.network.layers[l][keyPath: keyPath].storage[i]
                    func loss(at offset: Double) -> Double {
                        probe.network.layers[l][keyPath: keyPath].storage[i] = original + offset
                        // As a step computes it: batch norm with the batch's statistics.
                        return probe.loss(on: data, config: config, training: true)
                    }
                    let twoPoint = (loss(at: h) - loss(at: -h)) / (2 * h)
                    let fourPoint = (8 * (loss(at: H) - loss(at: -H)) - (loss(at: 2 * H) - loss(at: -2 * H))) / (12 * H)
                    probe.network.layers[l][keyPath: keyPath].storage[i] = original
                    let a = analyticValues.storage[i]
                    let numeric = abs(a - twoPoint) <= abs(a - fourPoint) ? twoPoint : fourPoint
                    diff += (a - numeric) * (a - numeric)
                    aNorm += a * a
                    nNorm += numeric * numeric
                }
            }
            check(\.weights, analytic.weights[l])
            if state.network.layers[l].hasBias { check(\.bias, analytic.biases[l]) }
            if state.network.layers[l].batchNorm != nil {
                check(\.batchNorm!.scale, analytic.scales[l])
                check(\.batchNorm!.shift, analytic.shifts[l])
            }
            let a = aNorm.squareRoot(), n = nNorm.squareRoot()
            let relative = a + n == 0 ? 0 : diff.squareRoot() / (a + n)
            results.append(LayerResult(layer: l + 1, relativeError: relative, analyticNorm: a, numericNorm: n,
                                       difference: diff.squareRoot(),
                                       resolution: GradientCheck.resolutionPerEntry(loss: loss) * Double(entries).squareRoot(),
                                       entries: entries))
        }
        self.results = results
        self.loss = loss
    }
}
