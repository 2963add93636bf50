import Foundation

/// The notebook side of a session: the cells typed so far and where files are looked up.
public struct Notebook: Sendable {
    public internal(set) var cells: [Cell] = []
    /// Where relative file names are looked up: the script's folder inside `run`, else the
    /// current directory.
    public var baseDirectory: URL
    /// Scripts being run, innermost last (to refuse a script that runs itself).
    var runStack: [URL] = []

    init(baseDirectory: URL) {
        self.baseDirectory = baseDirectory
    }

    /// Resolves a file name typed by the user against `baseDirectory`.
    func url(for path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded) }
        return baseDirectory.appendingPathComponent(expanded)
    }

    /// The cells as a script: failed cells are kept as comments so nothing typed is lost.
    public var script: String {
        var lines = ["# Descent session: replay with 'descent run FILE' or 'run \"FILE\"'"]
        // A script's `#>` prose goes back in front of its cell (and a script's closing prose
        // after its last), so that a saved session keeps its words. Not a lesson's (the saved
        // `lesson N` shows it again), nor a failed cell's (it would introduce the next one).
        func prose(_ text: [String], of cell: Cell) -> [String] {
            cell.isLessonCell || !cell.succeeded ? [] : text.map { $0.isEmpty ? "#>" : "#> " + $0 }
        }
        for cell in cells {
            lines += prose(cell.prose, of: cell)
            lines.append(cell.succeeded ? cell.source : "# failed: \(cell.source)")
            lines += prose(cell.summary, of: cell)
        }
        return lines.joined(separator: "\n") + "\n"
    }
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
    /// Run by Enter in lesson mode: its prose is the lesson's, which `lesson N` in a saved
    /// script shows again, so `save` leaves it out.
    public var isLessonCell = false
    /// What it changed, for the PyTorch export (nil when it failed).
    public var effects: CellEffects?

    public init(source: String, succeeded: Bool, output: Output? = nil, error: String? = nil) {
        self.source = source
        self.succeeded = succeeded
        self.output = output
        self.error = error
    }
}
