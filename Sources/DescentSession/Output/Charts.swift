import DescentCore
import Foundation

/// A chart as data: what to draw, not how. `TerminalRenderer` draws it with Unicode blocks,
/// `SVGRenderer` as an SVG plot for notebooks; both read the same value.
public enum Chart: Equatable, Sendable {
    case line(LineChart)
    case bars(BarChart)
    case histogram(Histogram)
    case heat(HeatStrip)
    /// `plot boundary`: the net over the plane of 2-feature data, with the points.
    case boundary(BoundaryMap)
    /// `plot neurons L`: each unit of a layer over the same plane.
    case neurons(UnitMaps)
}

/// One or more series over steps (`show loss`).
public struct LineChart: Equatable, Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [LineSeries]

    public init(title: String, xLabel: String, yLabel: String, series: [LineSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    /// A log scale when every value is positive and they span more than two decades.
    public var logY: Bool { ChartScale.wantsLog(series.flatMap(\.values)) }
}

public struct LineSeries: Equatable, Sendable {
    public var name: String
    public var values: [Double]
    /// The x of the first value.
    public var firstX: Int
}

/// One bar per label, on a log scale when asked (`show norms`).
public struct BarChart: Equatable, Sendable {
    public var title: String
    public var labels: [String]
    public var values: [Double]
    public var valueLabel: String
    public var logScale: Bool
}

/// Counts of values in equal-width bins (`show hist W1`).
public struct Histogram: Equatable, Sendable {
    public var title: String
    /// bins + 1 edges, increasing.
    public var edges: [Double]
    public var counts: [Int]
    /// Values that were NaN or infinite, left out of the bins.
    public var nonFinite: Int

    /// `bins` equal bins over the finite values' range.
    public init(title: String, values: [Double], bins: Int = 12) {
        self.title = title
        let finite = values.filter(\.isFinite)
        nonFinite = values.count - finite.count
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if low == high {  // widened, within the finite doubles
            low = max(low - max(0.5, abs(low) * 1e-9), -Double.greatestFiniteMagnitude)
            high = min(high + max(0.5, abs(high) * 1e-9), Double.greatestFiniteMagnitude)
        }
        // Halves, so that a range like −1e308…1e308 does not overflow to infinity: each edge
        // is low plus a fraction of the half span, twice (no partial sum leaves low…high).
        let halfSpan = high / 2 - low / 2
        edges = (0...bins).map { i in
            let part = halfSpan * (Double(i) / Double(bins))
            return (low + part) + part
        }
        edges[bins] = high
        var counts = Array(repeating: 0, count: bins)
        for v in finite {
            let fraction = (v / 2 - low / 2) / halfSpan
            counts[fraction.isFinite ? min(max(Int(fraction * Double(bins)), 0), bins - 1) : 0] += 1
        }
        self.counts = counts
    }
}

/// Per-layer values over the steps, as shades (`plot norms`): the picture of gradients
/// vanishing (dark rows at the input) or exploding.
public struct HeatStrip: Equatable, Sendable {
    public var title: String
    /// One label per row, input layer first.
    public var rowLabels: [String]
    /// values[step][row].
    public var values: [[Double]]
    public var firstStep: Int
    public var valueLabel: String
}

/// Axis arithmetic shared by both renderers.
public enum ChartScale {
    public static func wantsLog(_ values: [Double]) -> Bool {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), low > 0 else { return false }
        return high / low > 100
    }

    /// Means of consecutive buckets, so that `count` values fit in `columns`.
    public static func bucketMeans(_ values: [Double], columns: Int, log: Bool) -> [Double] {
        guard !values.isEmpty else { return [] }
        let n = max(1, min(columns, values.count))
        return (0..<n).map { c in
            let lo = c * values.count / n, hi = max((c + 1) * values.count / n, lo + 1)
            let slice = values[lo..<min(hi, values.count)].filter(\.isFinite)
            if slice.isEmpty { return .nan }
            if log {
                let positive = slice.filter { $0 > 0 }
                if positive.isEmpty { return .nan }
                return Foundation.pow(10, positive.map(Foundation.log10).reduce(0, +) / Double(positive.count))
            }
            return slice.reduce(0, +) / Double(slice.count)
        }
    }

    /// About five round tick values covering low...high (1, 2 or 5 times a power of ten apart).
    public static func linearTicks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard high > low, low.isFinite, high.isFinite else { return [low] }
        let raw = (high - low) / Double(count)
        let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var t = Foundation.ceil(low / step) * step
        while t <= high + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return ticks
    }

    /// Powers of ten from 10^floor(log low) to 10^ceil(log high), thinned to about eight; none
    /// unless 0 < low ≤ high are finite.
    public static func logTicks(_ low: Double, _ high: Double) -> [Double] {
        guard low > 0, low <= high, high.isFinite else { return [] }
        let a = Int(Foundation.floor(Foundation.log10(low))), b = Int(Foundation.ceil(Foundation.log10(high)))
        let stride = max(1, (b - a + 7) / 8)
        return Swift.stride(from: a, through: b, by: stride).map { Foundation.pow(10, Double($0)) }
    }
}
