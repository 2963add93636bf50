/// Per-layer ‖dW‖ of every recent step, for `plot norms`, stored flat (one row of `layers`
/// values per step) so that appending a step allocates nothing. Bounded: past `limit` steps
/// the oldest half is dropped, so a long `train` keeps memory in check.
public struct NormHistory: Equatable, Sendable {
    public static let limit = 100_000

    private var flat: [Double] = []
    private var layers = 0
    /// The step of the first row kept.
    public private(set) var firstStep = 1

    public init() {}

    public var count: Int { layers == 0 ? 0 : flat.count / layers }

    /// rows[i] holds the norms of step firstStep + i, input layer first.
    public var rows: [[Double]] {
        (0..<count).map { Array(flat[($0 * layers)..<(($0 + 1) * layers)]) }
    }

    mutating func append(step: Int, norms: [Double]) {
        if count == 0 || norms.count != layers {
            flat.removeAll(keepingCapacity: true)
            layers = norms.count
            firstStep = step
        }
        flat.append(contentsOf: norms)
        if count > NormHistory.limit {
            let drop = count / 2
            flat.removeFirst(drop * layers)
            firstStep += drop
        }
    }

    /// Keeps the steps up to and including `step` (after `back`).
    mutating func truncate(toStep step: Int) {
        let keep = max(0, min(count, step - firstStep + 1))
        flat.removeLast((count - keep) * layers)
    }
}
