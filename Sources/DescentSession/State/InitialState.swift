import DescentCore

/// What `reset` returns to. Usually a recipe rather than a copy: the step-0 weights are drawn
/// again from the same state of the random generator, bit for bit the same, so that a big net
/// does not carry a second copy of its parameters. After `set` at step 0, the state itself.
enum InitialState: Equatable, Sendable {
    case drawn(architecture: Architecture, initializer: Initializer, random: RandomSource, shuffleSeed: UInt64)
    case kept(TrainingState)

    /// The state at step 0.
    var state: TrainingState {
        switch self {
        case .drawn(let architecture, let initializer, var random, let shuffleSeed):
            var network = Network(architecture)
            network.initialize(with: initializer, random: &random)
            return TrainingState(network: network, shuffleSeed: shuffleSeed)
        case .kept(let state):
            return state
        }
    }
}
