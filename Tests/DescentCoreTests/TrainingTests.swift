import Testing
@testable import DescentCore

@Suite struct TrainingTests {
    /// The article's NumPy example, to the last digit.
    @Test func articleExample() {
        let data = Dataset(x: Matrix([[1], [2], [3], [4]]), y: Matrix(column: [1, 2, 3, 4]))
        var state = TrainingState(network: Network(Architecture(inputs: 1, layers: [LayerSpec(width: 1, hasBias: false)])), shuffleSeed: 0)
        let config = TrainingConfig()  // mse, lr 0.01, full batch
        var workspace = StepWorkspace()
        let first = state.step(on: data, config: config, workspace: &workspace)
        #expect(first.batchLoss == 7.5)
        #expect(state.gradients!.weights[0] == Matrix([[-15]]))
        #expect(state.network.layers[0].weights == Matrix([[0.15]]))
        #expect(state.loss(on: data, config: config) == 5.418749999999999)
        _ = state.step(on: data, config: config, workspace: &workspace)
        // NumPy's own values (θ prints as 0.2775 and 0.385875 at 6 digits).
        #expect(state.gradients!.weights[0] == Matrix([[-12.75]]))
        #expect(state.network.layers[0].weights[0, 0] == 0.27749999999999997)
        #expect(state.loss(on: data, config: config) == 3.915046875)
        _ = state.step(on: data, config: config, workspace: &workspace)
        #expect(state.gradients!.weights[0] == Matrix([[-10.8375]]))
        #expect(state.network.layers[0].weights[0, 0] == 0.38587499999999997)
        for _ in 3..<1000 { _ = state.step(on: data, config: config, workspace: &workspace) }
        #expect(state.network.layers[0].weights[0, 0] == 0.9999999999999997)
        #expect(state.step == 1000)
    }

    @Test func schedules() {
        #expect(Schedule.fixed.rate(base: 0.1, step: 50) == 0.1)
        #expect(Schedule.exponential(gamma: 0.5).rate(base: 0.1, step: 0) == 0.1)
        #expect(Schedule.exponential(gamma: 0.5).rate(base: 0.1, step: 3) == 0.0125)
        let stepDecay = Schedule.step(every: 10, gamma: 0.5)
        #expect(stepDecay.rate(base: 1, step: 9) == 1)
        #expect(stepDecay.rate(base: 1, step: 10) == 0.5)
        #expect(stepDecay.rate(base: 1, step: 25) == 0.25)
    }

    /// With clipping, the update is lr · c · g/‖g‖; the shown gradient stays unclipped.
    @Test func clippingScalesTheUpdateNotTheShownGradient() {
        let data = Dataset(x: Matrix([[1], [2], [3], [4]]), y: Matrix(column: [1, 2, 3, 4]))
        var state = TrainingState(network: Network(Architecture(inputs: 1, layers: [LayerSpec(width: 1, hasBias: false)])), shuffleSeed: 0)
        var config = TrainingConfig()
        config.clipNorm = 1.5
        var workspace = StepWorkspace()
        let report = state.step(on: data, config: config, workspace: &workspace)
        #expect(report.clipped)
        #expect(report.gradientNorm == 15)
        #expect(state.gradients!.weights[0] == Matrix([[-15]]))
        #expect(abs(state.network.layers[0].weights[0, 0] - 0.015) < 1e-17)
    }

    /// Momentum by hand on the article's problem: v₁ = g₁, v₂ = μ v₁ + g₂.
    @Test func momentumFollowsPyTorchConvention() {
        let data = Dataset(x: Matrix([[1], [2], [3], [4]]), y: Matrix(column: [1, 2, 3, 4]))
        var state = TrainingState(network: Network(Architecture(inputs: 1, layers: [LayerSpec(width: 1, hasBias: false)])), shuffleSeed: 0)
        var config = TrainingConfig()
        config.optimizer = .gd(momentum: 0.9)
        var workspace = StepWorkspace()
        _ = state.step(on: data, config: config, workspace: &workspace)
        #expect(state.network.layers[0].weights[0, 0] == 0.15)
        _ = state.step(on: data, config: config, workspace: &workspace)
        // g₂ = 2/4 · Σ x(0.15x − x) = −0.85·15 = −12.75; v₂ = 0.9·(−15) − 12.75 = −26.25
        #expect(abs(state.velocity!.weights[0][0, 0] - -26.25) < 1e-12)
        #expect(abs(state.network.layers[0].weights[0, 0] - 0.4125) < 1e-12)
    }

    /// L2: loss + λ/(2m)Σ‖W‖² with m = the number of weight entries, gradient + (λ/m)W.
    @Test func l2TermUsesTheNumberOfWeights() {
        var network = Network(Architecture(inputs: 2, layers: [LayerSpec(width: 3), LayerSpec(width: 1)]))
        network.layers[0].weights = Matrix([[1, 0, 0], [0, 0, 0]])
        network.layers[1].weights = Matrix([[2], [0], [0]])
        let state = TrainingState(network: network, shuffleSeed: 0)
        var config = TrainingConfig()
        config.l2 = 0.9
        // m = 6 + 3 = 9; Σ‖W‖² = 1 + 4 = 5; term = 0.9/18 · 5 = 0.25
        #expect(abs(state.l2Penalty(config) - 0.25) < 1e-15)
    }

    @Test func batchesInOrderWrapAndShrink() {
        var cursor = BatchCursor(seed: 1)
        let batches = (0..<4).map { _ in cursor.next(rows: 5, batch: .rows(2), shuffle: false) }
        #expect(batches == [[0, 1], [2, 3], [4], [0, 1]])
        #expect(cursor.epoch == 1)
    }

    @Test func shuffledBatchesCoverEveryRowOncePerEpoch() {
        var cursor = BatchCursor(seed: 1)
        var seen: [Int] = []
        for _ in 0..<4 { seen += cursor.next(rows: 10, batch: .rows(3), shuffle: true) }
        #expect(seen.sorted() == Array(0..<10))
        #expect(seen != Array(0..<10))
        #expect(cursor.epoch == 1)
    }

    /// Ten linear layers of width 16 with N(0, 1) weights diverge; the step that went
    /// non-finite is reported, not applied, and nothing crashes.
    @Test func divergenceIsReportedNotApplied() {
        var random = RandomSource(seed: 1)
        let arch = Architecture(inputs: 16, layers: [LayerSpec(width: 16, count: 10), LayerSpec(width: 1)])
        var network = Network(arch)
        network.initialize(with: .normal(std: 1), random: &random)
        let data = Dataset(x: random.normalMatrix(rows: 32, cols: 16), y: random.normalMatrix(rows: 32, cols: 1))
        var state = TrainingState(network: network, shuffleSeed: 0)
        var config = TrainingConfig()
        config.learningRate = 0.01
        var workspace = StepWorkspace()
        var event: NonFiniteEvent?
        for _ in 0..<100 {
            let before = state.network
            let report = state.step(on: data, config: config, workspace: &workspace)
            if let e = report.nonFinite {
                event = e
                #expect(state.network == before)
                break
            }
        }
        let e = try! #require(event)
        #expect(e.step == state.step + 1)
        #expect(e.step > 1)
        #expect(state.network.layers.allSatisfy { $0.weights.allFinite })
    }
}

/// The δ chain `explain` shows is the one backprop uses: Aₗ₋₁ᵀ δₗ gives back every dWₗ.
@Suite struct DeltaChainTests {
    @Test func deltaChainReproducesTheGradients() {
        var random = RandomSource(seed: 21)
        var network = Network(Architecture(inputs: 3, layers: [LayerSpec(width: 4, activation: .sigmoid, count: 3), LayerSpec(width: 2, activation: .tanh)]))
        network.initialize(with: .xavier, random: &random)
        let x = random.normalMatrix(rows: 5, cols: 3), y = random.normalMatrix(rows: 5, cols: 2)
        let state = TrainingState(network: network, shuffleSeed: 0)
        let config = TrainingConfig()
        var workspace = StepWorkspace()
        var gradients = Gradients(zerosLike: network)
        _ = state.lossAndGradients(x: x, y: y, config: config, workspace: &workspace, into: &gradients)
        let (trace, delta) = state.outputDelta(x: x, y: y, config: config)
        let chain = network.deltaChain(trace: trace, outputDelta: delta)
        for l in network.layers.indices {
            let dW = Matrix.product(trace.layerInput(l), chain.deltas[l], transposeA: true)
            #expect(dW.zipped(with: gradients.weights[l], -)!.norm <= 1e-14 * max(1, dW.norm))
            #expect(chain.deltas[l].columnSums.zipped(with: gradients.biases[l], -)!.norm <= 1e-14)
        }
        #expect(chain.upstream[network.depth - 1] == nil)
        #expect(chain.upstream[0] != nil)
    }
}
