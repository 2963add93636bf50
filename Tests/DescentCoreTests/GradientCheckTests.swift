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
}
