import DescentCore

/// The states before recent steps, for `back`: weights, biases, velocities, step counter and
/// batch position. Each snapshot is a flat copy of the parameters into a preallocated ring, so
/// taking one costs a memcpy, not an allocation. Bounded twice: at most `maxSteps` snapshots
/// and at most `maxBytes` of them, the oldest dropped first, so a long `train` does not grow
/// memory without limit. (The last gradients are not kept: they belong to the undone step.)
struct UndoHistory: Sendable {
    static let maxSteps = 1000
    static let maxBytes = 256 << 20

    /// Doubles per snapshot: weights and biases, then velocities of both.
    private var width = 0
    private var capacity = 0
    private var values: [Double] = []
    private var meta: [(step: Int, cursor: BatchCursor)] = []
    /// Ring positions: `head` is the next slot to write, `count` how many are kept.
    private var head = 0
    private(set) var count = 0

    /// How many snapshots a network of this size may keep.
    static func capacity(parameters: Int) -> Int {
        let bytes = max(1, parameters * 2 * 8)
        return max(1, min(maxSteps, maxBytes / bytes))
    }

    mutating func removeAll() {
        count = 0
        head = 0
    }

    /// Keeps the state `state` is in now (call before a step changes it).
    mutating func push(_ state: TrainingState) {
        let network = state.network
        let needed = network.layers.reduce(0) { $0 + $1.weights.count + $1.bias.count } * 2
        if needed != width || capacity == 0 {
            width = needed
            capacity = UndoHistory.capacity(parameters: needed / 2)
            values = Array(repeating: 0, count: width * capacity)
            meta = Array(repeating: (0, state.cursor), count: capacity)
            head = 0
            count = 0
        }
        values.withUnsafeMutableBufferPointer { out in
            var offset = head * width
            func copy(_ m: Matrix) {
                m.storage.withUnsafeBufferPointer { src in
                    for i in src.indices { out[offset + i] = src[i] }
                }
                offset += m.count
            }
            for layer in network.layers { copy(layer.weights); copy(layer.bias) }
            for l in network.layers.indices { copy(state.velocity.weights[l]); copy(state.velocity.biases[l]) }
        }
        meta[head] = (state.step, state.cursor)
        head = (head + 1) % capacity
        count = min(count + 1, capacity)
    }

    /// Forgets the newest snapshot (a step that was pushed for but not applied).
    mutating func dropLast() {
        guard count > 0 else { return }
        head = (head - 1 + capacity) % capacity
        count -= 1
    }

    /// The state `n` steps ago, built on a copy of `template` (same network shape).
    func state(stepsAgo n: Int, template: TrainingState) -> TrainingState {
        var copy = self
        var state = template
        copy.pop(n, into: &state)
        return state
    }

    /// Puts `state` back as it was `n` steps ago (n ≤ count), dropping that snapshot and every
    /// later one. The network's shape must be the one the snapshots were taken of.
    mutating func pop(_ n: Int, into state: inout TrainingState) {
        precondition(n >= 1 && n <= count)
        let slot = (head - n + capacity * 2) % capacity
        values.withUnsafeBufferPointer { src in
            var offset = slot * width
            func restore(_ m: inout Matrix) {
                m.storage.withUnsafeMutableBufferPointer { dst in
                    for i in dst.indices { dst[i] = src[offset + i] }
                }
                offset += m.count
            }
            for l in state.network.layers.indices {
                restore(&state.network.layers[l].weights)
                restore(&state.network.layers[l].bias)
            }
            for l in state.network.layers.indices {
                restore(&state.velocity.weights[l])
                restore(&state.velocity.biases[l])
            }
        }
        state.step = meta[slot].step
        state.cursor = meta[slot].cursor
        state.gradients = nil
        head = slot
        count -= n
    }
}
