// SVGMaps: `plot boundary` and `plot neurons` as SVG, for notebook exports.
import DescentLanguage
import DescentSession
import Foundation

/// Maps over the plane as SVG: the filled map as rows of rects (a run of cells of one
/// colour is one rect, so a 96×96 grid stays a few hundred elements), the points as circles
/// on top, a frame with ticks, and a legend. Colours from `MapColours`.
extension SVGRenderer {
    /// Fill levels per scale: enough to look smooth, few enough for long runs of one colour.
    static let mapLevels = 24.0

    func boundary(_ map: BoundaryMap) -> String {
        let (plotW, plotH) = SVGRenderer.mapBox(map.grid, longSide: 400)
        var r = self
        (r.left, r.right, r.top, r.bottom) = (78, 200, 44, 56)
        (r.width, r.height) = (r.left + plotW + r.right, r.top + plotH + r.bottom)
        var body = r.cells(map.grid, scale: map.scale, x: r.left, y: r.top, w: plotW, h: plotH)
        let g = map.grid
        for point in map.points {
            let fx = (point.x - g.x.lowerBound) / (g.x.upperBound - g.x.lowerBound)
            let fy = (g.y.upperBound - point.y) / (g.y.upperBound - g.y.lowerBound)
            guard fx.isFinite, fy.isFinite else { continue }
            body.append(r.circle(x: r.left + fx * plotW, y: r.top + fy * plotH, colour: SVGRenderer.pointColour(map, point), hollow: point.isTest))
        }
        body += r.mapFrame(g, x: r.left, y: r.top, w: plotW, h: plotH, xLabel: map.xLabel, yLabel: map.yLabel)
        body += r.mapLegend(map, x: r.left + plotW + 28, y: r.top)
        return r.document(map.title, body)
    }

    func neurons(_ maps: UnitMaps) -> String {
        guard let first = maps.units.first else { return document(maps.title, []) }
        let (mapW, mapH) = SVGRenderer.mapBox(first, longSide: 110)
        let gap = 18.0, perRow = min(maps.units.count, 6)
        let rows = (maps.units.count + perRow - 1) / perRow
        var r = self
        (r.left, r.top) = (24, 44)
        r.width = max(640, 2 * r.left + Double(perRow) * (mapW + gap) - gap)
        r.height = r.top + Double(rows) * (mapH + 34) + 70
        var body: [String] = []
        for (u, grid) in maps.units.enumerated() {
            let x = r.left + Double(u % perRow) * (mapW + gap), y = r.top + 20 + Double(u / perRow) * (mapH + 34)
            body.append("<text x=\"\(n(x + mapW / 2))\" y=\"\(n(y - 5))\" text-anchor=\"middle\">\(u + 1)</text>")
            body += r.cells(grid, scale: maps.scale, x: x, y: y, w: mapW, h: mapH)
            body.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(mapW))\" height=\"\(n(mapH))\" fill=\"none\" stroke=\"#333\"/>")
        }
        let legendY = r.height - 48
        body += r.colourBar(maps.scale, label: maps.valueLabel, x: r.left, y: legendY, length: 220, horizontal: true)
        let f = label
        body.append("<text x=\"\(n(r.left + 260))\" y=\"\(n(legendY + 10))\">each map: x1 from \(f(first.x.lowerBound)) to \(f(first.x.upperBound)) across, x2 from \(f(first.y.lowerBound)) to \(f(first.y.upperBound)) up</text>")
        if maps.omitted > 0 {
            body.append("<text x=\"\(n(r.left + 260))\" y=\"\(n(legendY + 28))\">\(maps.omitted) more units not shown</text>")
        }
        return r.document(maps.title, body)
    }

    // MARK: - Pieces

    /// The size of a map whose longer side is `longSide`, with the plane's aspect (held
    /// between 1:4 and 4:1).
    static func mapBox(_ grid: PlaneGrid, longSide: Double) -> (Double, Double) {
        let ratio = (grid.y.upperBound - grid.y.lowerBound) / (grid.x.upperBound - grid.x.lowerBound)
        let aspect = ratio.isFinite && ratio > 0 ? min(max(ratio, 0.25), 4) : 1
        return aspect <= 1 ? (longSide, longSide * aspect) : (longSide / aspect, longSide)
    }

    /// The grid's cells as one path per colour, each run of equal colour along a row a
    /// rectangle of it: a few dozen elements and about 25 bytes a run, where a rect per
    /// cell would be thousands.
    func cells(_ grid: PlaneGrid, scale: MapScale, x: Double, y: Double, w: Double, h: Double) -> [String] {
        let cw = w / Double(grid.columns), ch = h / Double(grid.rows)
        func colour(_ v: Double) -> String {
            let f = scale.fraction(v).map { ($0 * SVGRenderer.mapLevels).rounded() / SVGRenderer.mapLevels }
            return MapColours.fill(f, scale: scale).hex
        }
        var runs: [String: [String]] = [:], order: [String] = []
        for row in 0..<grid.rows {
            var start = 0
            var current = colour(grid.values[row * grid.columns])
            for c in 1...grid.columns {
                let next = c < grid.columns ? colour(grid.values[row * grid.columns + c]) : ""
                guard next != current else { continue }
                if runs[current] == nil { order.append(current) }
                // A little wider and taller than the cells, so that no seam shows.
                runs[current, default: []].append("M\(n(x + Double(start) * cw)) \(n(y + Double(row) * ch))h\(n(Double(c - start) * cw + 0.4))v\(n(ch + 0.4))h\(n(-(Double(c - start) * cw + 0.4)))z")
                (start, current) = (c, next)
            }
        }
        return order.map { "<path fill=\"\($0)\" d=\"\(runs[$0]!.joined())\"/>" }
    }

    func circle(x: Double, y: Double, colour: String, hollow: Bool) -> String {
        hollow ? "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3.5\" fill=\"white\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
               : "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3.5\" fill=\"\(colour)\" stroke=\"#222\" stroke-width=\"0.8\"/>"
    }

    static func pointColour(_ map: BoundaryMap, _ point: MapPoint) -> String {
        let fraction = map.pointClass(point).flatMap { map.scale.fraction(Double($0)) } ?? map.scale.fraction(point.target)
        return MapColours.point(fraction, scale: map.scale).hex
    }

    /// A frame round the map, with ticks at round values of x1 and x2 and the axis names.
    func mapFrame(_ grid: PlaneGrid, x: Double, y: Double, w: Double, h: Double, xLabel: String, yLabel: String) -> [String] {
        let xs = Scale(low: grid.x.lowerBound, high: grid.x.upperBound, log: false)
        let ys = Scale(low: grid.y.lowerBound, high: grid.y.upperBound, log: false)
        var out = ["<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"none\" stroke=\"#333\"/>"]
        for t in xs.ticks {
            guard let p = xs.position(t) else { continue }
            out.append("<line x1=\"\(n(x + p * w))\" y1=\"\(n(y + h))\" x2=\"\(n(x + p * w))\" y2=\"\(n(y + h + 5))\" stroke=\"#333\"/>")
            out.append("<text x=\"\(n(x + p * w))\" y=\"\(n(y + h + 19))\" text-anchor=\"middle\">\(SVGRenderer.escape(label(t)))</text>")
        }
        for t in ys.ticks {
            guard let p = ys.position(t) else { continue }
            out.append("<line x1=\"\(n(x - 5))\" y1=\"\(n(y + (1 - p) * h))\" x2=\"\(n(x))\" y2=\"\(n(y + (1 - p) * h))\" stroke=\"#333\"/>")
            out.append("<text x=\"\(n(x - 8))\" y=\"\(n(y + (1 - p) * h + 4))\" text-anchor=\"end\">\(SVGRenderer.escape(label(t)))</text>")
        }
        out.append("<text x=\"\(n(x + w / 2))\" y=\"\(n(y + h + 40))\" text-anchor=\"middle\">\(SVGRenderer.escape(xLabel))</text>")
        out.append("<text transform=\"translate(24 \(n(y + h / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVGRenderer.escape(yLabel))</text>")
        return out
    }

    /// The value's colours, and what the points' colours and shapes mean.
    func mapLegend(_ map: BoundaryMap, x: Double, y: Double) -> [String] {
        var out = colourBar(map.scale, label: map.valueLabel, x: x, y: y, length: 160, horizontal: false)
        var ly = y + 200
        out.append("<text x=\"\(n(x))\" y=\"\(n(ly))\" font-weight=\"bold\">points</text>")
        var entries: [(String, String, Bool)] = []
        switch map.scale {
        case .probability:
            entries = [("class 0", MapColours.point(0, scale: .probability).hex, false), ("class 1", MapColours.point(1, scale: .probability).hex, false)]
        case .classes(let count):
            entries = (0..<min(count, 7)).map { ("class \($0)", MapColours.classColour($0).hex, false) }
        case .level:
            entries = [("target, coloured as ŷ", MapColours.point(1, scale: map.scale).hex, false)]
        }
        if map.points.contains(where: \.isTest) { entries.append(("hollow: test", "#555555", true)) }
        for (text, colour, hollow) in entries {
            ly += 18
            out.append(circle(x: x + 6, y: ly - 4, colour: colour, hollow: hollow))
            out.append("<text x=\"\(n(x + 16))\" y=\"\(n(ly))\">\(SVGRenderer.escape(text))</text>")
        }
        return out
    }

    /// A bar of the scale's colours with its ends (and middle) labelled; for classes, a
    /// swatch per class.
    func colourBar(_ scale: MapScale, label title: String, x: Double, y: Double, length: Double, horizontal: Bool) -> [String] {
        var out = ["<text x=\"\(n(x))\" y=\"\(n(y - 4))\" font-weight=\"bold\">\(SVGRenderer.escape(title))</text>"]
        if case .classes(let count) = scale {
            for c in 0..<count {
                let (sx, sy) = horizontal ? (x + Double(c) * 60, y + 14) : (x, y + 14 + Double(c) * 18)
                out.append("<rect x=\"\(n(sx))\" y=\"\(n(sy))\" width=\"14\" height=\"14\" fill=\"\(MapColours.fill(scale.fraction(Double(c)), scale: scale).hex)\" stroke=\"#333\"/>")
                out.append("<text x=\"\(n(sx + 20))\" y=\"\(n(sy + 11))\">\(c)</text>")
            }
            return out
        }
        let (low, high) = if case .level(let l, let h) = scale { (l, h) } else { (0.0, 1.0) }
        let steps = 20
        for k in 0..<steps {
            let colour = MapColours.fill((Double(k) + 0.5) / Double(steps), scale: scale).hex
            let piece = length / Double(steps)
            out.append(horizontal
                ? "<rect x=\"\(n(x + Double(k) * piece))\" y=\"\(n(y + 14))\" width=\"\(n(piece + 0.3))\" height=\"12\" fill=\"\(colour)\"/>"
                : "<rect x=\"\(n(x))\" y=\"\(n(y + 14 + length - Double(k + 1) * piece))\" width=\"14\" height=\"\(n(piece + 0.3))\" fill=\"\(colour)\"/>")
        }
        for (t, value) in [(0.0, low), (0.5, (low + high) / 2), (1.0, high)] {
            out.append(horizontal
                ? "<text x=\"\(n(x + t * length))\" y=\"\(n(y + 42))\" text-anchor=\"middle\">\(label(value))</text>"
                : "<text x=\"\(n(x + 20))\" y=\"\(n(y + 14 + (1 - t) * length + 4))\">\(label(value))</text>")
        }
        return out
    }
}
