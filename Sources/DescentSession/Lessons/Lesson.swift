import Foundation
import DescentLanguage

/// A lesson: a script whose `#>` lines are prose for the learner.
///
/// - `#> # Title` on the first prose line names the lesson.
/// - The prose lines before a command introduce that command: together they are a cell.
/// - Prose after the last command is the lesson's summary.
/// - `#>` alone is a paragraph break; `#> ## …` a heading. Plain `#` comments are for authors.
///
/// Every lesson is also a valid script (prose is a comment to the parser), so
/// `descent run lessons/NN-….descent` replays it.
public struct Lesson: Equatable, Sendable {
    public struct Cell: Equatable, Sendable {
        public var prose: [String]
        public var command: String
        /// The line of the command in the file.
        public var line: Int
    }

    public var number: Int
    public var title: String
    public var fileName: String
    public var cells: [Cell]
    public var summary: [String]

    public init(number: Int, fileName: String, text: String) {
        self.number = number
        self.fileName = fileName
        var cells: [Cell] = []
        var prose: [String] = []
        var title: String?
        for (index, line) in ScriptRunner.lines(of: text).enumerated() {
            if let text = Lesson.prose(line) {
                if title == nil, text.hasPrefix("# ") {
                    title = String(text.dropFirst(2))
                    continue
                }
                prose.append(text)
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            cells.append(Cell(prose: Lesson.trimBlankEdges(prose), command: line, line: index + 1))
            prose = []
        }
        self.cells = cells
        self.summary = Lesson.trimBlankEdges(prose)
        self.title = title ?? fileName
    }

    /// The prose of a `#>` line ("" for a paragraph break), or nil for any other line.
    public static func prose(_ line: String) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("#>") else { return nil }
        let rest = trimmed.dropFirst(2)
        return String(rest.hasPrefix(" ") ? rest.dropFirst() : rest)
    }

    /// Prose without blank lines at its start and end.
    static func trimBlankEdges(_ lines: [String]) -> [String] {
        var lines = lines
        while lines.first == "" { lines.removeFirst() }
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// The lessons that ship with Descent, read from the `lessons` folder on first use: most runs
/// never look at a lesson, and reading and parsing them was a third of `descent run`'s start.
public struct LessonLibrary: Equatable, Sendable {
    public var lessons: [Lesson] { store.lessons }
    /// The Simplified Chinese lessons, from the folder's `zh` subfolder.
    private let chineseStore: Store
    /// Where they were found, or why none were.
    public var origin: Result<URL, LookupFailure>
    private let store: Store

    public struct LookupFailure: Error, Equatable, Sendable {
        public var message: String
    }

    /// Reads the folder once, when `lessons` is first asked for.
    private final class Store: @unchecked Sendable {
        private let directory: URL?
        private let lock = NSLock()
        private var loaded: [Lesson]?

        init(directory: URL?) { self.directory = directory }

        var lessons: [Lesson] {
            lock.lock()
            defer { lock.unlock() }
            if let loaded { return loaded }
            let lessons = directory.map(Store.read) ?? []
            loaded = lessons
            return lessons
        }

        static func read(_ directory: URL) -> [Lesson] {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".descent") }
                .sorted()
            var lessons: [Lesson] = []
            for file in files {
                guard let number = Int(file.prefix { $0.isNumber }),
                      let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else { continue }
                lessons.append(Lesson(number: number, fileName: file, text: text))
            }
            return lessons
        }
    }

    public init(directory: URL) {
        store = Store(directory: directory)
        chineseStore = Store(directory: directory.appendingPathComponent("zh"))
        origin = .success(directory)
    }

    public init(failure: String) {
        store = Store(directory: nil)
        chineseStore = Store(directory: nil)
        origin = .failure(LookupFailure(message: failure))
    }

    public func lessons(in language: LessonLanguage) -> [Lesson] {
        language == .zh ? chineseStore.lessons : lessons
    }

    public func lesson(_ number: Int, in language: LessonLanguage) -> Lesson? {
        lessons(in: language).first { $0.number == number }
    }

    public static func == (a: LessonLibrary, b: LessonLibrary) -> Bool {
        a.origin == b.origin && (a.store === b.store || a.lessons == b.lessons)
    }

    /// `$DESCENT_LESSONS`, else the `lessons` folder of the checkout the executable was built in
    /// (`.build/<config>/descent` or `.build/<triple>/<config>/descent`).
    public static func locate(executable: URL) -> LessonLibrary {
        if let env = ProcessInfo.processInfo.environment["DESCENT_LESSONS"], !env.isEmpty {
            return LessonLibrary(directory: URL(fileURLWithPath: env))
        }
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("lessons")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("01-linear-regression.descent").path) {
                return LessonLibrary(directory: candidate)
            }
            folder = folder.deletingLastPathComponent()
        }
        return LessonLibrary(failure: "the lessons folder was not found near \(executable.path); set DESCENT_LESSONS to the folder that holds 01-linear-regression.descent")
    }

    public func lesson(_ number: Int) -> Lesson? { lessons.first { $0.number == number } }
}
