import DescentCore
import DescentLanguage
import Foundation

/// What the program running a session hands it: not part of the session's state (a failed
/// command does not touch it, `save` does not record it).
public struct SessionEnvironment: Sendable {
    /// Told how a long run of steps is going (a terminal draws a progress bar), and once more
    /// when it ends.
    public var progressHandler: (@Sendable (StepProgress) -> Void)?
    /// The lessons that `lessons` and `lesson N` offer.
    public var lessonLibrary = LessonLibrary(failure: "no lessons are loaded in this session")
    /// The lessons' language when the session has not chosen one: the locale's.
    public var lessonLanguage = LessonLanguage.en
    /// Shows part of a command's output at once, before the command ends: each line of a
    /// script inside `run`. The command's Output then counts those blocks in `alreadyShown`.
    public var showNow: (@Sendable (Output) -> Void)?
    /// Writes `export`'s notebooks; DescentNotebook provides one. Without it `export` says so.
    public var notebookWriter: (any NotebookWriter)?
    /// Told the training state after every applied step (`Session.replay` uses it).
    public var stepObserver: (@Sendable (TrainingState) -> Void)?

    public init() {}
}

/// Writes a session's cells as a notebook file. The session names no file format: the
/// program hands it a writer (DescentNotebook's `NotebookFiles`).
public protocol NotebookWriter: Sendable {
    /// The file extensions it writes, lower case without the dot, e.g. ["ipynb", "md", "html"].
    var extensions: [String] { get }
    /// Writes the session's cells to `url`, whose extension is one of `extensions`; returns
    /// what `export` should add to its message, if anything (how long a script will run).
    func write(_ session: Session, to url: URL) throws(Diagnostic) -> String?
}

/// How far a `step N`, `epoch` or `train` has got.
public struct StepProgress: Sendable {
    public var taken: Int
    public var limit: Int
    /// The last step's batch loss.
    public var loss: Double
    public var elapsedSeconds: Double
    public var finished: Bool
    /// What the steps are for, when they are not the learner's own run ("replaying for the
    /// export"); such a run cannot be stopped half-way.
    public var purpose: String?
}

/// The program's version, shown by `descent --version` and written into notebooks.
public enum DescentVersion {
    public static let current = "0.1.0"
}
