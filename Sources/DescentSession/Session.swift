import DescentCore
import DescentLanguage
import Foundation

/// One learner's session, in a few plain values with one job each: the workbench (data,
/// net, optimizer, training), the notebook (cells and files), display settings, resource
/// limits, the lesson being followed, and what the program hands in (the environment).
///
/// `perform` takes a line of text, runs it, and records it as a cell. Every command is
/// all-or-nothing: it runs on a copy of the session, which replaces the session only when
/// the command succeeds, so a failed command leaves everything exactly as it was.
/// The commands themselves are in Commands/, one file per group, as `Session` extensions.
public struct Session: Sendable {
    public internal(set) var bench = Workbench()
    public internal(set) var notebook: Notebook
    public internal(set) var display = DisplaySettings()
    public var limits = Limits()
    /// The lesson being followed, if any.
    public internal(set) var lessonProgress: LessonProgress?
    /// The lessons' language chosen with `lessons lang=`; else the locale's (environment).
    public internal(set) var chosenLessonLanguage: LessonLanguage?
    /// `help` said once, in Chinese, that it is in English.
    var saidHelpIsEnglish = false
    public var environment = SessionEnvironment()

    public init(baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        notebook = Notebook(baseDirectory: baseDirectory)
    }

    // The facts callers read most, by their short names.
    public var training: TrainingState? { bench.training }
    public var data: Dataset? { bench.data }
    public var variables: [String: Value] { bench.variables }
    public var cells: [Cell] { notebook.cells }
    public var precision: Int { display.precision }

    /// Parses and runs one line, and records it as a cell (failed ones too).
    /// `shouldStop` is polled between steps of long commands (Ctrl-C).
    @discardableResult
    public mutating func perform(_ line: String, shouldStop: @escaping () -> Bool = { false }) -> CellResult {
        do {
            guard let command = try Parser.parse(line) else {
                // In a lesson, Enter on an empty line runs the offered command.
                if let offered = lessonProgress?.offered, line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    var next = self
                    var output = Output(precision: precision)
                    do {
                        try next.runOfferedCell(into: &output, shouldStop: shouldStop)
                    } catch {
                        // The cell failed (the learner changed something the lesson relies on):
                        // it is kept with its text, as a typed one would be.
                        notebook.cells.append(Cell(source: offered.command, succeeded: false, error: error.fullMessage))
                        return CellResult(output: nil, error: error, command: nil)
                    }
                    output.precision = next.precision
                    self = next
                    return CellResult(output: output, error: nil, command: nil)
                }
                return CellResult(output: Output(), error: nil, command: nil)
            }
            let before = bench.startCell(running: command)
            let output = try run(command, source: line, shouldStop: shouldStop)
            if case .rerun = command {} else if recordsCell(command) {
                var cell = Cell(source: Session.recordedSource(line, command, output), succeeded: true, output: output)
                cell.effects = CellEffects(before: before, after: bench, command: command, shown: Session.shownValue(command, output))
                if CellEffects.startsLesson(command), let progress = lessonProgress {
                    cell.heading = progress.language.say(.lessonHeading(number: progress.lesson.number, title: progress.lesson.title))
                }
                notebook.cells.append(cell)
            }
            return CellResult(output: output, error: nil, command: command)
        } catch {
            // A failed `help foo` or `save` is not a cell, as a working one is not.
            if !Session.isAboutTheNotebook(line) {
                notebook.cells.append(Cell(source: line, succeeded: false, error: error.fullMessage))
            }
            return CellResult(output: nil, error: error, command: nil)
        }
    }

    /// Whether a command runs on the session itself rather than on a copy: the stepping
    /// commands, and `rerun` of a cell that is one (it throws only before its first step too).
    func runsInPlace(_ command: Command) -> Bool {
        if CellEffects.isStepping(command) { return true }
        guard case .rerun(let n) = command, n >= 1, n <= notebook.cells.count,
              let rerun = (try? Parser.parse(notebook.cells[n - 1].source)) ?? nil else { return false }
        return CellEffects.isStepping(rerun)
    }

    /// Runs a parsed command: all of it, or (when it throws) none of it.
    ///
    /// Most commands run on a copy of the session that replaces it when they succeed. The
    /// stepping commands (and `rerun` of one) run on the session itself: they throw only
    /// before their first step (see `advance`), and a copy would duplicate the weights and
    /// gradients for the length of the command (copy-on-write), a third more memory on a big
    /// net.
    public mutating func run(_ command: Command, source: String, shouldStop: @escaping () -> Bool = { false }) throws(Diagnostic) -> Output {
        if runsInPlace(command) {
            var output = Output(precision: precision)
            try execute(command, source: source, into: &output, shouldStop: shouldStop)
            return output
        }
        var next = self
        var output = Output(precision: precision)
        try next.execute(command, source: source, into: &output, shouldStop: shouldStop)
        output.precision = next.precision
        self = next
        return output
    }

    /// What a cell keeps of the line that ran: the line, except for a run of steps that Ctrl-C
    /// stopped, which is kept as the steps it took so that the saved script replays what
    /// happened ("train 68451  # interrupted: train 1000000000").
    static func recordedSource(_ line: String, _ command: Command, _ output: Output) -> String {
        guard let taken = output.interruptedAfterSteps else { return line }
        let word = if case .step = command { "step" } else { "train" }
        return "\(word) \(taken)  # interrupted: \(line.trimmingCharacters(in: .whitespaces))"
    }

    /// The value a `show EXPR` or `predict` cell printed, for the export to compare with.
    static func shownValue(_ command: Command, _ output: Output) -> Matrix? {
        switch command {
        case .show(.value), .predict: break
        default: return nil
        }
        for block in output.blocks { if case .value(_, let matrix, _, _) = block { return matrix } }
        return nil
    }

    /// Whether a line (parsed or not) starts with a command about the notebook itself.
    static func isAboutTheNotebook(_ line: String) -> Bool {
        let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "(" }).first.map(String.init) ?? ""
        return ["history", "save", "export", "help", "quit", "exit", "lessons", "next", "lesson"].contains(word)
    }

    /// Commands about the notebook itself are not cells of it.
    private func recordsCell(_ command: Command) -> Bool {
        switch command {
        // `lesson N` and `lesson off` are cells: they change the session, and a saved script
        // replays them.
        case .history, .save, .export, .help, .quit, .lessons, .next: false
        default: true
        }
    }

    /// Sends a command to the method that runs it (Commands/, one file per group).
    mutating func execute(_ command: Command, source: String, into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        // `explain` redoes the last step's batch with the settings and data it ran with; once
        // either changes, it can no longer.
        let (config, data) = (bench.config, bench.data)
        defer { if bench.config != config || bench.data != data { bench.explainableStep = nil } }
        switch command {
        case .letBinding(let name, let value): try runLet(name, value, into: &output)
        case .data(let source): try runData(source, into: &output)
        case .split(let fraction): try runSplit(fraction, into: &output)
        case .scale(let scaling): try runScale(scaling, into: &output)
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
        case .precision(let digits): runPrecision(digits, into: &output)
        case .gradcheck: try runGradcheck(into: &output, shouldStop: shouldStop)
        case .limitMemory(let bytes): runLimitMemory(bytes, into: &output)
        case .limitHistory(let bytes): runLimitHistory(bytes, into: &output)
        case .showLimits: runShowLimits(into: &output)
        case .threads(let n): try runThreads(n, into: &output)
        case .expect(let expectation): try runExpect(expectation, into: &output)
        case .explain(let name): try runExplain(name, into: &output)
        case .plot(let kind): try runPlot(kind, into: &output)
        case .history: runHistory(into: &output)
        case .rerun(let n): try runRerun(n, into: &output, shouldStop: shouldStop)
        case .save(let path): try runSave(path, into: &output)
        case .run(let path): try runScript(path, into: &output, shouldStop: shouldStop)
        case .export(let path): try runExport(path, into: &output)
        case .lessons, .lesson, .lessonsIn, .lessonIn, .next, .lessonOff, .lessonOffKeepingState:
            try runLessonCommand(command, into: &output, shouldStop: shouldStop)
        case .help(let topic): runHelp(topic, into: &output)
        case .quit: output.quit = true
        }
    }

    /// The view of the session that expressions are evaluated in.
    var scope: EvaluationScope { EvaluationScope(bench: bench, limits: limits, precision: precision) }

    /// Evaluates an expression, drawing random numbers from the session's generator.
    mutating func evaluate(_ expression: Expr) throws(Diagnostic) -> Value {
        var random = bench.random
        let value = try scope.evaluate(expression, random: &random)
        bench.random = random
        return value
    }

    /// Resolves a file name typed by the user against the notebook's folder.
    func url(for path: String) -> URL { notebook.url(for: path) }
}

/// What `perform` did with a line.
public struct CellResult: Sendable {
    public var output: Output?
    public var error: Diagnostic?
    public var command: Command?
}
