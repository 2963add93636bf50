import DescentCore
import DescentLanguage

/// `expect`: whether a comparison holds entry by entry, and when it does not, where and by
/// how much.
extension EvaluationScope {
    /// Whether `expectation` holds; when it does not, a message saying by how much.
    func check(_ expectation: Expectation, random: inout RandomSource) throws(Diagnostic) -> (holds: Bool, detail: String) {
        let a = try evaluate(expectation.lhs, random: &random)
        let b = try evaluate(expectation.rhs, random: &random)
        let (x, y) = Arithmetic.aligned(a, b)
        guard x.zipped(with: y, { _, _ in 0 }) != nil else {
            throw Diagnostic("cannot compare \(x.shapeDescription) with \(y.shapeDescription)", at: expectation.range,
                             suggestion: "both sides need the same shape (or one side a single number)")
        }
        let op = expectation.op, tol = expectation.tolerance
        let verdicts = x.zipped(with: y) { p, q in
            let ok: Bool
            switch op {
            case .less: ok = p < q
            case .lessEqual: ok = p <= q
            case .greater: ok = p > q
            case .greaterEqual: ok = p >= q
            case .equal: ok = p == q
            case .approx: ok = Swift.abs(p - q) <= tol * (1 + Swift.abs(q))
            }
            return ok ? 1 : 0
        }!
        if verdicts.storage.allSatisfy({ $0 == 1 }) { return (true, "") }
        return (false, failureDetail(expectation, a: a, b: b, x: x, y: y, verdicts: verdicts))
    }

    /// Where the comparison fails worst, with both sides in the shape they were compared in
    /// (a scalar or a row broadcasts).
    private func failureDetail(_ expectation: Expectation, a: Value, b: Value, x: Matrix, y: Matrix, verdicts: Matrix) -> String {
        let gaps = x.zipped(with: y) { p, q in Swift.abs(p - q) }!
        var worst: (index: Int, gap: Double)? = nil
        for i in verdicts.storage.indices where verdicts.storage[i] == 0 {
            let gap = gaps.storage[i].isNaN ? .infinity : gaps.storage[i]
            if worst == nil || gap > worst!.gap { worst = (i, gap) }
        }
        let index = worst!.index
        let left = x.zipped(with: y) { l, _ in l }!.storage[index], right = x.zipped(with: y) { _, r in r }!.storage[index]
        // Two numbers that print alike at 10 digits (0.1 + 0.2 against 0.3) are written in
        // full, so the message shows where they differ.
        let digits = NumberFormat.format(left, precision: Swift.max(precision, 10)) == NumberFormat.format(right, precision: Swift.max(precision, 10))
            ? 17 : Swift.max(precision, 10)
        func number(_ v: Double) -> String { NumberFormat.format(v, precision: digits) }
        let op = expectation.op
        let hint = op == .equal && Swift.abs(left - right) <= 1e-12 * Swift.max(Swift.abs(left), Swift.abs(right))
            ? " — they differ by rounding (\(NumberFormat.format(left - right, precision: 2))); '~=' compares allowing for it" : ""
        if verdicts.count == 1 {
            var detail = "\(expectation.lhs.sourceLabel) is \(number(left))"
            if op == .approx || op == .equal {
                detail += ", not \(number(right))"
                if op == .approx {
                    let allowed = expectation.tolerance * (1 + Swift.abs(right))
                    detail += " (difference \(NumberFormat.format(Swift.abs(left - right), precision: 3)), allowed \(NumberFormat.format(allowed, precision: 3)))"
                }
            }
            return detail + hint
        }
        let i = index / verdicts.cols, j = index % verdicts.cols
        let position = a.isFlat && b.isFlat ? "entry \(index + 1)" : "[\(i + 1), \(j + 1)] (row, column)"
        let failing = verdicts.storage.filter { $0 == 0 }.count
        return "\(failing) of \(verdicts.count) entries fail; worst at \(position): \(number(left)) vs \(number(right))" + hint
    }
}
