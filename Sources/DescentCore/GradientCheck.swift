/// Backprop checked against central finite differences, (L(θ+h) − L(θ−h)) / 2h, per layer.
public struct GradientCheck: Sendable {
    public struct LayerResult: Equatable, Sendable {
        public var layer: Int
        /// ‖analytic − numeric‖ / max(‖analytic‖ + ‖numeric‖, tiny), over W and b together.
        public var relativeError: Double
        public var analyticNorm: Double
        public var numericNorm: Double
    }

    public var results: [LayerResult]

    public var worst: Double { results.map(\.relativeError).max() ?? 0 }

    /// Checks every parameter of every layer (2 forward passes per entry) on the whole data.
    /// `shouldStop` is polled between layers.
    public init(state: TrainingState, data: Dataset, config: TrainingConfig, h: Double = 1e-5,
                shouldStop: () -> Bool = { false }) {
        var workspace = StepWorkspace()
        var analytic = Gradients(zerosLike: state.network)
        _ = state.lossAndGradients(x: data.x, y: data.y, config: config, workspace: &workspace, into: &analytic)
        var probe = state
        var results: [LayerResult] = []
        for l in state.network.layers.indices {
            if shouldStop() { break }
            var diff = 0.0, aNorm = 0.0, nNorm = 0.0
            func check(_ keyPath: WritableKeyPath<Layer, Matrix>, _ analyticValues: Matrix) {
                for i in 0..<analyticValues.count {
                    let original = probe.network.layers[l][keyPath: keyPath].storage[i]
                    probe.network.layers[l][keyPath: keyPath].storage[i] = original + h
                    let plus = probe.loss(on: data, config: config)
                    probe.network.layers[l][keyPath: keyPath].storage[i] = original - h
                    let minus = probe.loss(on: data, config: config)
                    probe.network.layers[l][keyPath: keyPath].storage[i] = original
                    let numeric = (plus - minus) / (2 * h)
                    let a = analyticValues.storage[i]
                    diff += (a - numeric) * (a - numeric)
                    aNorm += a * a
                    nNorm += numeric * numeric
                }
            }
            check(\.weights, analytic.weights[l])
            if state.network.layers[l].hasBias { check(\.bias, analytic.biases[l]) }
            let a = aNorm.squareRoot(), n = nNorm.squareRoot()
            let denominator = Swift.max(a + n, 1e-300)
            results.append(LayerResult(layer: l + 1, relativeError: diff.squareRoot() / denominator,
                                       analyticNorm: a, numericNorm: n))
        }
        self.results = results
    }
}
