import DescentCore
import DescentLanguage
import Foundation

/// One learner's session: values, data, network, optimizer, history, notebook cells.
///
/// `perform` takes a line of text, runs it, and records it as a cell. Every command is
/// all-or-nothing: it runs on a copy of the session, which replaces the session only when
/// the command succeeds, so a failed command leaves everything exactly as it was.
public struct Session: Sendable {
    public internal(set) var variables: [String: Value] = [:]
    public internal(set) var seed: UInt64 = 0
    var random = RandomSource(seed: 0)
    public internal(set) var data: Dataset?
    /// What the data set is, for `show config`: "X, y", "circles n=200 noise=0.1".
    public internal(set) var dataDescription = ""
    public internal(set) var training: TrainingState?
    /// The state at step 0, which `reset` returns to.
    var initialTraining: InitialState?
    public internal(set) var initializer: Initializer = .standard
    public internal(set) var config = TrainingConfig()
    var workspace = StepWorkspace()
    var undo = UndoHistory()
    /// The batch loss of every step taken (the last million), in order.
    public internal(set) var lossHistory = StepHistory()
    /// Per-layer ‖dW‖ of recent steps (for `plot norms`), the oldest first.
    public internal(set) var normHistory = StepHistory()
    public internal(set) var precision = 6
    public internal(set) var watch: WatchKind?
    public var limits = Limits()
    public internal(set) var cells: [Cell] = []
    /// Where relative file names are looked up: the script's folder inside `run`, else the
    /// current directory.
    public var baseDirectory: URL
    /// Scripts being run, innermost last (to refuse a script that runs itself).
    var runStack: [URL] = []
    /// The step `explain` can show (its starting state is the newest snapshot in `undo`);
    /// nil when the weights changed otherwise since.
    var explainableStep: Int?
    /// Told how a long run of steps is going (a terminal draws a progress bar), and once more
    /// when it ends. Not part of the session's state.
    public var progressHandler: (@Sendable (StepProgress) -> Void)?
    /// The lessons that `lessons` and `lesson N` offer.
    public var lessonLibrary = LessonLibrary(failure: "no lessons are loaded in this session")
    /// The lesson being followed, if any.
    public internal(set) var lessonProgress: LessonProgress?

    public init(baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.baseDirectory = baseDirectory
    }

    /// Parses and runs one line, and records it as a cell (failed ones too).
    /// `shouldStop` is polled between steps of long commands (Ctrl-C).
    @discardableResult
    public mutating func perform(_ line: String, shouldStop: @escaping () -> Bool = { false }) -> CellResult {
        do {
            guard let command = try Parser.parse(line) else {
                // In a lesson, Enter on an empty line runs the offered command.
                if lessonProgress?.offered != nil && line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    var next = self
                    var output = Output(precision: precision)
                    try next.runOfferedCell(into: &output, shouldStop: shouldStop)
                    output.precision = next.precision
                    self = next
                    return CellResult(output: output, error: nil, command: nil)
                }
                return CellResult(output: Output(), error: nil, command: nil)
            }
            let output = try run(command, source: line, shouldStop: shouldStop)
            if case .rerun = command {} else if recordsCell(command) {
                cells.append(Cell(source: line, succeeded: true, output: output))
            }
            return CellResult(output: output, error: nil, command: command)
        } catch {
            cells.append(Cell(source: line, succeeded: false, error: error.fullMessage))
            return CellResult(output: nil, error: error, command: nil)
        }
    }

    /// Runs a parsed command: all of it, or (when it throws) none of it.
    ///
    /// Most commands run on a copy of the session that replaces it when they succeed. The
    /// stepping commands run on the session itself: they throw only before their first step
    /// (see `advance`), and a copy would duplicate the weights and gradients for the length
    /// of the command (copy-on-write), a third more memory on a big net.
    public mutating func run(_ command: Command, source: String, shouldStop: @escaping () -> Bool = { false }) throws(Diagnostic) -> Output {
        switch command {
        case .step, .epoch, .train:
            var output = Output(precision: precision)
            try execute(command, source: source, into: &output, shouldStop: shouldStop)
            return output
        default:
            break
        }
        var next = self
        var output = Output(precision: precision)
        try next.execute(command, source: source, into: &output, shouldStop: shouldStop)
        output.precision = next.precision
        self = next
        return output
    }

    /// Commands about the notebook itself are not cells of it.
    private func recordsCell(_ command: Command) -> Bool {
        switch command {
        case .history, .save, .export, .help, .quit, .lessons, .lesson, .next, .lessonOff: false
        default: true
        }
    }

    mutating func execute(_ command: Command, source: String, into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        switch command {
        case .letBinding(let name, let value): try runLet(name, value, into: &output)
        case .data(let source): try runData(source, into: &output)
        case .net(let architecture): try runNet(architecture, source: source, into: &output)
        case .initialize(let initializer): runInit(initializer, into: &output)
        case .seed(let seed): runSeed(seed, into: &output)
        case .loss(let loss): runLoss(loss, into: &output)
        case .set(let name, let value): try runSet(name, value, into: &output)
        case .optimizer(let settings): runOptimizer(settings, into: &output)
        case .schedule(let schedule): runSchedule(schedule, into: &output)
        case .clip(let norm): runClip(norm, into: &output)
        case .l2(let lambda): runL2(lambda, into: &output)
        case .step(let n): try runSteps(n, into: &output, shouldStop: shouldStop)
        case .epoch(let n): try runEpochs(n, into: &output, shouldStop: shouldStop)
        case .train(let goal): try runTrain(goal, into: &output, shouldStop: shouldStop)
        case .back(let n): try runBack(n, into: &output)
        case .reset: try runReset(into: &output)
        case .show(let target): try runShow(target, into: &output)
        case .predict(let rows): try runPredict(rows, into: &output)
        case .watch(let kind): runWatch(kind, into: &output)
        case .precision(let digits):
            precision = digits
            output.append(.note("precision \(digits): numbers are shown with \(digits) significant digit\(digits == 1 ? "" : "s")"))
        case .gradcheck: try runGradcheck(into: &output, shouldStop: shouldStop)
        case .limitMemory(let bytes):
            if let bytes { limits.memoryBytes = bytes }
            output.append(.note(memoryLimitNote))
        case .limitHistory(let bytes):
            if let bytes { undo.setBudget(bytes) }
            output.append(.note(historyLimitNote))
        case .showLimits:
            output.append(.note(memoryLimitNote))
            output.append(.note(historyLimitNote))
        case .threads(let n):
            guard n <= 256 else { throw Diagnostic("threads goes up to 256, got \(n)") }
            BLASThreads.set(n)
            if BLASThreads.isAvailable {
                output.append(.note("threads \(n): matrix products may use \(BLASThreads.count) thread\(BLASThreads.count == 1 ? "" : "s")"))
            } else {
                output.append(.warning("threads \(n): OpenBLAS (libopenblas.so.0) could not be loaded, so matrix products use Descent's own loop on one thread; scripts/setup installs it"))
            }
        case .expect(let expectation): try runExpect(expectation, into: &output)
        case .explain(let name): try runExplain(name, into: &output)
        case .plot(let kind): try runPlot(kind, into: &output)
        case .history: runHistory(into: &output)
        case .rerun(let n): try runRerun(n, into: &output, shouldStop: shouldStop)
        case .save(let path): try runSave(path, into: &output)
        case .run(let path): try runScript(path, into: &output, shouldStop: shouldStop)
        case .export(let path): try runExport(path, into: &output)
        case .lessons, .lesson, .next, .lessonOff: try runLessonCommand(command, into: &output, shouldStop: shouldStop)
        case .help(let topic): runHelp(topic, into: &output)
        case .quit: output.quit = true
        }
    }

    /// The network and data a step needs, checked against each other and the loss.
    func requireTrainable(at range: SourceRange?, for what: String) throws(Diagnostic) -> (TrainingState, Dataset) {
        guard let training else {
            throw Diagnostic("\(what) needs a network, and there is none yet", at: range, suggestion: "build one, e.g. 'net 1 -> 1'")
        }
        guard let data else {
            throw Diagnostic("\(what) needs data, and there is none yet", at: range, suggestion: "choose it, e.g. 'data X, y' or 'data xor'")
        }
        if let problem = training.incompatibility(with: data, config: config) {
            let hint = data.x.cols != training.network.inputs
                ? "rebuild the net for this data, e.g. 'net \(data.x.cols) -> …', or choose other data" : nil
            throw Diagnostic(problem, at: range, suggestion: hint)
        }
        return (training, data)
    }

    func evaluator() -> Evaluator { Evaluator(session: self) }

    /// Evaluates an expression, drawing random numbers from the session's generator.
    mutating func evaluate(_ expression: Expr) throws(Diagnostic) -> Value {
        var random = self.random
        let value = try evaluator().evaluate(expression, random: &random)
        self.random = random
        return value
    }

    /// Resolves a file name typed by the user against `baseDirectory`.
    func url(for path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded) }
        return baseDirectory.appendingPathComponent(expanded)
    }
}

/// How far a `step N`, `epoch` or `train` has got.
public struct StepProgress: Sendable {
    public var taken: Int
    public var limit: Int
    /// The last step's batch loss.
    public var loss: Double
    public var elapsedSeconds: Double
    public var finished: Bool
}

/// A line the user typed, kept for `history`, `rerun`, `save` and `export`.
public struct Cell: Equatable, Sendable {
    public var source: String
    public var succeeded: Bool
    /// What it printed (nil when it failed).
    public var output: Output?
    /// The error, when it failed.
    public var error: String?
    /// In a lesson: the prose that introduced it, and on a lesson's first cell its title.
    public var prose: [String] = []
    public var heading: String?
    /// In a lesson: the summary after its last cell.
    public var summary: [String] = []

    public init(source: String, succeeded: Bool, output: Output? = nil, error: String? = nil) {
        self.source = source
        self.succeeded = succeeded
        self.output = output
        self.error = error
    }
}

/// What `perform` did with a line.
public struct CellResult: Sendable {
    public var output: Output?
    public var error: Diagnostic?
    public var command: Command?
}

extension Session {
    var memoryLimitNote: String {
        "limit memory \(Limits.bytes(limits.memoryBytes)): larger matrices, data sets and networks are refused"
    }

    /// The history budget, and what it means for the current network.
    var historyLimitNote: String {
        let budget = "limit history \(Limits.bytes(undo.budget)): back keeps the last \(UndoHistory.maxSteps) steps or as many as fit"
        guard let network = training?.network else { return budget }
        let steps = undo.capacity(parameters: UndoHistory.copiedValues(of: network))
        return budget + " (\(steps) step\(steps == 1 ? "" : "s") of this net)"
    }
}
