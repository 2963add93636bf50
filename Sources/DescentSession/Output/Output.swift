import DescentCore
import DescentLanguage

/// What a command produced, as data: DescentRendering draws it for a terminal (and as SVG),
/// DescentNotebook writes it into notebooks. Nothing in here knows about terminals or widths:
/// prose is wrapped by whoever draws it.
public struct Output: Equatable, Sendable {
    public var blocks: [Block] = []
    /// Significant digits to write numbers with (the session's `precision`).
    public var precision: Int = 6
    /// `quit` was asked for.
    public var quit = false
    /// How many of `blocks`, from the start, were shown while the command ran (`showNow`).
    public var alreadyShown = 0
    /// A run of steps that Ctrl-C stopped: how many it took (the cell is saved as that many).
    public var interruptedAfterSteps: Int?

    public init(blocks: [Block] = [], precision: Int = 6) {
        self.blocks = blocks
        self.precision = precision
    }

    public mutating func append(_ block: Block) { blocks.append(block) }
    public mutating func append(contentsOf other: Output) { blocks += other.blocks }

    public var isEmpty: Bool { blocks.isEmpty }
}

public enum Block: Equatable, Sendable {
    /// A plain line.
    case text(String)
    /// A secondary line (shown dimmed on a terminal).
    case note(String)
    case heading(String)
    /// A matrix as a literal that can be pasted back: `W1 = [[0.15]]`.
    case value(name: String?, matrix: Matrix, style: ValueStyle, full: Bool)
    /// The one-line summary of a step (or of the last of several).
    case step(StepSummary)
    case table(Table)
    /// Something went wrong but the command did its job (a diverged step, a goal not reached).
    case warning(String)
    /// An `expect` that held.
    case check(String)
    /// A chart: drawn with blocks on a terminal, as SVG in notebooks.
    case chart(Chart)
    /// A lesson's prose: paragraphs separated by "", headings starting with "## ".
    case prose([String])
    /// The command a lesson offers next (Enter runs it).
    case offer(String, language: LessonLanguage = .en)
    /// Text to be wrapped to the reader's width (`help`): lines after the first indented.
    case paragraph(Paragraph)
    /// A term and its description in a hanging column (`help`'s list of commands).
    case definition(term: String, text: String)
    /// How the last step made a gradient or changed a weight (`explain`).
    case explanation(StepExplanation)
}

/// A paragraph of running text: the renderer wraps it.
public struct Paragraph: Equatable, Sendable {
    public var text: String
    /// Spaces before every line but the first.
    public var hangingIndent: Int
    public var isHeading: Bool

    public init(_ text: String, hangingIndent: Int = 0, isHeading: Bool = false) {
        self.text = text
        self.hangingIndent = hangingIndent
        self.isHeading = isHeading
    }
}

public struct StepSummary: Equatable, Sendable {
    public var report: StepReport
    /// How many steps this command took (the summary is of the last one).
    public var stepsTaken: Int
    /// The loss over all the data after the step (what `loss` gives then); the report's
    /// batch loss is before it.
    public var lossAfter: Double?
    /// Whether the step's batch was all the data.
    public var isFullBatch: Bool
    /// How many of the steps were clipped.
    public var clippedSteps: Int
    /// For several steps, the batch loss before the first of them: the summary reads from it
    /// to the loss after the last (the report's own batch loss is the last step's).
    public var firstBatchLoss: Double?

    public init(report: StepReport, stepsTaken: Int, lossAfter: Double? = nil, isFullBatch: Bool = true, clippedSteps: Int? = nil) {
        self.report = report
        self.stepsTaken = stepsTaken
        self.lossAfter = lossAfter
        self.isFullBatch = isFullBatch
        self.clippedSteps = clippedSteps ?? (report.clipped ? 1 : 0)
    }
}

public struct Table: Equatable, Sendable {
    public enum Alignment: Equatable, Sendable { case left, right }
    public var headers: [String]
    public var rows: [[String]]
    public var alignments: [Alignment]
    /// What stands before each value when a row too wide for the terminal is written as a line
    /// of "label value" pairs (nil: the headers), e.g. "δ =" for a column headed "δ = ∂loss/∂Z".
    public var recordLabels: [String]?

    public init(headers: [String], rows: [[String]], alignments: [Alignment]? = nil, recordLabels: [String]? = nil) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments ?? headers.indices.map { $0 == 0 ? .left : .right }
        self.recordLabels = recordLabels
    }
}

