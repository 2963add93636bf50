import DescentCore
import DescentLanguage
import DescentRendering
import DescentSession
import Foundation

/// The parts of a session a command may change; equal fingerprints mean a failed command
/// left the session exactly as it was.
public struct SessionFingerprint: Equatable {
    public var variables: [String: Value]
    public var data: Dataset?
    public var training: TrainingState?
    public var config: TrainingConfig
    public var initializer: Initializer
    public var lossHistory: [Double]
    public var precision: Int
    public var seed: UInt64
    public var watch: String?
    /// The cells that succeeded (a failed command is recorded as a failed cell, by design).
    public var successfulCells: [String]

    public init(_ s: Session) {
        variables = s.variables
        data = s.data
        training = s.training
        config = s.bench.config
        initializer = s.bench.initializer
        lossHistory = s.bench.losses.values
        precision = s.precision
        seed = s.bench.seed
        watch = s.display.watch?.rawValue
        successfulCells = s.cells.filter(\.succeeded).map(\.source)
    }
}

/// Runs a program through a fresh session and checks the invariants that hold for any input:
/// no crash (the process would die), every line answers within a time budget, a failed
/// command leaves the session exactly as it was, and rendering any output works.
public enum FuzzHarness {
    public struct Violation: Error, CustomStringConvertible {
        public var line: String
        public var problem: String
        public var description: String { "\(problem)\n  line: \(line.debugDescription)" }
    }

    /// Runs `lines`; returns the error messages seen (for corpus selection). Long steps stop
    /// after `budget` seconds; a line that takes longer than `hang` seconds is a violation.
    public static func run(_ lines: [String], budget: Double = 1, hang: Double = 20) throws -> [String] {
        var session = Session(baseDirectory: URL(fileURLWithPath: NSTemporaryDirectory()))
        session.limits.memoryBytes = 64 << 20
        let renderer = TerminalRenderer(width: 80, color: false, unicode: true)
        let svg = SVGRenderer()
        var messages: [String] = []
        for line in lines {
            // Writing files is not the fuzzer's business.
            if line.contains("save") || line.contains("export") || line.contains("run \"") { continue }
            let before = SessionFingerprint(session)
            let start = Date()
            let result = session.perform(line, shouldStop: { Date().timeIntervalSince(start) > budget })
            let took = Date().timeIntervalSince(start)
            if took > hang { throw Violation(line: line, problem: "took \(Int(took)) s") }
            if let error = result.error {
                messages.append(error.message.prefix { !$0.isNumber && $0 != "'" }.description)
                if SessionFingerprint(session) != before {
                    throw Violation(line: line, problem: "failed (\(error.fullMessage)) but changed the session")
                }
                _ = renderer.render(error, source: line)
            } else if let output = result.output {
                _ = renderer.render(output)
                for case .chart(let chart) in output.blocks { _ = svg.render(chart) }
                if output.quit { break }
            }
        }
        return messages
    }
}
