// BatchCursor: which rows each step takes, epoch after epoch (in order or reshuffled).

/// Which rows the next batch takes: consecutive rows from a position in the epoch's order,
/// the last batch of an epoch possibly smaller, then round again (reshuffled if asked).
public struct BatchCursor: Equatable, Sendable {
    /// Index into `order` of the next row.
    public private(set) var position = 0
    /// Completed passes over the data.
    public private(set) var epoch = 0
    /// This epoch's row order; empty means in order (0, 1, 2, …).
    public private(set) var order: [Int] = []
    private var random: RandomSource

    public init(seed: UInt64) {
        // A stream of its own, so that drawing other random numbers does not change batches.
        random = RandomSource(seed: seed ^ 0x5EED_BA7C_4E5_0001)
    }

    /// The row indices of the next batch, advancing the cursor.
    public mutating func next(rows m: Int, batch: BatchSize, shuffle: Bool) -> [Int] {
        var indices: [Int] = []
        next(rows: m, batch: batch, shuffle: shuffle, into: &indices)
        return indices
    }

    /// The same, into `indices` (its buffer reused: a step's batch allocates nothing; a new
    /// shuffled order is drawn once per pass).
    public mutating func next(rows m: Int, batch: BatchSize, shuffle: Bool, into indices: inout [Int]) {
        indices.removeAll(keepingCapacity: true)
        guard case .rows(let size) = batch, size < m else {
            position = 0
            epoch += 1
            indices.append(contentsOf: 0..<m)
            return
        }
        if position == 0 || position >= m {
            position = 0
            order = shuffle ? random.permutation(m) : []
        }
        let end = Swift.min(position + size, m)
        if order.isEmpty {
            indices.append(contentsOf: position..<end)
        } else {
            indices.append(contentsOf: order[position..<end])
        }
        position = end
        if position >= m {
            position = 0
            epoch += 1
        }
    }

    /// Whether the next batch is all rows in order (full batch): then no index list is needed.
    public func takesWholeData(rows m: Int, batch: BatchSize) -> Bool {
        guard case .rows(let size) = batch else { return true }
        return size >= m
    }

    /// Starts a new pass (keeping the epoch count) when the cursor does not fit data of `m`
    /// rows: `back` can bring back a cursor from before `data` or `split` changed the rows.
    public mutating func fit(rows m: Int) {
        if position >= m || (!order.isEmpty && order.count != m) {
            position = 0
            order = []
        }
    }

    /// Records a full-batch step: one whole pass over the data.
    public mutating func finishPass() {
        position = 0
        epoch += 1
    }

    /// Steps left in the current pass (a whole pass when at its start).
    public func stepsToEndOfEpoch(rows m: Int, batch: BatchSize) -> Int {
        guard case .rows(let size) = batch, size < m else { return 1 }
        let remaining = m - position
        return (remaining + size - 1) / size
    }
}
