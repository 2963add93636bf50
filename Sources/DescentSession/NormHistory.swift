/// Per-layer ‖dW‖ of every recent step, for `plot norms`. Bounded: past `limit` steps the
/// oldest half is dropped, so a long `train` keeps memory in check.
public struct NormHistory: Equatable, Sendable {
    public static let limit = 100_000

    /// rows[i] holds the norms of step firstStep + i, input layer first.
    public private(set) var rows: [[Double]] = []
    public private(set) var firstStep = 1

    public init() {}

    mutating func append(step: Int, norms: [Double]) {
        if rows.isEmpty { firstStep = step }
        rows.append(norms)
        if rows.count > NormHistory.limit {
            let drop = rows.count / 2
            rows.removeFirst(drop)
            firstStep += drop
        }
    }

    /// Keeps the steps up to and including `step` (after `back`).
    mutating func truncate(toStep step: Int) {
        let keep = max(0, min(rows.count, step - firstStep + 1))
        rows.removeLast(rows.count - keep)
    }
}
