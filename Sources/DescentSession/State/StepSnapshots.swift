import DescentCore

/// The states before recent steps, for `back`: weights, biases, velocities, step counter and
/// batch position. Each snapshot is a flat copy of the parameters into a ring reserved when
/// the net first steps, so taking one costs a memcpy, not an allocation. Bounded twice: at most `maxSteps`
/// snapshots and at most `budget` bytes of weights and biases (`limit history`; velocities,
/// kept only while momentum is on, take as much again), the oldest dropped first, so a long
/// `train` does not grow memory without limit. Always at least one step fits. The last
/// gradients are not kept: they belong to the undone step.
///
/// The default budget (8 MiB) is small on purpose: nets of up to 1048 parameters get the full
/// 1000 steps, the lessons' biggest (1969) 532, and a big one (W3 in benchmarks/, 670,000
/// parameters) one step, instead of tripling the memory the step itself needs.
struct StepSnapshots: Sendable {
    static let maxSteps = 1000
    static let defaultBudget = 8 << 20

    /// Bytes of parameter copies the ring may hold.
    private(set) var budget = StepSnapshots.defaultBudget

    private struct Meta: Sendable {
        var step: Int
        var cursor: BatchCursor
        var hasVelocity: Bool
    }

    /// Doubles per parameter copy (weights and biases), one copy per slot.
    private var parameters = 0
    private var capacity = 0
    private var values: [Double] = []
    /// Velocities, in the same slots, allocated only once momentum is used.
    private var velocities: [Double] = []
    private var meta: [Meta] = []
    /// Ring positions: `head` is the next slot to write, `count` how many are kept.
    private var head = 0
    private(set) var count = 0

    /// How many snapshots a network with this many parameters may keep within `budget` bytes.
    static func capacity(parameters: Int, budget: Int) -> Int {
        let bytes = max(1, parameters * 8)
        return max(1, min(maxSteps, budget / bytes))
    }

    /// How many steps of this network the history can hold.
    func capacity(parameters: Int) -> Int { StepSnapshots.capacity(parameters: parameters, budget: budget) }

    /// Doubles one snapshot copies: every weight and bias (a `nobias` layer's zeros too).
    static func copiedValues(of network: Network) -> Int {
        network.layers.reduce(0) { $0 + $1.weights.count + $1.bias.count }
    }

    /// Changes the budget, keeping the newest snapshots that still fit.
    mutating func setBudget(_ bytes: Int) {
        budget = bytes
        guard parameters > 0, capacity(parameters: parameters) != capacity else { return }
        let newCapacity = capacity(parameters: parameters)
        let kept = min(count, newCapacity)
        let slots = (0..<kept).map { (head - kept + $0 + capacity * 2) % capacity }  // oldest kept first
        let anyVelocity = slots.contains { meta[$0].hasVelocity }
        var newValues: [Double] = [], newVelocities: [Double] = []
        for slot in slots {
            let range = slot * parameters..<(slot + 1) * parameters
            newValues.append(contentsOf: values[range])
            if anyVelocity {
                if meta[slot].hasVelocity { newVelocities.append(contentsOf: velocities[range]) }
                else { newVelocities.append(contentsOf: repeatElement(0, count: parameters)) }
            }
        }
        let newMeta = slots.map { meta[$0] }
        values = newValues
        velocities = newVelocities
        meta = newMeta
        capacity = newCapacity
        count = kept
        head = kept % newCapacity
    }

    mutating func removeAll() {
        count = 0
        head = 0
        capacity = 0  // the next push measures the (possibly new) network again
        parameters = 0
    }

    /// Keeps the state `state` is in now (call before a step changes it).
    mutating func push(_ state: borrowing TrainingState) {
        let network = state.network
        // A network changes shape only through `net` or `init`, which call removeAll.
        if capacity == 0 {
            let needed = StepSnapshots.copiedValues(of: network)
            parameters = needed
            capacity = capacity(parameters: needed)
            values = []
            velocities = []
            meta = []
            // Reserved (not touched) up front, so that filling the ring never reallocates.
            values.reserveCapacity(capacity * needed)
            meta.reserveCapacity(capacity)
            head = 0
            count = 0
        }
        assert(StepSnapshots.copiedValues(of: network) == parameters, "the network changed shape without removeAll")
        let width = parameters
        if head * width >= values.count {  // the ring has not reached this slot yet
            values.append(contentsOf: repeatElement(0, count: width))
            meta.append(Meta(step: 0, cursor: state.cursor, hasVelocity: false))
        }
        let start = head * width
        values.withUnsafeMutableBufferPointer { out in
            var offset = start
            for l in network.layers.indices {
                StepSnapshots.copy(network.layers[l].weights, into: out, at: &offset)
                StepSnapshots.copy(network.layers[l].bias, into: out, at: &offset)
            }
        }
        if let velocity = state.velocity {
            if velocities.count < values.count { velocities.append(contentsOf: repeatElement(0, count: values.count - velocities.count)) }
            velocities.withUnsafeMutableBufferPointer { out in
                var offset = start
                for l in velocity.weights.indices {
                    StepSnapshots.copy(velocity.weights[l], into: out, at: &offset)
                    StepSnapshots.copy(velocity.biases[l], into: out, at: &offset)
                }
            }
        }
        meta[head] = Meta(step: state.step, cursor: state.cursor, hasVelocity: state.velocity != nil)
        head = (head + 1) % capacity
        count = min(count + 1, capacity)
    }

    /// Copies `m`'s entries to `out` from `offset` on, and moves `offset` past them.
    private static func copy(_ m: Matrix, into out: UnsafeMutableBufferPointer<Double>, at offset: inout Int) {
        m.storage.withUnsafeBufferPointer { src in
            if src.count < 64 {  // a call to memcpy costs more than a short loop
                for i in src.indices { out[offset + i] = src[i] }
            } else {
                UnsafeMutableRawPointer(out.baseAddress! + offset)
                    .copyMemory(from: src.baseAddress!, byteCount: src.count * MemoryLayout<Double>.stride)
            }
        }
        offset += m.count
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
        let info = meta[slot]
        func restore(_ m: inout Matrix, from buffer: [Double], offset: inout Int) {
            buffer.withUnsafeBufferPointer { src in
                m.storage.withUnsafeMutableBufferPointer { dst in
                    guard let to = dst.baseAddress, !dst.isEmpty else { return }
                    UnsafeMutableRawPointer(to)
                        .copyMemory(from: src.baseAddress! + offset, byteCount: dst.count * MemoryLayout<Double>.stride)  // memcpy
                }
            }
            offset += m.count
        }
        var offset = slot * parameters
        for l in state.network.layers.indices {
            restore(&state.network.layers[l].weights, from: values, offset: &offset)
            restore(&state.network.layers[l].bias, from: values, offset: &offset)
        }
        offset = slot * parameters
        if info.hasVelocity {
            var velocity = state.velocity ?? Gradients(zerosLike: state.network)
            state.velocity = nil  // unshared, so restoring writes in place
            for l in state.network.layers.indices {
                restore(&velocity.weights[l], from: velocities, offset: &offset)
                restore(&velocity.biases[l], from: velocities, offset: &offset)
            }
            state.velocity = velocity
        } else {
            state.velocity = nil
        }
        state.step = info.step
        state.cursor = info.cursor
        state.gradients = nil
        head = slot
        count -= n
    }
}
