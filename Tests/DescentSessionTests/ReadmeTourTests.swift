import Foundation
import Testing
@testable import DescentSession
import DescentCore

/// The README's 30-second tour, typed into one session as a learner types it (both blocks,
/// comments dropped), gives the numbers the README quotes (issue 12). The lines are read from
/// README.md itself, so the tour and this test cannot drift apart.
@Suite struct ReadmeTourTests {
    static var readme: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
    }

    /// The command lines of the code blocks between "## A 30-second tour" and the next section.
    static func tourLines() throws -> [String] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "## A 30-second tour") else { return [] }
        let section = text[start.upperBound...].components(separatedBy: "\n## ")[0]
        var lines: [String] = [], inCode = false
        for line in section.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inCode.toggle(); continue }
            guard inCode else { continue }
            let command = line.components(separatedBy: "#")[0].trimmingCharacters(in: .whitespaces)
            if !command.isEmpty { lines.append(command) }
        }
        return lines
    }

    @Test func theTourGivesTheNumbersItQuotes() throws {
        let lines = try ReadmeTourTests.tourLines()
        #expect(lines.count >= 20)
        var s = programSession()
        var shown: [String: Matrix] = [:]
        var norms: Table?
        for line in lines {
            let result = s.perform(line)
            #expect(result.error == nil, "\(line): \(result.error?.fullMessage ?? "")")
            for block in result.output?.blocks ?? [] {
                switch block {
                case .value(let name?, let m, _, _): shown[name] = m
                case .table(let t) where line == "show norms": norms = t
                case .step(let summary) where summary.report.step == 1 && line == "step" && shown.isEmpty:
                    #expect(summary.report.batchLoss == 7.5)
                    #expect(summary.lossAfter == 5.418749999999999)
                default: break
                }
            }
            if line == "show dW1" { #expect(shown["dW1"] == Matrix([[-15]])) }
            if line == "show W1" && shown["W1"]?[0, 0] != 0.9999999999999997 { #expect(shown["W1"] == Matrix([[0.15]])) }
        }
        #expect(shown["W1"] == Matrix([[0.9999999999999997]]))
        // "0.011 at the output, 6e-9 at the input"
        let table = try #require(norms)
        let dW = table.rows.map { Double($0[3])! }
        #expect(abs(dW.last! - 0.011) < 0.0005)
        #expect(abs(dW.first! - 6e-9) < 0.3e-9)
        // "about six times smaller on average": the eighth root of the whole ratio.
        #expect(abs(pow(dW.last! / dW.first!, 1.0 / 8) - 6) < 0.5)
    }
}
