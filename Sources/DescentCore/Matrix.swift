// Matrix: the dense row-major Double matrix everything is built on, with its elementwise
// arithmetic, reductions and row selection.

import CKernels

/// A dense, row-major matrix of `Double` with value semantics.
///
/// Everything in Descent is a matrix: a scalar is 1×1, a vector is 1×n or n×1. Storage is a
/// Swift array, so copies are cheap until one side is mutated (copy-on-write), which is what
/// makes `back` and all-or-nothing commands simple: keep the old value, and it stays intact.
public struct Matrix: Equatable, Sendable {
    public private(set) var rows: Int
    public private(set) var cols: Int
    /// Entries, row after row: entry (i, j) is `storage[i * cols + j]`.
    public var storage: [Double]

    /// The same shape and the same numbers bit for bit, NaN included: equality here means
    /// "unchanged" (a cell's effects are compared with a replay of it, and a NaN the learner
    /// showed is the same NaN the second time); 0 and -0 differ.
    public static func == (a: Matrix, b: Matrix) -> Bool {
        guard a.rows == b.rows && a.cols == b.cols else { return false }
        return a.storage.withUnsafeBufferPointer { x in
            b.storage.withUnsafeBufferPointer { y in
                x.baseAddress == y.baseAddress || zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern }
            }
        }
    }

    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.storage = Array(repeating: value, count: rows * cols)
    }

    public init(rows: Int, cols: Int, storage: [Double]) {
        precondition(storage.count == rows * cols, "storage does not match \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A matrix from its rows; all rows must have the same length.
    public init(_ rowArrays: [[Double]]) {
        let cols = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == cols }, "ragged rows")
        self.init(rows: rowArrays.count, cols: cols, storage: rowArrays.flatMap { $0 })
    }

    public init(scalar: Double) { self.init(rows: 1, cols: 1, storage: [scalar]) }

    /// A column (m×1) from a flat list of values.
    public init(column: [Double]) { self.init(rows: column.count, cols: 1, storage: column) }

    /// A row (1×n) from a flat list of values.
    public init(row: [Double]) { self.init(rows: 1, cols: row.count, storage: row) }

    public var count: Int { storage.count }
    public var shape: (rows: Int, cols: Int) { (rows, cols) }
    public var isScalar: Bool { rows == 1 && cols == 1 }
    public var isEmpty: Bool { storage.isEmpty }

    /// "2×3", the way shapes are written in messages.
    public var shapeDescription: String { "\(rows)×\(cols)" }

    public subscript(row: Int, col: Int) -> Double {
        get { storage[row * cols + col] }
        set { storage[row * cols + col] = newValue }
    }

    public func row(_ i: Int) -> [Double] { Array(storage[(i * cols)..<((i + 1) * cols)]) }

    public var rowArrays: [[Double]] { (0..<rows).map(row) }

    /// The same entries read as `rows`×`cols`; the count must match.
    public func reshaped(rows: Int, cols: Int) -> Matrix {
        Matrix(rows: rows, cols: cols, storage: storage)
    }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows {
            for j in 0..<cols { t.storage[j * rows + i] = storage[i * cols + j] }
        }
        return t
    }

    /// The rows at the given indices, in that order (a batch).
    public func selectingRows(_ indices: some Collection<Int>) -> Matrix {
        var out = Matrix(rows: indices.count, cols: cols)
        selectRows(indices, into: &out)
        return out
    }

    /// Copies the rows at `indices` into `out`, which is resized only if its shape differs.
    public func selectRows(_ indices: some Collection<Int>, into out: inout Matrix) {
        out.ensureShape(rows: indices.count, cols: cols)
        var r = 0
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for i in indices {
                    for j in 0..<cols { dst[r * cols + j] = src[i * cols + j] }
                    r += 1
                }
            }
        }
    }

    /// Sets every entry to `value`, keeping the shape.
    public mutating func fill(_ value: Double) {
        storage.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = value }
        }
    }

    /// Resizes to `rows`×`cols` (contents unspecified) only when the shape differs.
    public mutating func ensureShape(rows: Int, cols: Int) {
        if self.rows == rows && self.cols == cols { return }
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        // Zeros in the same buffer, which keeps its capacity: a workspace matrix that takes
        // turns at two shapes (backprop's δ: 128×10, then 128×512) allocates only once.
        storage.removeAll(keepingCapacity: true)
        storage.append(contentsOf: repeatElement(0, count: rows * cols))
        self.rows = rows
        self.cols = cols
    }

    public func map(_ f: (Double) -> Double) -> Matrix {
        Matrix(rows: rows, cols: cols, storage: storage.map(f))
    }

    public var allFinite: Bool { storage.allSatisfy { $0.isFinite } }

    /// Copies the entries, in storage order, to `destination` (room for `count`) for keeping:
    /// a large matrix's copy bypasses the caches (CKernels/copy.c), so that taking it does not
    /// slow what comes next.
    public func copyEntries(forLaterTo destination: UnsafeMutablePointer<Double>) {
        storage.withUnsafeBufferPointer { source in
            guard let from = source.baseAddress else { return }
            descent_copy_for_later(destination, from, source.count)
        }
    }
}

// MARK: - Reductions

extension Matrix {
    public var sum: Double { storage.reduce(0, +) }
    public var mean: Double { storage.isEmpty ? .nan : sum / Double(storage.count) }
    /// The largest and smallest entry; NaN when there is one (as torch.max), not whichever
    /// the comparisons happened to keep.
    public var max: Double { storage.contains { $0.isNaN } ? .nan : storage.max() ?? .nan }
    public var min: Double { storage.contains { $0.isNaN } ? .nan : storage.min() ?? .nan }

    /// The Frobenius norm, √Σ x². When Σ x² overflows although every entry is finite, it is
    /// computed again scaled by the largest entry, so a huge but finite gradient has a finite
    /// norm (and clipping still works).
    public var norm: Double {
        let s = squaredNorm  // the usual case, without the array `norm(of:)` takes
        return s.isFinite ? s.squareRoot() : Matrix.norm(of: [self])
    }

    /// √(Σ over all matrices of Σ x²), overflow-safe as `norm` is.
    public static func norm(of matrices: [Matrix]) -> Double {
        var s = 0.0
        for m in matrices { s += m.squaredNorm }
        if s.isFinite { return s.squareRoot() }
        var largest = 0.0
        for m in matrices { for x in m.storage { largest = Swift.max(largest, Swift.abs(x)) } }
        guard largest.isFinite else { return largest.isNaN ? .nan : .infinity }
        if matrices.contains(where: { !$0.allFinite }) { return .nan }
        var scaled = 0.0
        for m in matrices { for x in m.storage { scaled += (x / largest) * (x / largest) } }
        return largest * scaled.squareRoot()
    }

    /// Σ x², in four interleaved partial sums: one running sum waits on each addition (four
    /// cycles), which made this pass over W3's 670,000 gradients 7% of a step.
    public var squaredNorm: Double {
        storage.withUnsafeBufferPointer { p in
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
            var i = 0
            while i + 4 <= p.count {
                s0 += p[i] * p[i]
                s1 += p[i + 1] * p[i + 1]
                s2 += p[i + 2] * p[i + 2]
                s3 += p[i + 3] * p[i + 3]
                i += 4
            }
            while i < p.count {
                s0 += p[i] * p[i]
                i += 1
            }
            return (s0 + s1) + (s2 + s3)
        }
    }

    /// The population standard deviation of the entries.
    public var standardDeviation: Double {
        guard !storage.isEmpty else { return .nan }
        let m = mean
        var s = 0.0
        for x in storage { s += (x - m) * (x - m) }
        return (s / Double(storage.count)).squareRoot()
    }

    /// Column sums, as a 1×cols row (the bias gradient of a batch).
    public var columnSums: Matrix {
        var out = Matrix(rows: 1, cols: cols)
        columnSums(into: &out)
        return out
    }

    /// Each column's sum, into `out` (1×cols), adding the rows in order. Four columns at a
    /// time in local sums: accumulating in `out` itself made every addition wait on memory.
    public func columnSums(into out: inout Matrix) {
        out.ensureShape(rows: 1, cols: cols)
        let (rows, cols) = (self.rows, self.cols)
        storage.withUnsafeBufferPointer { p in
            out.storage.withUnsafeMutableBufferPointer { o in
                var j = 0
                while j + 4 <= cols {
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                    for i in 0..<rows {
                        let r = i * cols + j
                        s0 += p[r]
                        s1 += p[r + 1]
                        s2 += p[r + 2]
                        s3 += p[r + 3]
                    }
                    o[j] = s0
                    o[j + 1] = s1
                    o[j + 2] = s2
                    o[j + 3] = s3
                    j += 4
                }
                while j < cols {
                    var s = 0.0
                    for i in 0..<rows { s += p[i * cols + j] }
                    o[j] = s
                    j += 1
                }
            }
        }
    }
}

// MARK: - Elementwise arithmetic

extension Matrix {
    /// Entry by entry, broadcasting a 1×1 operand over the other and a 1×n row over m×n.
    /// Returns nil when the shapes do not fit.
    public func zipped(with other: Matrix, _ f: (Double, Double) -> Double) -> Matrix? {
        if rows == other.rows && cols == other.cols {
            var out = self
            for i in out.storage.indices { out.storage[i] = f(storage[i], other.storage[i]) }
            return out
        }
        if other.isScalar {
            let s = other.storage[0]
            return map { f($0, s) }
        }
        if isScalar {
            let s = storage[0]
            return other.map { f(s, $0) }
        }
        if other.rows == 1 && other.cols == cols {
            var out = self
            for i in 0..<rows {
                for j in 0..<cols { out[i, j] = f(self[i, j], other.storage[j]) }
            }
            return out
        }
        if rows == 1 && cols == other.cols {
            var out = other
            for i in 0..<other.rows {
                for j in 0..<cols { out[i, j] = f(storage[j], other[i, j]) }
            }
            return out
        }
        return nil
    }

    /// `self += scale * other`, same shape.
    public mutating func add(_ other: Matrix, scaledBy scale: Double = 1) {
        precondition(rows == other.rows && cols == other.cols)
        other.storage.withUnsafeBufferPointer { o in
            storage.withUnsafeMutableBufferPointer { s in
                for i in s.indices { s[i] += scale * o[i] }
            }
        }
    }

    public mutating func scale(by factor: Double) {
        storage.withUnsafeMutableBufferPointer { s in
            for i in s.indices { s[i] *= factor }
        }
    }

    /// Sets every row to the 1×cols `row`.
    public mutating func fillRows(with row: Matrix) {
        precondition(row.count == cols)
        row.storage.withUnsafeBufferPointer { r in
            storage.withUnsafeMutableBufferPointer { s in
                for i in 0..<rows {
                    for j in 0..<cols { s[i * cols + j] = r[j] }
                }
            }
        }
    }
}
