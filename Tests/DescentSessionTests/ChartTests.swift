import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import DescentSession
import DescentRendering
import DescentNotebook
import DescentLanguage

/// Golden tests: each chart kind on fixed data, drawn for a terminal (Unicode and ASCII) and
/// as SVG, compared with files under Golden/. Set DESCENT_UPDATE_GOLDEN=1 to rewrite them
/// (then read the diff: the test freezes what it prints).
@Suite struct ChartTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static let charts: [(String, Chart)] = [
        ("loss-line", .line(LineChart(title: "batch loss by step", xLabel: "step", yLabel: "loss",
                                      series: [LineSeries(name: "batch loss", values: (0..<40).map { 7.5 * pow(0.85, Double($0 * 2)) }, firstX: 1)]))),
        ("flat-line", .line(LineChart(title: "flat", xLabel: "step", yLabel: "loss",
                                      series: [LineSeries(name: "loss", values: [0.5, 0.25, 0.75, 0.5, 1, 0], firstX: 3)]))),
        ("norm-bars", .bars(BarChart(title: "‖dW‖ by layer", labels: ["dW1", "dW2", "dW3", "dW4"],
                                     values: [3e-9, 2e-7, 1e-4, 0.03], valueLabel: "‖dW‖", logScale: true))),
        ("bars-with-zero-and-inf", .bars(BarChart(title: "odd values", labels: ["a", "b", "c"],
                                                  values: [0, .infinity, 1], valueLabel: "v", logScale: true))),
        // `show norms` when every ‖dW‖ is zero (a net with zero inputs or zero weights): nothing
        // to place on the log axis (its SVG crashed an export).
        ("bars-all-zero", .bars(BarChart(title: "‖dW‖ by layer", labels: ["dW1", "dW2"],
                                         values: [0, 0], valueLabel: "‖dW‖", logScale: true))),
        ("histogram", .histogram(Histogram(title: "W1: 10 entries", values: [-1, -0.5, -0.5, 0, 0, 0, 0.25, 0.5, 1, .nan], bins: 4))),
        ("heat", .heat(HeatStrip(title: "‖dW‖ per layer and step", rowLabels: ["dW1", "dW2", "dW3"],
                                 values: (0..<12).map { t in [1e-6 * pow(2, Double(t)), 1e-3, 0.1 / Double(t + 1)] },
                                 firstStep: 1, valueLabel: "‖dW‖"))),
    ]

    static var names: [String] { charts.map(\.0) }

    func check(_ text: String, golden name: String) throws { try checkGolden(text, name) }

    @Test(arguments: names)
    func terminal(_ name: String) throws {
        let chart = ChartTests.charts.first { $0.0 == name }!.1
        try check(TerminalRenderer(width: 60, color: false, unicode: true).renderChart(chart).joined(separator: "\n") + "\n", golden: "\(name).txt")
        try check(TerminalRenderer(width: 60, color: false, unicode: false).renderChart(chart).joined(separator: "\n") + "\n", golden: "\(name).ascii.txt")
    }

    @Test(arguments: names)
    func svg(_ name: String) throws {
        let chart = ChartTests.charts.first { $0.0 == name }!.1
        let text = SVGRenderer().render(chart)
        try check(text + "\n", golden: "\(name).svg")
        // Well-formed XML, with a title and axes text.
        let parser = XMLParser(data: Data(text.utf8))
        #expect(parser.parse(), "\(name).svg is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(text.contains("<title>"))
    }

    /// Charts never draw wider than the terminal.
    @Test(arguments: [40, 60, 80, 132])
    func chartsFitTheWidth(_ width: Int) {
        let renderer = TerminalRenderer(width: width, color: false, unicode: true)
        for (name, chart) in ChartTests.charts {
            for line in renderer.renderChart(chart) {
                #expect(line.count <= width, "\(name) at \(width): \(line)")
            }
        }
    }

    /// Values near the largest double: every edge finite and increasing, every value counted
    /// (the edges once overflowed to [inf, inf)).
    @Test(arguments: [[1e308, -1e308, 5e307, 0], [1e308, 1.7e308], [-1.79e308, 1.79e308],
                      [.greatestFiniteMagnitude, .greatestFiniteMagnitude], [-.greatestFiniteMagnitude]])
    func histogramEdgesStayFiniteNearTheLargestDouble(_ values: [Double]) {
        let h = Histogram(title: "a", values: values)
        #expect(h.edges.allSatisfy { $0.isFinite })
        #expect(zip(h.edges, h.edges.dropFirst()).allSatisfy { $0 < $1 })
        if values.min() != values.max() {
            #expect(h.edges.first == values.min() && h.edges.last == values.max())
            #expect(h.counts.first! >= 1 && h.counts.last! >= 1)
        }
        #expect(h.counts.reduce(0, +) == values.count)
    }

    @Test func logScaleWhenValuesSpanDecades() {
        #expect(ChartScale.wantsLog([1, 1000]))
        #expect(!ChartScale.wantsLog([1, 50]))
        #expect(!ChartScale.wantsLog([0, 1000]))
        #expect(ChartScale.linearTicks(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(ChartScale.logTicks(3e-9, 0.03) == [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1])
        #expect(ChartScale.logTicks(0, 1) == [] && ChartScale.logTicks(1, .infinity) == [])
    }
}

/// Issue 12, item 15: under LC_ALL=C (no UTF-8) every line is ASCII, and tables stay aligned.
@Suite struct ASCIIOutputTests {
    @Test func everyLineIsASCIIAndTablesAlign() throws {
        var s = try session(["let X = [[1], [2]]", "let y = [1, 2]", "data X, y", "net 1 -> 2 tanh -> 1", "step"])
        let renderer = TerminalRenderer(width: 80, color: false, unicode: false)
        var lines: [String] = []
        for command in ["show norms", "explain dW1", "show config", "help step", "optimizer gd lr=0.1"] {
            let output = try #require(s.perform(command).output)
            lines += renderer.render(output)
        }
        #expect(lines.allSatisfy { $0.allSatisfy(\.isASCII) })
        let norms = try #require(s.perform("show norms").output)
        let table = try #require(renderer.render(norms).first)
        #expect(table == "layer  shape          |W|  |dW|  |dW|/|W|  |delta|")
        let error = renderer.render(Diagnostic("a — b ‖x‖", at: nil), source: nil)
        #expect(error == ["error: a - b |x|"])
    }
}

/// Issue 12, item 11: at 40 columns help, tables and charts fit, and no word is broken.
@Suite struct NarrowRenderingTests {
    /// explain's table at 50 columns: one line of pairs per layer, with its own labels ("δ ="
    /// for the column headed "δ = ∂loss/∂Z") and without the output layer's empty cells.
    @Test func explainsTableTooWideBecomesOneRecordPerLayer() throws {
        var s = try session(["data xor", "net 2 -> 4 tanh -> 1 sigmoid", "step"])
        let lines = TerminalRenderer(width: 50, color: false, unicode: true).render(try #require(s.perform("explain dW1").output))
        #expect(lines.contains("layer 2 · δ = ∂loss/∂Z2 · ‖δ‖ 0.118"))
        #expect(lines.contains("layer 1 · δ = (δ2·W2ᵀ) ⊙ tanh′(Z1) · ‖δ‖ 0.0824 ·"))
        #expect(lines.contains("    weights ×0.799 · f′ ×0.874 · factor ×0.698"))
        // narrower: a line breaks between pairs, never inside "label value" nor before a "·"
        let narrow = TerminalRenderer(width: 40, color: false, unicode: true).render(try #require(s.perform("gradcheck").output))
        #expect(narrow.contains("    relative error 1.5e-12 · check ok"), "\(narrow)")
        #expect(!narrow.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("·") || $0.contains("\u{A0}") })
    }

    @Test(arguments: [40, 60, 100])
    func everythingFits(width: Int) throws {
        var s = try session(["data circles n=20 noise=0.1", "net 2 -> 16 sigmoid * 3 -> 1 sigmoid", "loss bce", "step"])
        let renderer = TerminalRenderer(width: width, color: false, unicode: true)
        for command in ["help", "help explain", "help init", "help schedule", "help expressions", "help data",
                        "show norms", "show config", "show activations", "explain dW1", "plot norms", "show loss"] {
            let output = try #require(s.perform(command).output, "\(command) failed")
            let lines = renderer.render(output)
            for line in lines {
                #expect(line.count <= width, "\(command) at \(width): \(line.count) columns: \(line)")
            }
            // No word of the help text is cut in two by the wrapping.
            if command.hasPrefix("help ") && command != "help expressions" {
                let words = Set(lines.joined(separator: " ").split(separator: " "))
                #expect(words.contains("example:"), "\(command)")
            }
        }
        let initHelp = renderer.render(try #require(s.perform("help init").output))
        #expect(initHelp.contains("he: N(0, 2/n_in)"))
        #expect(initHelp.contains("uniform: U[−L, L]"))
    }
}

/// Compares `text` with the golden file `name` (DESCENT_UPDATE_GOLDEN=1 rewrites it first).
func checkGolden(_ text: String, _ name: String) throws {
    let url = ChartTests.folder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["DESCENT_UPDATE_GOLDEN"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "\(name) differs from its golden file")
}
