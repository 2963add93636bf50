import DescentCore
import DescentLanguage
import DescentSession
import Foundation

/// Charts as standalone SVG plots for notebooks and HTML: axes with ticks and labels, log
/// scales where the data span decades, a legend, and the Okabe–Ito palette (safe for colour
/// blindness). The heat strip uses a viridis-like sequential scale, also colour-blind safe.
public struct SVGRenderer: Sendable {
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"]
    /// Viridis at nine evenly spaced stops, dark (small) to light (large).
    public static let sequential = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"]

    /// The document's size and margins; maps over the plane choose their own.
    var width = 640.0, height = 360.0
    var left = 78.0, right = 24.0, top = 44.0, bottom = 56.0
    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    public init() {}

    public func render(_ chart: Chart) -> String {
        switch chart {
        case .line(let c): line(c)
        case .bars(let c): bars(c)
        case .histogram(let c): histogram(c)
        case .heat(let c): heat(c)
        case .boundary(let c): boundary(c)
        case .neurons(let c): neurons(c)
        }
    }

    // MARK: - Pieces

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    func n(_ x: Double) -> String { String(format: "%.1f", x) }
    func label(_ x: Double) -> String { NumberFormat.format(x, precision: 3) }

    func document(_ title: String, _ body: [String]) -> String {
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"Helvetica, Arial, 'DejaVu Sans', sans-serif\" font-size=\"12\">",
            "<title>\(SVGRenderer.escape(title))</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"\(n(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(SVGRenderer.escape(title))</text>",
        ]
        parts += body
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// Axis lines, ticks, tick labels and axis titles. `yTicks` are (value, position 0…1).
    func axes(xTicks: [(String, Double)], yTicks: [(String, Double)], xLabel: String, yLabel: String) -> [String] {
        var out = ["<g stroke=\"#333\" stroke-width=\"1\">",
                   "<line x1=\"\(n(left))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(top + plotHeight))\"/>",
                   "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(top + plotHeight))\"/>"]
        for (_, p) in xTicks {
            let x = left + p * plotWidth
            out.append("<line x1=\"\(n(x))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(x))\" y2=\"\(n(top + plotHeight + 5))\"/>")
        }
        for (_, p) in yTicks {
            let y = top + (1 - p) * plotHeight
            out.append("<line x1=\"\(n(left - 5))\" y1=\"\(n(y))\" x2=\"\(n(left))\" y2=\"\(n(y))\"/>")
            out.append("<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y))\" stroke=\"#ddd\"/>")
        }
        out.append("</g>")
        for (text, p) in xTicks {
            out.append("<text x=\"\(n(left + p * plotWidth))\" y=\"\(n(top + plotHeight + 19))\" text-anchor=\"middle\">\(SVGRenderer.escape(text))</text>")
        }
        for (text, p) in yTicks {
            out.append("<text x=\"\(n(left - 8))\" y=\"\(n(top + (1 - p) * plotHeight + 4))\" text-anchor=\"end\">\(SVGRenderer.escape(text))</text>")
        }
        out.append("<text x=\"\(n(left + plotWidth / 2))\" y=\"\(n(height - 12))\" text-anchor=\"middle\">\(SVGRenderer.escape(xLabel))</text>")
        out.append("<text transform=\"translate(16 \(n(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVGRenderer.escape(yLabel))</text>")
        return out
    }

    /// Maps values to 0…1 on a linear or log axis, with its tick marks.
    struct Scale {
        var low: Double, high: Double, log: Bool
        func position(_ v: Double) -> Double? {
            guard v.isFinite, !log || v > 0 else { return nil }
            let (a, b, x) = log ? (Foundation.log10(low), Foundation.log10(high), Foundation.log10(v)) : (low / 2, high / 2, v / 2)
            let p = b > a ? (x - a) / (b - a) : 0.5
            return p.isFinite ? p : nil
        }
        /// Round values inside the range: decades on a log axis.
        var ticks: [Double] {
            (log ? ChartScale.logTicks(low, high) : ChartScale.linearTicks(low, high))
                .filter { position($0).map { $0 >= -1e-9 && $0 <= 1 + 1e-9 } ?? false }
        }
        /// A range padded to round values: decades on a log axis.
        static func covering(_ values: [Double], log: Bool, includeZero: Bool = false) -> Scale {
            let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
            var low = finite.min() ?? 0, high = finite.max() ?? 1
            if log && finite.isEmpty { (low, high) = (0.1, 10) }  // nothing to place (all ‖dW‖ zero): one decade each side of 1
            if log {
                low = Foundation.pow(10, Foundation.floor(Foundation.log10(low)))
                high = Foundation.pow(10, Foundation.ceil(Foundation.log10(high)))
                if high <= low { high = low * 10 }
            } else {
                if includeZero { low = Swift.min(low, 0); high = Swift.max(high, 0) }
                if high == low { low -= 1; high += 1 }
                let ticks = ChartScale.linearTicks(low, high)
                let step = ticks.count > 1 ? ticks[1] - ticks[0] : (high - low)
                low = Foundation.floor(low / step) * step
                high = Foundation.ceil(high / step) * step
            }
            return Scale(low: low, high: high, log: log)
        }
    }

    // MARK: - Charts

    func line(_ chart: LineChart) -> String {
        let all = chart.series.flatMap(\.values)
        let y = Scale.covering(all, log: chart.logY)
        let firstX = Double(chart.series.map(\.firstX).min() ?? 1)
        let lastX = Double(chart.series.map { $0.firstX + $0.values.count - 1 }.max() ?? 1)
        let x = Scale.covering([firstX, lastX], log: false)
        var body = axes(xTicks: x.ticks.map { (label($0), x.position($0)!) },
                        yTicks: y.ticks.map { (label($0), y.position($0)!) },
                        xLabel: chart.xLabel, yLabel: chart.yLabel + (chart.logY ? " (log scale)" : ""))
        for (i, series) in chart.series.enumerated() {
            // At most ~600 points: bucket means, drawn at the bucket's middle step.
            let columns = min(series.values.count, 600)
            let means = ChartScale.bucketMeans(series.values, columns: columns, log: chart.logY)
            var runs: [[String]] = [[]]
            for (k, v) in means.enumerated() {
                let step = Double(series.firstX) + (Double(k) + 0.5) * Double(series.values.count) / Double(columns) - 0.5
                guard let py = y.position(v), let px = x.position(step) else {
                    if !(runs.last!.isEmpty) { runs.append([]) }
                    continue
                }
                runs[runs.count - 1].append("\(n(left + px * plotWidth)),\(n(top + (1 - py) * plotHeight))")
            }
            let colour = SVGRenderer.palette[i % SVGRenderer.palette.count]
            for run in runs where !run.isEmpty {
                if run.count == 1 {
                    let xy = run[0].split(separator: ",")
                    body.append("<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(colour)\"/>")
                } else {
                    body.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(run.joined(separator: " "))\"/>")
                }
            }
            let ly = top + 8 + Double(i) * 18
            body.append("<line x1=\"\(n(left + plotWidth - 150))\" y1=\"\(n(ly))\" x2=\"\(n(left + plotWidth - 126))\" y2=\"\(n(ly))\" stroke=\"\(colour)\" stroke-width=\"2\"/>")
            body.append("<text x=\"\(n(left + plotWidth - 120))\" y=\"\(n(ly + 4))\">\(SVGRenderer.escape(series.name))</text>")
        }
        return document(chart.title, body)
    }

    func bars(_ chart: BarChart) -> String {
        let y = Scale.covering(chart.values, log: chart.logScale, includeZero: !chart.logScale)
        let count = max(chart.labels.count, 1)
        let slot = plotWidth / Double(count)
        var body = axes(xTicks: chart.labels.enumerated().map { ($1, (Double($0) + 0.5) / Double(count)) },
                        yTicks: y.ticks.map { (label($0), y.position($0)!) },
                        xLabel: "layer", yLabel: chart.valueLabel + (chart.logScale ? " (log scale)" : ""))
        let base = chart.logScale ? 0.0 : (y.position(0) ?? 0)
        for (i, v) in chart.values.enumerated() {
            let x = left + Double(i) * slot + slot * 0.15
            guard let p = y.position(v) else {
                body.append("<text x=\"\(n(x + slot * 0.35))\" y=\"\(n(top + plotHeight - 6))\" text-anchor=\"middle\" fill=\"#D55E00\">\(v == 0 ? "0" : "∞")</text>")
                continue
            }
            let (lo, hi) = (min(p, base), max(p, base))
            body.append("<rect x=\"\(n(x))\" y=\"\(n(top + (1 - hi) * plotHeight))\" width=\"\(n(slot * 0.7))\" height=\"\(n(max((hi - lo) * plotHeight, 0.5)))\" fill=\"\(SVGRenderer.palette[0])\"><title>\(SVGRenderer.escape(chart.labels[i])) = \(label(v))</title></rect>")
        }
        return document(chart.title, body)
    }

    func histogram(_ chart: Histogram) -> String {
        let x = Scale(low: chart.edges.first ?? 0, high: chart.edges.last ?? 1, log: false)
        let y = Scale.covering(chart.counts.map(Double.init), log: false, includeZero: true)
        var body = axes(xTicks: x.ticks.map { (label($0), x.position($0)!) },
                        yTicks: y.ticks.map { (label($0), y.position($0)!) },
                        xLabel: "value", yLabel: "count")
        for (i, count) in chart.counts.enumerated() {
            guard let a = x.position(chart.edges[i]), let b = x.position(chart.edges[i + 1]), let h = y.position(Double(count)), let z = y.position(0) else { continue }
            body.append("<rect x=\"\(n(left + a * plotWidth + 0.5))\" y=\"\(n(top + (1 - h) * plotHeight))\" width=\"\(n(max((b - a) * plotWidth - 1, 0.5)))\" height=\"\(n((h - z) * plotHeight))\" fill=\"\(SVGRenderer.palette[2])\"><title>[\(label(chart.edges[i])), \(label(chart.edges[i + 1]))): \(count)</title></rect>")
        }
        return document(chart.title, body)
    }

    func heat(_ chart: HeatStrip) -> String {
        let rows = chart.rowLabels.count
        let columns = max(1, min(chart.values.count, 200))
        let positive = chart.values.flatMap { $0 }.filter { $0 > 0 && $0.isFinite }
        let scale = Scale.covering(positive, log: true)
        let barWidth = 14.0
        let gridWidth = plotWidth - 70
        let cellWidth = gridWidth / Double(columns), cellHeight = plotHeight / Double(max(rows, 1))
        let x = Scale(low: Double(chart.firstStep), high: Double(chart.firstStep + chart.values.count - 1), log: false)
        var body: [String] = []
        for r in 0..<rows {
            let means = ChartScale.bucketMeans(chart.values.map { r < $0.count ? $0[r] : .nan }, columns: columns, log: true)
            for (c, v) in means.enumerated() {
                let colour = scale.position(v).map { SVGRenderer.sequential[min(Int($0 * Double(SVGRenderer.sequential.count - 1) + 0.5), SVGRenderer.sequential.count - 1)] } ?? "#bbbbbb"
                body.append("<rect x=\"\(n(left + Double(c) * cellWidth))\" y=\"\(n(top + Double(r) * cellHeight))\" width=\"\(n(cellWidth + 0.3))\" height=\"\(n(cellHeight + 0.3))\" fill=\"\(colour)\"/>")
            }
            body.append("<text x=\"\(n(left - 8))\" y=\"\(n(top + (Double(r) + 0.5) * cellHeight + 4))\" text-anchor=\"end\">\(SVGRenderer.escape(chart.rowLabels[r]))</text>")
        }
        // x ticks under the grid
        for t in x.ticks {
            guard let p = x.position(t) else { continue }
            let px = left + p * gridWidth
            body.append("<line x1=\"\(n(px))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(px))\" y2=\"\(n(top + plotHeight + 5))\" stroke=\"#333\"/>")
            body.append("<text x=\"\(n(px))\" y=\"\(n(top + plotHeight + 19))\" text-anchor=\"middle\">\(label(t))</text>")
        }
        body.append("<text x=\"\(n(left + gridWidth / 2))\" y=\"\(n(height - 12))\" text-anchor=\"middle\">step</text>")
        // colour bar with decade ticks
        let barX = left + gridWidth + 24
        let stops = SVGRenderer.sequential.count
        for (i, colour) in SVGRenderer.sequential.enumerated() {
            let h = plotHeight / Double(stops)
            body.append("<rect x=\"\(n(barX))\" y=\"\(n(top + Double(stops - 1 - i) * h))\" width=\"\(n(barWidth))\" height=\"\(n(h + 0.3))\" fill=\"\(colour)\"/>")
        }
        for t in scale.ticks {
            guard let p = scale.position(t) else { continue }
            body.append("<text x=\"\(n(barX + barWidth + 4))\" y=\"\(n(top + (1 - p) * plotHeight + 4))\">\(label(t))</text>")
        }
        body.append("<text x=\"\(n(barX + barWidth / 2))\" y=\"\(n(top - 8))\" text-anchor=\"middle\">\(SVGRenderer.escape(chart.valueLabel)) (log)</text>")
        return document(chart.title, body)
    }
}
