// TerminalMaps: `plot boundary` and `plot neurons` drawn in text, one character per cell.
import DescentLanguage
import DescentSession
import Foundation

/// Maps over the plane as text. A character is about twice as tall as wide, so a map has half
/// as many rows as columns per unit of the plane. Without colour each character is a shade
/// (' ░▒▓█', or ' .:-=+*#%@' in ASCII) of the value at its centre; with colour it is a
/// background colour, and on a UTF-8 terminal a '▀' whose two halves are two cells.
extension TerminalRenderer {
    /// The largest boundary map: 60 columns by 30 rows for square data.
    static let boundaryColumns = 60, boundaryRows = 30
    /// The columns of each small map of `plot neurons`.
    static let unitColumns = 16

    var mapShades: [Character] { unicode ? Array(" ░▒▓█") : Array(" .:-=+*#%@") }

    /// A map's lines as they are: they fit the width by construction (colour codes would
    /// make them look longer to a wrap), in ASCII on a terminal that is not UTF-8.
    func fittedMap(_ lines: [String]) -> [String] {
        unicode ? lines : lines.map(ASCIIFallback.apply)
    }

    /// Text in ASCII on a terminal that is not UTF-8, before it is wrapped ("…" is longer
    /// as "...").
    func plain(_ text: String) -> String { unicode ? text : ASCIIFallback.apply(text) }

    /// A shade as the legend names it: a space is written ' '.
    func named(_ shade: Character) -> String { shade == " " ? "' '" : String(shade) }

    func renderBoundary(_ map: BoundaryMap) -> [String] {
        let grid = map.grid
        let top = NumberFormat.format(grid.y.upperBound, precision: 3), bottom = NumberFormat.format(grid.y.lowerBound, precision: 3)
        let labelWidth = max(DisplayWidth.of(top), DisplayWidth.of(bottom), DisplayWidth.of(map.yLabel))
        let (columns, rows) = mapSize(grid, maxColumns: min(width - labelWidth - 3, TerminalRenderer.boundaryColumns),
                                      maxRows: TerminalRenderer.boundaryRows)
        var canvas = MapCanvas(grid: grid, scale: map.scale, columns: columns, rows: rows, halves: color && unicode)
        for point in map.points {
            let fx = (point.x - grid.x.lowerBound) / (grid.x.upperBound - grid.x.lowerBound)
            let fy = (grid.y.upperBound - point.y) / (grid.y.upperBound - grid.y.lowerBound)
            guard fx.isFinite, fy.isFinite, fx >= 0, fx <= 1, fy >= 0, fy <= 1 else { continue }
            let c = min(Int(fx * Double(columns)), columns - 1), r = min(Int(fy * Double(rows)), rows - 1)
            canvas.symbols[r * columns + c] = pointSymbol(map, point)
        }
        let body = framed(canvas.lines(self), title: "")
        var lines = wrap(plain(map.title), width: width, indent: "  ").map(dim)
        for (i, line) in body.enumerated() {
            let label = i == 1 ? top : (i == body.count - 2 ? bottom : (i == body.count / 2 ? map.yLabel : ""))
            lines.append(String(repeating: " ", count: labelWidth - DisplayWidth.of(label)) + label + " " + line)
        }
        let left = NumberFormat.format(grid.x.lowerBound, precision: 3), right = NumberFormat.format(grid.x.upperBound, precision: 3)
        let axis = String(repeating: " ", count: labelWidth + 1) + left
            + String(repeating: " ", count: max(1, columns + 2 - left.count - right.count)) + right
        lines.append(axis.count + 2 + DisplayWidth.of(map.xLabel) <= width ? axis + "  " + map.xLabel : axis)
        lines += wrap(plain(legend(map.scale, label: map.valueLabel)), width: width, indent: "  ").map(dim)
        lines += wrap(plain(pointLegend(map)), width: width, indent: "  ").map(dim)
        return lines
    }

    func renderUnits(_ maps: UnitMaps) -> [String] {
        guard let first = maps.units.first else { return [dim(maps.title + ": no units")] }
        let (columns, rows) = mapSize(first, maxColumns: TerminalRenderer.unitColumns, maxRows: TerminalRenderer.unitColumns)
        let perLine = max(1, (width + 1) / (columns + 3))
        var lines = wrap(plain(maps.title), width: width, indent: "  ").map(dim)
        for start in stride(from: 0, to: maps.units.count, by: perLine) {
            let row = (start..<min(start + perLine, maps.units.count)).map { u in
                framed(MapCanvas(grid: maps.units[u], scale: maps.scale, columns: columns, rows: rows, halves: color && unicode).lines(self),
                       title: "\(u + 1)")
            }
            for k in row[0].indices { lines.append(row.map { $0[k] }.joined(separator: " ")) }
        }
        let f = { NumberFormat.format($0, precision: 3) }
        lines += wrap("each map: x1 from \(f(first.x.lowerBound)) to \(f(first.x.upperBound)) across, x2 from \(f(first.y.lowerBound)) to \(f(first.y.upperBound)) up",
                      width: width, indent: "  ").map(dim)
        lines += wrap(plain(legend(maps.scale, label: maps.valueLabel)), width: width, indent: "  ").map(dim)
        return lines
    }

    /// Columns and rows for a map of `grid`'s rectangle: rows half the columns per unit of
    /// the plane, both within their limits.
    func mapSize(_ grid: PlaneGrid, maxColumns: Int, maxRows: Int) -> (columns: Int, rows: Int) {
        let ratio = (grid.y.upperBound - grid.y.lowerBound) / (grid.x.upperBound - grid.x.lowerBound)
        let aspect = ratio.isFinite && ratio > 0 ? min(max(ratio, 0.05), 20) : 1
        var columns = max(maxColumns, 4)
        var rows = Int((Double(columns) * aspect / 2).rounded())
        if rows > maxRows {
            rows = maxRows
            columns = max(4, Int((Double(rows) * 2 / aspect).rounded()))
        }
        return (columns, max(rows, 1))
    }

    /// `lines` in a box; `title` goes into the top edge.
    func framed(_ lines: [String], title: String) -> [String] {
        let (h, v, corners) = unicode ? ("─", "│", ["┌", "┐", "└", "┘"]) : ("-", "|", ["+", "+", "+", "+"])
        let inner = lines.first.map { visibleCount($0) } ?? 0
        let head = title + String(repeating: h, count: max(inner - DisplayWidth.of(title), 0))
        return [corners[0] + head + corners[1]] + lines.map { v + $0 + v } + [corners[2] + String(repeating: h, count: inner) + corners[3]]
    }

    /// Characters of `line` a terminal shows (colour codes left out).
    func visibleCount(_ line: String) -> Int {
        var count = 0, inEscape = false
        for c in line {
            if inEscape { if c == "m" { inEscape = false } } else if c == "\u{1B}" { inEscape = true } else { count += 1 }
        }
        return count
    }

    /// o and x for the two classes of bce; digits for classes (ce) and for a value's tenth of
    /// the scale (mse); test points as O and X, or letters.
    func pointSymbol(_ map: BoundaryMap, _ point: MapPoint) -> Character {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz"), letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if case .probability = map.scale {
            return map.pointClass(point) == 1 ? (point.isTest ? "X" : "x") : (point.isTest ? "O" : "o")
        }
        let index = map.pointClass(point) ?? min(Int((map.scale.fraction(point.target) ?? 0) * 10), 9)
        return point.isTest ? letters[min(index, letters.count - 1)] : digits[min(index, digits.count - 1)]
    }

    /// What the shades or colours mean: "P(class 1): ' '=0 ░=0.25 ▒=0.5 ▓=0.75 █=1".
    func legend(_ scale: MapScale, label: String) -> String {
        let f = { NumberFormat.format($0, precision: 3) }
        if color { return "\(label): " + MapColours.describe(scale: scale, label: f) }
        let shades = mapShades
        if case .classes(let count) = scale {
            return "\(label): " + (0..<count).map { "\(named(MapCanvas.shade(scale.fraction(Double($0)), shades))) \($0)" }.joined(separator: ", ")
        }
        let (low, high) = if case .level(let l, let h) = scale { (l, h) } else { (0.0, 1.0) }
        // Five shades name their values; ASCII's ten would be a row of awkward numbers.
        if shades.count > 5 {
            return "\(label), from \(f(low)) to \(f(high)) in \(shades.count - 1) equal steps: " + shades.map(named).joined(separator: " ")
        }
        return "\(label): " + shades.indices.map { k -> String in
            named(shades[k]) + " " + f(low + (high - low) * Double(k) / Double(shades.count - 1))
        }.joined(separator: ", ")
    }

    func pointLegend(_ map: BoundaryMap) -> String {
        let tests = map.points.contains(where: \.isTest)
        switch map.scale {
        case .probability:
            return "points: o class 0, x class 1" + (tests ? "; test points O and X" : "")
        case .classes(let count):
            let symbols = (0..<min(count, 10)).map(String.init).joined(separator: " ") + (count > 10 ? " …" : "")
            return "points: their class, \(symbols)" + (tests ? "; test points as letters, A for 0, B for 1 …" : "")
        case .level:
            return "points: their target's tenth of the scale, 0 (low) … 9 (high)" + (tests ? "; test points A … J" : "")
        }
    }
}

/// A map's characters before they are drawn: the scale fraction of each character's value
/// (its top and bottom half when `halves`), and the point symbols drawn over them.
struct MapCanvas {
    var columns: Int, rows: Int
    var scale: MapScale
    var halves: Bool
    var top: [Double?], bottom: [Double?]
    var symbols: [Character?]

    init(grid: PlaneGrid, scale: MapScale, columns: Int, rows: Int, halves: Bool) {
        (self.columns, self.rows, self.scale, self.halves) = (columns, rows, scale, halves)
        func sample(_ c: Int, _ fy: Double) -> Double? {
            scale.fraction(grid.value(across: (Double(c) + 0.5) / Double(columns), down: fy))
        }
        var top: [Double?] = [], bottom: [Double?] = []
        for r in 0..<rows {
            for c in 0..<columns {
                top.append(sample(c, (Double(r) + (halves ? 0.25 : 0.5)) / Double(rows)))
                bottom.append(halves ? sample(c, (Double(r) + 0.75) / Double(rows)) : nil)
            }
        }
        (self.top, self.bottom) = (top, bottom)
        symbols = Array(repeating: nil, count: rows * columns)
    }

    /// The shade for a fraction of the scale: light (small) to dark (large); "!" if not finite.
    static func shade(_ fraction: Double?, _ shades: [Character]) -> Character {
        guard let f = fraction else { return "!" }
        return shades[min(max(Int(f * Double(shades.count - 1) + 0.5), 0), shades.count - 1)]
    }

    func lines(_ renderer: TerminalRenderer) -> [String] {
        (0..<rows).map { r in
            var line = "", lastCode = ""
            for c in 0..<columns {
                let i = r * columns + c
                guard renderer.color else {
                    line.append(symbols[i] ?? MapCanvas.shade(top[i], renderer.mapShades))
                    continue
                }
                let back = MapColours.xterm(halves ? bottom[i] : top[i], scale: scale)
                let code: String, text: Character
                if let symbol = symbols[i] {
                    (code, text) = ("1;38;5;16;48;5;\(back)", symbol)
                } else if halves {
                    (code, text) = ("38;5;\(MapColours.xterm(top[i], scale: scale));48;5;\(back)", "▀")
                } else {
                    (code, text) = ("48;5;\(back)", " ")
                }
                if code != lastCode { line += "\u{1B}[0;\(code)m" }
                lastCode = code
                line.append(text)
            }
            return renderer.color ? line + "\u{1B}[0m" : line
        }
    }
}
