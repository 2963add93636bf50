import DescentCore
import DescentLanguage
import DescentSession
import Foundation

/// Charts drawn with Unicode blocks (ASCII when the terminal is not UTF-8), never wider than
/// the terminal.
extension TerminalRenderer {
    public func renderChart(_ chart: Chart) -> [String] {
        let lines: [String]
        switch chart {
        case .line(let c): lines = renderLine(c)
        case .bars(let c): lines = renderBars(c)
        case .histogram(let c): lines = renderHistogram(c)
        case .heat(let c): lines = renderHeat(c)
        case .boundary(let c): return fittedMap(renderBoundary(c))
        case .neurons(let c): return fittedMap(renderUnits(c))
        }
        // The plot fits the width by construction; a long title is wrapped to it. Widths are
        // measured without colour codes, which take no column.
        return lines.flatMap { TerminalRenderer.visibleWidth($0) > width ? wrap($0, width: width, indent: "  ") : [$0] }
    }

    private func f3(_ x: Double) -> String { NumberFormat.format(x, precision: 3) }

    /// A bar `fraction` of `width` long, with 1/8-cell resolution on UTF-8 terminals.
    func drawBar(fraction: Double, width: Int) -> String {
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        guard unicode else { return String(repeating: "#", count: Int((f * Double(width)).rounded())) }
        let eighths = Int((f * Double(width) * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }

    /// An area chart `height` rows tall: each column is the mean of its bucket of steps, on a
    /// log scale when the values span decades; y labels on the left, steps below.
    func renderLine(_ chart: LineChart) -> [String] {
        // Several series (training and test loss): one area chart each, one under the other.
        if chart.series.count > 1 {
            return chart.series.flatMap { series in
                var one = chart
                one.title = chart.title + " — " + series.name
                one.series = [series]
                return renderLine(one)
            }
        }
        guard let series = chart.series.first, !series.values.isEmpty else { return [dim(chart.title + ": nothing yet")] }
        let log = chart.logY
        let values = series.values
        let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        // Enough digits for the two axis labels to differ.
        var digits = 3
        while digits < 10 && NumberFormat.format(high, precision: digits) == NumberFormat.format(low, precision: digits) { digits += 1 }
        let topLabel = NumberFormat.format(high, precision: digits), bottomLabel = NumberFormat.format(low, precision: digits)
        let labelWidth = max(DisplayWidth.of(topLabel), DisplayWidth.of(bottomLabel))
        let columns = max(1, min(values.count, width - labelWidth - 3))
        let buckets = ChartScale.bucketMeans(values, columns: columns, log: log)
        let height = 8
        func level(_ v: Double) -> Double? {
            guard v.isFinite, !log || v > 0 else { return nil }
            // Halves, so that values near ±1e308 do not overflow the span.
            let (a, b, x) = log ? (Foundation.log10(low), Foundation.log10(high), Foundation.log10(v)) : (low / 2, high / 2, v / 2)
            let l = b > a ? (x - a) / (b - a) : 0.5
            return l.isFinite ? l : nil
        }
        let blocks = unicode ? Array(" ▁▂▃▄▅▆▇█") : Array(" ....####")
        var lines = [dim(chart.title + (log ? " (log scale)" : ""))]
        for row in (0..<height).reversed() {
            let label = row == height - 1 ? topLabel : (row == 0 ? bottomLabel : "")
            var text = ""
            for v in buckets {
                guard let l = level(v) else { text += row == 0 ? (unicode ? "×" : "x") : " "; continue }
                // Eighths of a row filled in this row, with at least a sliver at the bottom.
                let filled = max(l * Double(height) * 8, 1) - Double(row * 8)
                text.append(filled >= 8 ? blocks[8] : (filled <= 0 ? " " : blocks[Int(filled.rounded(.up))]))
            }
            while text.hasSuffix(" ") { text.removeLast() }
            lines.append(String(repeating: " ", count: labelWidth - DisplayWidth.of(label)) + label + " " + (unicode ? "│" : "|") + cyan(text))
        }
        let first = "\(series.firstX)", last = "\(series.firstX + values.count - 1)"
        lines.append(String(repeating: " ", count: labelWidth + 1) + (unicode ? "└" : "+") + String(repeating: unicode ? "─" : "-", count: buckets.count))
        let gap = max(1, buckets.count - first.count - last.count)
        let axis = String(repeating: " ", count: labelWidth + 2) + first + String(repeating: " ", count: gap) + last
        lines.append(axis.count + 2 + DisplayWidth.of(chart.xLabel) <= width ? axis + "  " + chart.xLabel : axis)
        let minimum = values.filter(\.isFinite).min()
        lines.append(dim("first \(f3(values[0]))  last \(f3(values[values.count - 1]))" + (minimum.map { "  min \(f3($0))" } ?? "")))
        return lines
    }

    /// Horizontal bars; on a log scale a value 10⁻⁸ times another still shows, and a gradient
    /// decaying layer by layer reads as a staircase.
    func renderBars(_ chart: BarChart) -> [String] {
        let labelWidth = chart.labels.map(\.count).max() ?? 0
        let valueTexts = chart.values.map(f3)
        let valueWidth = valueTexts.map(\.count).max() ?? 0
        let barWidth = max(width - labelWidth - valueWidth - 4, 10)
        let positions: [Double?] = chart.values.map { v in
            guard v.isFinite, !chart.logScale || v > 0 else { return nil }
            return chart.logScale ? Foundation.log10(v) : v
        }
        let present = positions.compactMap { $0 }
        var low = 0.0, high = 1.0
        var scale = ""
        if chart.logScale {
            low = (present.min() ?? 0).rounded(.down) - 1
            high = max((present.max() ?? 1).rounded(.up), low + 1)
            if !present.isEmpty { scale = "  [1e\(Int(low)) \(unicode ? "…" : "...") 1e\(Int(high))]" }
        } else {
            high = max(present.max() ?? 1, 0)
            low = min(present.min() ?? 0, 0)
            if high == low { high = low + 1 }
        }
        var lines = [dim(chart.title + scale)]
        for (i, label) in chart.labels.enumerated() {
            let bar: String
            if let p = positions[i] {
                bar = drawBar(fraction: (p - low) / (high - low), width: barWidth)
            } else {
                bar = chart.values[i] == 0 ? "(exactly 0)" : (unicode ? "⚠ not finite" : "! not finite")
            }
            let padded = bar + String(repeating: " ", count: max(barWidth - bar.count, 0))
            lines.append(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + cyan(padded) + "  " + valueTexts[i])
        }
        return lines
    }

    /// One line per bin: its range, a bar, the count.
    func renderHistogram(_ chart: Histogram) -> [String] {
        let ranges = chart.counts.indices.map { "[\(f3(chart.edges[$0])), \(f3(chart.edges[$0 + 1]))" + ($0 == chart.counts.count - 1 ? "]" : ")") }
        let rangeWidth = ranges.map(\.count).max() ?? 0
        let countWidth = chart.counts.map { String($0).count }.max() ?? 1
        let barWidth = max(width - rangeWidth - countWidth - 4, 10)
        let top = max(chart.counts.max() ?? 1, 1)
        var lines = [dim(chart.title)]
        for (i, count) in chart.counts.enumerated() {
            let bar = drawBar(fraction: Double(count) / Double(top), width: barWidth)
            lines.append(ranges[i].padding(toLength: rangeWidth, withPad: " ", startingAt: 0) + "  "
                         + cyan(bar + String(repeating: " ", count: max(barWidth - bar.count, 0))) + "  "
                         + String(repeating: " ", count: countWidth - String(count).count) + String(count))
        }
        if chart.nonFinite > 0 {
            lines += wrap("\(chart.nonFinite) entries are NaN or infinite and are not counted", width: width, indent: "  ").map(yellow)
        }
        return lines
    }

    /// Rows of shades, one per layer, columns over the steps; darker is larger (log scale).
    func renderHeat(_ chart: HeatStrip) -> [String] {
        let labelWidth = chart.rowLabels.map(\.count).max() ?? 0
        let columns = max(1, min(chart.values.count, width - labelWidth - 3))
        let shades = unicode ? Array(" ░▒▓█") : Array(" .:*#")
        let logs = chart.values.flatMap { $0 }.filter { $0 > 0 && $0.isFinite }.map(Foundation.log10)
        let low = logs.min() ?? 0, high = max(logs.max() ?? 1, (logs.min() ?? 0) + 1e-12)
        var lines = [dim(chart.title)]
        for (r, label) in chart.rowLabels.enumerated() {
            let series = chart.values.map { r < $0.count ? $0[r] : .nan }
            let buckets = ChartScale.bucketMeans(series, columns: columns, log: true)
            let text = String(buckets.map { v -> Character in
                guard v.isFinite, v > 0 else { return v == 0 ? shades[0] : (unicode ? "×" : "x") }
                let f = (Foundation.log10(v) - low) / (high - low)
                guard f.isFinite else { return shades[0] }
                return shades[min(max(Int(f * Double(shades.count - 1) + 0.5), 0), shades.count - 1)]
            })
            lines.append(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " " + (unicode ? "│" : "|") + cyan(text) + (unicode ? "│" : "|"))
        }
        let first = "\(chart.firstStep)", last = "\(chart.firstStep + chart.values.count - 1)"
        let span = min(columns, chart.values.count)
        let axis = String(repeating: " ", count: labelWidth + 2) + first + String(repeating: " ", count: max(1, span - first.count - last.count)) + last
        lines.append(axis.count + 6 <= width ? axis + "  step" : axis)
        let legend = shades.dropFirst().enumerated().map { i, c in
            "\(c) \(f3(Foundation.pow(10, low + (high - low) * Double(i + 1) / Double(shades.count - 1))))"
        }.joined(separator: "  ")
        lines += wrap("\(chart.valueLabel): " + legend, width: width, indent: "  ").map(dim)
        return lines
    }
}
