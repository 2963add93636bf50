// PlaneMaps: charts of a net over the plane of 2-feature data (`plot boundary`,
// `plot neurons L`), as data for the renderers.
import DescentCore

/// A rectangle of the plane sampled on a grid of cells, each value taken at its cell's centre.
/// `values[row * columns + column]`, the top row (largest x2) first, as an image is stored.
public struct PlaneGrid: Equatable, Sendable {
    public var x: ClosedRange<Double>
    public var y: ClosedRange<Double>
    public var columns: Int
    public var rows: Int
    public var values: [Double]

    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int, values: [Double]) {
        self.x = x
        self.y = y
        self.columns = columns
        self.rows = rows
        self.values = values
    }

    /// The value of the cell holding the point `fx` of the way across and `fy` of the way
    /// down (both 0…1): how a renderer resamples the grid to its own cells.
    public func value(across fx: Double, down fy: Double) -> Double {
        let c = min(max(Int(fx * Double(columns)), 0), columns - 1)
        let r = min(max(Int(fy * Double(rows)), 0), rows - 1)
        return values[r * columns + c]
    }

    /// The cells' centres as a (rows·columns)×2 matrix, in the order of `values`: what the
    /// net is run on, one row per cell, in one matrix product.
    public static func centres(x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int) -> Matrix {
        var storage: [Double] = []
        storage.reserveCapacity(2 * columns * rows)
        for r in 0..<rows {
            let y = y.upperBound - (Double(r) + 0.5) * (y.upperBound - y.lowerBound) / Double(rows)
            for c in 0..<columns {
                storage.append(x.lowerBound + (Double(c) + 0.5) * (x.upperBound - x.lowerBound) / Double(columns))
                storage.append(y)
            }
        }
        return Matrix(rows: rows * columns, cols: 2, storage: storage)
    }

    /// The range of `values` plus `margin` of its span on each side (±1 around a single value).
    public static func padded(_ values: [Double], margin: Double = 0.1) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 0
        let pad = high > low ? (high - low) * margin : 1
        return (low - pad)...(high + pad)
    }
}

/// What the numbers of a map mean, and so how they are shaded.
public enum MapScale: Equatable, Sendable {
    /// P(class 1), 0…1 (`loss bce`).
    case probability
    /// A class index 0…count−1, the net's arg-max (`loss ce`).
    case classes(count: Int)
    /// Any value, shaded from `low` to `high` (`loss mse`, hidden units).
    case level(low: Double, high: Double)

    /// Where `v` falls on the scale, 0…1 (clamped), or nil when it is not finite.
    public func fraction(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        let f: Double
        switch self {
        case .probability: f = v
        case .classes(let count): f = count > 1 ? v / Double(count - 1) : 0
        case .level(let low, let high): f = high > low ? (v - low) / (high - low) : 0.5
        }
        return min(max(f, 0), 1)
    }
}

/// One data point on a map: where it is, its target (a class index, or the value for mse),
/// and whether it is a test point (drawn hollow, or with another symbol).
public struct MapPoint: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var target: Double
    public var isTest: Bool

    public init(x: Double, y: Double, target: Double, isTest: Bool = false) {
        self.x = x
        self.y = y
        self.target = target
        self.isTest = isTest
    }
}

/// `plot boundary`: the net's output over the plane, with the data points on it.
public struct BoundaryMap: Equatable, Sendable {
    public var title: String
    /// What a shade means: "P(class 1)", "class", "ŷ".
    public var valueLabel: String
    public var xLabel: String
    public var yLabel: String
    public var grid: PlaneGrid
    public var scale: MapScale
    public var points: [MapPoint]

    public init(title: String, valueLabel: String, xLabel: String = "x1", yLabel: String = "x2",
                grid: PlaneGrid, scale: MapScale, points: [MapPoint]) {
        self.title = title
        self.valueLabel = valueLabel
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.grid = grid
        self.scale = scale
        self.points = points
    }

    /// The class a point's target stands for, as the map's scale counts classes (bce: 0 or
    /// 1 at 0.5); nil on a `level` scale, where points carry values.
    public func pointClass(_ point: MapPoint) -> Int? {
        switch scale {
        case .probability: point.target >= 0.5 ? 1 : 0
        case .classes: Int(point.target.isFinite ? max(point.target, 0) : 0)
        case .level: nil
        }
    }
}

/// `plot neurons L`: one small map per unit of a layer, all over the same plane and scale.
public struct UnitMaps: Equatable, Sendable {
    public var title: String
    /// What a shade means: "tanh activation".
    public var valueLabel: String
    /// One grid per unit, unit 1 first; all share their ranges and size.
    public var units: [PlaneGrid]
    public var scale: MapScale
    /// Units left out (a wide layer shows its first `units.count`).
    public var omitted: Int

    public init(title: String, valueLabel: String, units: [PlaneGrid], scale: MapScale, omitted: Int = 0) {
        self.title = title
        self.valueLabel = valueLabel
        self.units = units
        self.scale = scale
        self.omitted = omitted
    }
}
