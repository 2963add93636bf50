import DescentCore

/// The states before recent steps, for `back`: every parameter (weights, biases, batch norm's
/// scale, shift and running statistics), the step counter and the batch position, copied
/// flat into a ring reserved when the net first steps (a copy, not an allocation); and the
/// optimizer's state itself, not copied: the step writes its new buffers into those of the
/// snapshot the ring drops (`push` hands them over), so the old ones can stay here as they
/// are. Bounded twice: at most `maxSteps` snapshots and at most `budget` bytes of parameters
/// (`limit history`; each optimizer buffer, kept only once the optimizer has it, takes
/// about as much again), the oldest dropped first, so a long `train` does not grow memory without
/// limit. Always at least one step fits. The last gradients are not kept: they belong to the
/// undone step. A long run of a big net pushes only for the steps the ring will keep
/// (`Session.advance`); the steps before them take no snapshot and `forgetSteps` drops the
/// older ones, which no longer lead to the current state.
///
/// The default budget (8 MiB) is small on purpose: nets of up to 1048 parameters get the full
/// 1000 steps, the lessons' biggest (1969) 532, and a big one (W3 in benchmarks/, 670,000
/// parameters) one step, instead of tripling the memory the step itself needs.
struct StepSnapshots: Sendable {
    static let maxSteps = 1000
    static let defaultBudget = 8 << 20
    /// Values from which a snapshot is big enough to cost a step measurable time (its copy
    /// streams past the caches, CKernels' DESCENT_COPY_FOR_LATER_MIN): a long run of such a
    /// net takes snapshots only for the steps the ring will keep (`Session.advance`).
    static let largeSnapshot = 1 << 15

    /// Bytes of parameter copies the ring may hold.
    private(set) var budget = StepSnapshots.defaultBudget

    private struct Meta: Sendable {
        var step: Int
        var cursor: BatchCursor
        /// The optimizer's state, kept by reference, not copied: the step after it writes its
        /// new buffers elsewhere (see `OptimizerKind.update`'s spare).
        var optimizerState: OptimizerState
        /// The optimizer whose state this is (an `optimizer` command may change it later).
        var optimizer: OptimizerKind
    }

    /// Doubles per snapshot of the network; one per slot.
    private var parameters = 0
    private var capacity = 0
    private var values: [Double] = []
    private var meta: [Meta] = []
    /// Ring positions: `head` is the next slot to write, `count` how many are kept.
    private var head = 0
    private(set) var count = 0
    /// The last step taken without a snapshot (`forgetSteps`), until a step with one is
    /// applied (`keptStepApplied`).
    private(set) var unkeptThrough: Int?
    /// Snapshots taken since the session started (how many steps paid for one).
    private(set) var taken = 0

    /// How many snapshots a network with this many parameters may keep within `budget` bytes.
    static func capacity(parameters: Int, budget: Int) -> Int {
        let bytes = max(1, parameters * 8)
        return max(1, min(maxSteps, budget / bytes))
    }

    /// How many steps of this network the history can hold.
    func capacity(parameters: Int) -> Int { StepSnapshots.capacity(parameters: parameters, budget: budget) }

    /// Doubles one snapshot copies: every weight and bias (a `nobias` layer's zeros too) and
    /// batch norm's scale, shift, running mean and running variance.
    static func copiedValues(of network: Network) -> Int {
        network.layers.reduce(0) { $0 + $1.weights.count + $1.bias.count + ($1.batchNorm == nil ? 0 : 4 * $1.outputs) }
    }

    /// Changes the budget, keeping the newest snapshots that still fit.
    mutating func setBudget(_ bytes: Int) {
        budget = bytes
        guard parameters > 0, capacity(parameters: parameters) != capacity else { return }
        let newCapacity = capacity(parameters: parameters)
        let kept = min(count, newCapacity)
        let slots = (0..<kept).map { (head - kept + $0 + capacity * 2) % capacity }  // oldest kept first
        var newValues: [Double] = []
        for slot in slots { newValues.append(contentsOf: values[slot * parameters..<(slot + 1) * parameters]) }
        meta = slots.map { meta[$0] }
        values = newValues
        capacity = newCapacity
        count = kept
        head = kept % newCapacity
    }

    /// "; 'limit history …' keeps more steps", for a budget of 64 MB, or eight times `budget`
    /// once it is that already; empty when that would pass `memoryLimit` (`limit memory`).
    static func largerBudgetHint(than budget: Int, memoryLimit: Int) -> String {
        let megabytes = max(64, (budget >> 20) * 8)
        guard megabytes <= memoryLimit >> 20 else { return "" }
        let size = megabytes % 1024 == 0 ? "\(megabytes / 1024) GB" : "\(megabytes) MB"
        return "; 'limit history \(size)' keeps more steps"
    }

    /// Whether `back` has nothing because the steps up to `step` (the current one) were
    /// taken without snapshots (a long run of a big net that stopped early).
    func lostHistory(at step: Int) -> Bool {
        count == 0 && unkeptThrough == step
    }

    /// Forgets every snapshot after a step that took none (`through` is that step): the
    /// snapshots before it no longer lead to the current state. The ring stays reserved.
    mutating func forgetSteps(through step: Int) {
        count = 0
        head = 0
        unkeptThrough = step
    }

    mutating func removeAll() {
        unkeptThrough = nil
        count = 0
        head = 0
        capacity = 0  // the next push measures the (possibly new) network again
        parameters = 0
    }

    /// Keeps the state `state` is in now (call before a step changes it). Returns the optimizer
    /// state of the slot it reuses, if any: no snapshot needs it any more, so the step may
    /// write its new buffers into it.
    @discardableResult
    mutating func push(_ state: borrowing TrainingState, optimizer: OptimizerKind) -> OptimizerState? {
        let network = state.network
        // A network changes shape only through `net` or `init`, which call removeAll.
        if capacity == 0 { start(for: network, cursor: state.cursor) }
        assert(StepSnapshots.copiedValues(of: network) == parameters, "the network changed shape without removeAll")
        if head * parameters >= values.count {  // the ring has not reached this slot yet
            values.append(contentsOf: repeatElement(0, count: parameters))
            meta.append(Meta(step: 0, cursor: state.cursor, optimizerState: OptimizerState(), optimizer: optimizer))
        }
        let reused = meta[head].optimizerState
        values.withUnsafeMutableBufferPointer { out in
            var offset = head * parameters
            for layer in network.layers {
                StepSnapshots.copy(layer.weights, into: out, at: &offset)
                StepSnapshots.copy(layer.bias, into: out, at: &offset)
                if let bn = layer.batchNorm {
                    StepSnapshots.copy(bn.scale, into: out, at: &offset)
                    StepSnapshots.copy(bn.shift, into: out, at: &offset)
                    StepSnapshots.copy(bn.runningMean, into: out, at: &offset)
                    StepSnapshots.copy(bn.runningVariance, into: out, at: &offset)
                }
            }
        }
        meta[head] = Meta(step: state.step, cursor: state.cursor, optimizerState: state.optimizerState, optimizer: optimizer)
        taken += 1
        head = (head + 1) % capacity
        count = min(count + 1, capacity)
        return reused
    }

    /// Measures the network and reserves the ring (not touched) up front, so that filling it
    /// never reallocates.
    private mutating func start(for network: Network, cursor: BatchCursor) {
        parameters = StepSnapshots.copiedValues(of: network)
        capacity = capacity(parameters: parameters)
        values = []
        meta = []
        values.reserveCapacity(capacity * parameters)
        meta.reserveCapacity(capacity)
        head = 0
        count = 0
    }

    /// Copies `m`'s entries to `out` from `offset` on, and moves `offset` past them. A big
    /// matrix's copy bypasses the caches: it is read only if the learner goes back.
    private static func copy(_ m: Matrix, into out: UnsafeMutableBufferPointer<Double>, at offset: inout Int) {
        if m.count < 64 {  // a call costs more than a short loop
            m.storage.withUnsafeBufferPointer { src in
                for i in src.indices { out[offset + i] = src[i] }
            }
        } else {
            m.copyEntries(forLaterTo: out.baseAddress! + offset)
        }
        offset += m.count
    }

    /// Copies entries from `buffer` at `offset` into `m` (memcpy), and moves `offset` past them.
    private static func restore(_ m: inout Matrix, from buffer: [Double], offset: inout Int) {
        buffer.withUnsafeBufferPointer { src in
            m.storage.withUnsafeMutableBufferPointer { dst in
                guard let to = dst.baseAddress, !dst.isEmpty else { return }
                UnsafeMutableRawPointer(to).copyMemory(from: src.baseAddress! + offset, byteCount: dst.count * MemoryLayout<Double>.stride)
            }
        }
        offset += m.count
    }

    /// Forgets the newest snapshot (a step that was pushed for but not applied).
    mutating func dropLast() {
        guard count > 0 else { return }
        head = (head - 1 + capacity) % capacity
        count -= 1
        taken -= 1
    }

    /// The step pushed for was applied: the history leads to the current state again.
    mutating func keptStepApplied() {
        unkeptThrough = nil
    }

    /// The state `n` steps ago, built on a copy of `template` (same network shape).
    func state(stepsAgo n: Int, template: TrainingState) -> TrainingState {
        var copy = self
        var state = template
        copy.pop(n, into: &state)
        return state
    }

    /// Puts `state` back as it was `n` steps ago (n ≤ count), dropping that snapshot and every
    /// later one. The network's shape must be the one the snapshots were taken of. Returns
    /// the optimizer the restored state belongs to.
    @discardableResult
    mutating func pop(_ n: Int, into state: inout TrainingState) -> OptimizerKind {
        precondition(n >= 1 && n <= count)
        let slot = (head - n + capacity * 2) % capacity
        let info = meta[slot]
        var offset = slot * parameters
        for l in state.network.layers.indices {
            StepSnapshots.restore(&state.network.layers[l].weights, from: values, offset: &offset)
            StepSnapshots.restore(&state.network.layers[l].bias, from: values, offset: &offset)
            if state.network.layers[l].batchNorm != nil {
                StepSnapshots.restore(&state.network.layers[l].batchNorm!.scale, from: values, offset: &offset)
                StepSnapshots.restore(&state.network.layers[l].batchNorm!.shift, from: values, offset: &offset)
                StepSnapshots.restore(&state.network.layers[l].batchNorm!.runningMean, from: values, offset: &offset)
                StepSnapshots.restore(&state.network.layers[l].batchNorm!.runningVariance, from: values, offset: &offset)
            }
        }
        state.optimizerState = info.optimizerState
        state.step = info.step
        state.cursor = info.cursor
        state.gradients = nil
        head = slot
        count -= n
        return info.optimizer
    }
}
