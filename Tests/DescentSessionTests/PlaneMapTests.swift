import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import DescentSession
import DescentRendering
import DescentLanguage

/// `plot boundary` and `plot neurons L` on a net whose weights are set by hand, so the
/// pictures depend on no random draw: golden files (terminal Unicode and ASCII, SVG), widths,
/// and the errors.
@Suite struct PlaneMapTests {
    /// XOR-like points; a 2-3-1 tanh net set by hand.
    static let setup = [
        "let X = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [0.2, 0.8]]", "let y = [0, 1, 1, 0, 1, 1]", "data X, y",
        "net 2 -> 3 tanh -> 1 sigmoid", "loss bce",
        "set W1 = [[3, -3, 1], [3, -3, -1]]", "set b1 = [-1.5, 4.5, 0]", "set W2 = [[3], [3], [0.5]]", "set b2 = [-3]",
    ]

    func chart(_ command: String, after lines: [String] = setup) throws -> Chart {
        var s = try session(lines)
        let output = try #require(s.perform(command).output, "\(command) failed")
        for case .chart(let chart) in output.blocks { return chart }
        Issue.record("\(command) drew no chart")
        return .bars(BarChart(title: "", labels: [], values: [], valueLabel: "", logScale: false))
    }

    func check(_ text: String, golden name: String) throws { try checkGolden(text, name) }

    @Test(arguments: [("boundary", "plot boundary"), ("neurons", "plot neurons 1")])
    func golden(_ name: String, _ command: String) throws {
        let chart = try chart(command)
        try check(TerminalRenderer(width: 60, color: false, unicode: true).renderChart(chart).joined(separator: "\n") + "\n", golden: "\(name).txt")
        let ascii = TerminalRenderer(width: 60, color: false, unicode: false).renderChart(chart)
        #expect(ascii.allSatisfy { $0.allSatisfy(\.isASCII) })
        try check(ascii.joined(separator: "\n") + "\n", golden: "\(name).ascii.txt")
        let svg = SVGRenderer().render(chart)
        try check(svg + "\n", golden: "\(name).svg")
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(name).svg is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(svg.contains("<title>"))
    }

    /// The points carry their class; the map's value is P(class 1) on the grid's cells.
    @Test func boundaryValue() throws {
        guard case .boundary(let map) = try chart("plot boundary") else { Issue.record("not a boundary map"); return }
        #expect(map.scale == .probability)
        #expect(map.points.map(\.target) == [0, 1, 1, 0, 1, 1])
        #expect(map.points.allSatisfy { !$0.isTest })
        #expect(map.grid.x.lowerBound == -0.1 && map.grid.x.upperBound == 1.1)
        #expect(map.grid.values.count == map.grid.rows * map.grid.columns)
        #expect(map.grid.values.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    /// Every line fits the terminal, in Unicode, ASCII and colour (codes not counted).
    @Test(arguments: [40, 80, 120])
    func fitsTheWidth(_ width: Int) throws {
        let spiral = ["data spiral n=60 classes=3", "net 2 -> 12 relu -> 3", "loss ce"]
        let cases = [("plot boundary", PlaneMapTests.setup), ("plot neurons 1", PlaneMapTests.setup),
                     ("plot neurons 2", PlaneMapTests.setup), ("plot boundary", spiral), ("plot neurons 1", spiral)]
        for (command, lines) in cases {
            let chart = try chart(command, after: lines)
            for (color, unicode) in [(false, true), (false, false), (true, true), (true, false)] {
                let renderer = TerminalRenderer(width: width, color: color, unicode: unicode)
                for line in renderer.renderChart(chart) {
                    let shown = line.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
                    #expect(shown.count <= width, "\(command) at \(width) (colour \(color), unicode \(unicode)): \(line)")
                }
            }
        }
    }

    /// ce: the arg-max class over the plane, and the points as their class digits.
    @Test func classesForCrossEntropy() throws {
        let chart = try chart("plot boundary", after: ["data spiral n=60 classes=3", "net 2 -> 12 relu -> 3", "loss ce"])
        guard case .boundary(let map) = chart else { Issue.record("not a boundary map"); return }
        #expect(map.scale == .classes(count: 3))
        #expect(Set(map.grid.values).isSubset(of: [0, 1, 2]))
        let lines = TerminalRenderer(width: 80, color: false, unicode: true).renderChart(chart)
        #expect(lines.contains { $0.hasPrefix("class: ' ' 0, ▒ 1, █ 2") })
        #expect(lines.contains { $0.contains("2") && $0.contains("│") })
    }

    /// Test points (the coming `split`) are drawn apart: O and X in text, hollow in SVG.
    @Test func testPointsAreDrawnApart() {
        let grid = PlaneGrid(x: 0...1, y: 0...1, columns: 2, rows: 2, values: [0, 1, 1, 0])
        let map = BoundaryMap(title: "t", valueLabel: "P(class 1)", grid: grid, scale: .probability,
                              points: [MapPoint(x: 0.25, y: 0.75, target: 1, isTest: true), MapPoint(x: 0.75, y: 0.25, target: 0)])
        let lines = TerminalRenderer(width: 80, color: false, unicode: true).renderChart(.boundary(map))
        #expect(lines.contains { $0.contains("X") } && lines.contains { $0.contains("o") })
        #expect(lines.contains { $0.contains("test points O and X") })
        #expect(SVGRenderer().render(.boundary(map)).contains("fill=\"white\" stroke=\"#0072b2\" stroke-width=\"2\""))
    }

    @Test func mseShadesTheValue() throws {
        let lines = ["let X = [[0, 0], [1, 1], [2, 0]]", "let y = [0, 1, 2]", "data X, y", "net 2 -> 1"]
        guard case .boundary(let map) = try chart("plot boundary", after: lines) else { Issue.record("not a boundary map"); return }
        guard case .level(let low, let high) = map.scale else { Issue.record("not a level scale"); return }
        #expect(low <= 0 && high >= 2)
        #expect(map.valueLabel == "ŷ")
    }

    @Test(arguments: [
        ([String](), "plot boundary", "plot boundary needs a network, and there is none yet"),
        (["net 2 -> 1"], "plot boundary", "plot boundary needs data, and there is none yet"),
        (["let X = randn(4, 5)", "let y = [0, 1, 0, 1]", "data X, y", "net 5 -> 1 sigmoid", "loss bce"], "plot boundary",
         "plot boundary draws 2-feature data; X has 5 columns"),
        (["let X = randn(4, 5)", "let y = [0, 1, 0, 1]", "data X, y", "net 2 -> 1"], "plot boundary",
         "plot boundary draws 2-feature data; X has 5 columns"),
        (["data xor", "net 2 -> 3 -> 1 sigmoid", "loss ce"], "plot boundary",
         "loss ce applies the softmax itself: the last layer must be linear, not sigmoid (write '-> 2', one output per class)"),
        (setup, "plot neurons 3", "plot neurons 3: the net has 2 layers, so layers are numbered 1…2"),
        ([String](), "plot neurons 1", "plot neurons needs a network, and there is none yet"),
        (["let X = randn(4, 5)", "let y = [0, 1, 0, 1]", "data X, y", "net 5 -> 3 -> 1"], "plot neurons 1",
         "plot neurons draws 2-feature data; X has 5 columns"),
        (["data xor", "net 3 -> 1"], "plot neurons 1", "the net takes 3 inputs but X has 2 columns"),
    ])
    func errors(_ lines: [String], _ command: String, _ message: String) throws {
        var s = try session(lines)
        let before = Fingerprint(s)
        let error = try #require(s.perform(command).error, "\(command) should fail")
        #expect(error.message == message)
        #expect(Fingerprint(s) == before)
    }

    @Test func parsing() throws {
        #expect(try Parser.parse("plot loss") == .plot(.loss))
        #expect(try Parser.parse("plot norms") == .plot(.norms))
        #expect(try Parser.parse("plot boundary") == .plot(.boundary))
        guard case .plot(.neurons(let layer)) = try Parser.parse("plot neurons 2") else { Issue.record("not plot neurons"); return }
        #expect(layer.value == 2 && layer.range.column == 14)
        for (line, message) in [("plot neurons", "plot neurons needs a layer number, found the end of the line"),
                                ("plot neurons 0", "the layer number must be at least 1, got 0"),
                                ("plot neurons 1.5", "expected the layer number, a whole number, found '1.5'"),
                                ("plot boundary 2", "unexpected '2' after the command")] {
            #expect(throws: Diagnostic.self) { try Parser.parse(line) }
            do { _ = try Parser.parse(line) } catch { #expect(error.message == message, "\(line)") }
        }
    }

    @Test func helpAndCompletionKnowThem() throws {
        var s = try session([])
        let help = TerminalRenderer(width: 100).render(try #require(s.perform("help plot").output)).joined(separator: "\n")
        #expect(help.contains("plot boundary") && help.contains("plot neurons L"))
        let completer = Completer(session: s)
        #expect(completer.complete(word: "b", before: "plot ") == .words(["boundary"]))
        #expect(completer.complete(word: "ne", before: "plot ") == .words(["neurons"]))
    }
}
