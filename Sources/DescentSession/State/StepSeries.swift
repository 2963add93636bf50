/// Values recorded at every step (the batch loss; the per-layer ‖dW‖), stored flat, `width`
/// values a step, so that appending allocates nothing but the array's amortised growth.
/// Bounded: past `maxValues` values the oldest half of the steps is dropped, so that
/// `train 1000000000` keeps at most 8 MB of each.
public struct StepSeries: Equatable, Sendable {
    public static let maxValues = 1_000_000

    /// Every value kept, the oldest step first.
    public private(set) var values: [Double] = []
    private var width = 0
    /// The step of the first row kept (1 until the bound drops old steps).
    public private(set) var firstStep = 1

    public init() {}

    public var count: Int { width == 0 ? 0 : values.count / width }
    public var isEmpty: Bool { values.isEmpty }

    /// rows[i] holds the values of step firstStep + i.
    public var rows: [[Double]] {
        (0..<count).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }

    mutating func append(step: Int, values row: [Double]) {
        begin(step: step, width: row.count)
        values.append(contentsOf: row)
        trimIfNeeded()
    }

    mutating func append(step: Int, value: Double) {
        begin(step: step, width: 1)
        values.append(value)
        trimIfNeeded()
    }

    /// Starts afresh when the history is empty or the width changes (a new net).
    private mutating func begin(step: Int, width newWidth: Int) {
        if values.isEmpty || width != newWidth {
            values.removeAll(keepingCapacity: true)
            width = newWidth
            firstStep = step
        }
    }

    /// Makes room for `steps` more steps of `width` values (within the bound), so that a
    /// long run appends without reallocating.
    mutating func reserve(steps: Int, width: Int) {
        let (wanted, overflow) = steps.multipliedReportingOverflow(by: width)
        values.reserveCapacity(min(StepSeries.maxValues + width, values.count + (overflow ? Int.max / 2 : wanted)))
    }

    private mutating func trimIfNeeded() {
        if values.count > StepSeries.maxValues {
            let drop = count / 2
            values.removeFirst(drop * width)
            firstStep += drop
        }
    }

    /// Keeps the steps up to and including `step` (after `back`).
    mutating func truncate(toStep step: Int) {
        let keep = max(0, min(count, step - firstStep + 1))
        values.removeLast((count - keep) * width)
    }
}
