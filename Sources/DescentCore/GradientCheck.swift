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
public struct GradientCheck: Sendable {
    public struct LayerResult: Equatable, Sendable {
        public var layer: Int
        /// ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖), over W, b (and batch norm's
        /// scale and shift) together.
        public var relativeError: Double
        public var analyticNorm: Double
        public var numericNorm: Double
    }

    public static let smallStep = 1e-5
    public static let largeStep = 1e-3

    public var results: [LayerResult]

    public var worst: Double { results.map(\.relativeError).max() ?? 0 }

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
        for l in state.network.layers.indices {
            if shouldStop() { break }
            var diff = 0.0, aNorm = 0.0, nNorm = 0.0
            func check(_ keyPath: WritableKeyPath<Layer, Matrix>, _ analyticValues: Matrix) {
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
            results.append(LayerResult(layer: l + 1, relativeError: relative, analyticNorm: a, numericNorm: n))
        }
        self.results = results
    }
}
