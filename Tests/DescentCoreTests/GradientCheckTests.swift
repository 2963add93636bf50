import Testing
@testable import DescentCore

/// Backprop against central finite differences, as a property over many random networks:
/// every activation × every loss × with and without bias × depth 1 to 6, each case with
/// several seeds (random widths, weights, data and, sometimes, an L2 term).
@Suite struct GradientCheckTests {
    static let activations: [Activation] = [.linear, .sigmoid, .tanh, .relu, .leakyReLU(slope: 0.01), .leakyReLU(slope: 0.2)]

    struct Case: CustomTestStringConvertible, Sendable {
        var activation: Activation
        var loss: LossKind
        var bias: Bool
        var depth: Int
        var testDescription: String { "\(activation) \(loss.rawValue) \(bias ? "bias" : "nobias") depth \(depth)" }
    }

    static let cases: [Case] = activations.flatMap { a in
        LossKind.allCases.flatMap { loss in
            [true, false].flatMap { bias in (1...6).map { Case(activation: a, loss: loss, bias: bias, depth: $0) } }
        }
    }

    @Test(arguments: cases)
    func backpropMatchesFiniteDifferences(_ c: Case) {
        for trial in 0..<3 {
            let nameHash = c.testDescription.utf8.reduce(UInt64(17)) { $0 &* 31 &+ UInt64($1) }
            var random = RandomSource(seed: nameHash &+ UInt64(trial) &* 7919)
            let inputs = 1 + random.integer(below: 4)
            let classes = 2 + random.integer(below: 3)
            var layers: [LayerSpec] = []
            for l in 0..<c.depth {
                let isLast = l == c.depth - 1
                var spec = LayerSpec(width: 1 + random.integer(below: 5), activation: c.activation, hasBias: c.bias)
                if isLast {
                    switch c.loss {
                    case .mse: spec.width = 1 + random.integer(below: 3)
                    case .bce: spec.width = 1 + random.integer(below: 2); spec.activation = .sigmoid
                    case .ce: spec.width = classes; spec.activation = .linear
                    }
                }
                layers.append(spec)
            }
            var network = Network(Architecture(inputs: inputs, layers: layers))
            network.initialize(with: .normal(std: 0.8), random: &random)
            if c.bias {
                for l in network.layers.indices {
                    network.layers[l].bias = random.normalMatrix(rows: 1, cols: network.layers[l].outputs, std: 0.3)
                }
            }
            let m = 3 + random.integer(below: 4)
            let x = random.normalMatrix(rows: m, cols: inputs)
            let k = network.outputs
            let y: Matrix
            switch c.loss {
            case .mse: y = random.normalMatrix(rows: m, cols: k)
            case .bce: y = Matrix(rows: m, cols: k, storage: (0..<(m * k)).map { _ in Double(random.integer(below: 2)) })
            case .ce: y = Matrix(column: (0..<m).map { _ in Double(random.integer(below: k)) })
            }
            var config = TrainingConfig()
            config.loss = c.loss
            if trial == 2 { config.l2 = 0.3 }
            let data = Dataset(x: x, y: y)
            let state = TrainingState(network: network, shuffleSeed: 0)
            #expect(state.mismatch(with: data, config: config) == nil)
            let check = GradientCheck(state: state, data: data, config: config)
            #expect(check.results.count == c.depth)
            #expect(check.worst < 1e-6, "trial \(trial): \(check.results.map { ($0.relativeError, $0.analyticNorm, $0.numericNorm) })")
        }
    }

    /// The check is not vacuous: a gradient that is off by 0.1% in one entry is caught.
    @Test func aWrongGradientIsCaught() {
        var random = RandomSource(seed: 5)
        var network = Network(Architecture(inputs: 2, layers: [LayerSpec(width: 3, activation: .tanh), LayerSpec(width: 1)]))
        network.initialize(with: .xavier, random: &random)
        let data = Dataset(x: random.normalMatrix(rows: 4, cols: 2), y: random.normalMatrix(rows: 4, cols: 1))
        let state = TrainingState(network: network, shuffleSeed: 0)
        var workspace = StepWorkspace()
        var gradients = Gradients(zerosLike: network)
        _ = state.lossAndGradients(x: data.x, y: data.y, config: TrainingConfig(), workspace: &workspace, into: &gradients)
        let right = GradientCheck(analytic: gradients, state: state, data: data, config: TrainingConfig())
        #expect(right.worst < 1e-9)
        gradients.weights[0].storage[2] *= 1.001
        let wrong = GradientCheck(analytic: gradients, state: state, data: data, config: TrainingConfig())
        #expect(wrong.results[0].relativeError > 1e-5)
        #expect(wrong.results[1].relativeError < 1e-9)
    }

    /// A deep sigmoid net's first layers have gradients of 1e-10 to 1e-8, where even the better
    /// finite difference carries the loss's round-off (about 1e-13 an entry): a large relative
    /// error, yet backprop is right. They are "within resolution", not a mismatch; and an
    /// entry of layer 3 (gradient 1.3e-8) wrong by half its size is still caught.
    @Test func vanishingGradientsAreWithinResolutionNotMismatches() {
        var random = RandomSource(seed: 1)
        let layers = Array(repeating: LayerSpec(width: 16, activation: .sigmoid), count: 10) + [LayerSpec(width: 1, activation: .sigmoid)]
        var network = Network(Architecture(inputs: 2, layers: layers))
        network.initialize(with: .standard, random: &random)
        let x = random.normalMatrix(rows: 50, cols: 2)
        let data = Dataset(x: x, y: Matrix(column: (0..<50).map { Double($0 % 2) }))
        var config = TrainingConfig()
        config.loss = .bce
        let state = TrainingState(network: network, shuffleSeed: 0)
        var workspace = StepWorkspace()
        var gradients = Gradients(zerosLike: network)
        _ = state.lossAndGradients(x: data.x, y: data.y, config: config, workspace: &workspace, into: &gradients)
        let check = GradientCheck(analytic: gradients, state: state, data: data, config: config)
        #expect(check.results[0].analyticNorm < 1e-7)
        #expect(check.results[0].relativeError > 1e-6, "the relative error is not small: the case this test is about")
        #expect(check.results[0].verdict == .withinResolution)
        #expect(check.results.last!.verdict == .agrees)
        #expect(check.passes)
        #expect(check.results[2].analyticNorm < 1e-7 && check.results[2].verdict == .withinResolution)
        gradients.weights[2].storage[3] *= 1.5
        let wrong = GradientCheck(analytic: gradients, state: state, data: data, config: config)
        #expect(wrong.results[2].verdict == .mismatch)
        #expect(!wrong.passes)
    }
}
