import DescentCore

/// The states before recent steps, for `back`. Bounded twice: at most `maxSteps` snapshots
/// and at most `maxBytes` of parameters in them, the oldest dropped first, so a long `train`
/// does not grow memory without limit. Each snapshot holds weights, biases, velocities and
/// the last gradients: four copies of the parameters.
struct UndoHistory: Sendable {
    static let maxSteps = 1000
    static let maxBytes = 256 << 20

    private var snapshots: [TrainingState] = []
    private var start = 0  // ring-buffer head once full

    var count: Int { snapshots.count }

    mutating func push(_ state: TrainingState) {
        let perSnapshot = max(1, state.network.parameterCount * 8 * 4)
        let capacity = max(1, min(UndoHistory.maxSteps, UndoHistory.maxBytes / perSnapshot))
        if snapshots.count < capacity {
            snapshots.append(state)
        } else {
            // Keep the newest `capacity` in a ring; reorder lazily in `pop`.
            snapshots[start] = state
            start = (start + 1) % snapshots.count
        }
    }

    /// The state `n` steps ago (n ≤ count), dropping it and everything after it.
    mutating func pop(_ n: Int) -> TrainingState {
        normalize()
        let target = snapshots[snapshots.count - n]
        snapshots.removeLast(n)
        return target
    }

    mutating func removeAll() {
        snapshots.removeAll()
        start = 0
    }

    private mutating func normalize() {
        if start != 0 {
            snapshots = Array(snapshots[start...] + snapshots[..<start])
            start = 0
        }
    }
}
