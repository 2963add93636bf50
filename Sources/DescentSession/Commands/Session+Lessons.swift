import DescentCore
import DescentLanguage

/// Lesson mode: `lessons`, `lesson N`, `next`, `lesson off`, and Enter on an empty line.
public struct LessonProgress: Equatable, Sendable {
    public var lesson: Lesson
    /// The cell offered next (== cells.count at the end).
    public var position: Int
    /// The learner's own session from before the lesson, which `lesson off` gives back.
    var setAside: SetAside

    /// What a lesson puts aside: everything a lesson's commands can change.
    struct SetAside: Sendable {
        var bench: Workbench
        var display: DisplaySettings
    }

    public static func == (a: LessonProgress, b: LessonProgress) -> Bool { a.lesson == b.lesson && a.position == b.position }

    public var isFinished: Bool { position >= lesson.cells.count }
    public var offered: Lesson.Cell? { isFinished ? nil : lesson.cells[position] }
}

extension Session {
    /// What the prompt says: the cell number, or the lesson and how far into it.
    public var prompt: String {
        if let progress = lessonProgress {
            if progress.isFinished { return "lesson \(progress.lesson.number) · done> " }
            let shown = min(progress.position + 1, progress.lesson.cells.count)
            return "lesson \(progress.lesson.number) · \(shown)/\(progress.lesson.cells.count)> "
        }
        return "[\(notebook.cells.count + 1)]> "
    }

    mutating func runLessonCommand(_ command: Command, into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        switch command {
        case .lessons:
            if case .failure(let failure) = environment.lessonLibrary.origin { throw Diagnostic(failure.message) }
            output.append(.heading("Lessons ('lesson N' starts one; 'descent lesson N' from the shell)"))
            for lesson in environment.lessonLibrary.lessons {
                output.append(.text(String(format: "%3d  ", lesson.number) + lesson.title))
            }
        case .lesson(let number):
            if case .failure(let failure) = environment.lessonLibrary.origin { throw Diagnostic(failure.message) }
            guard let lesson = environment.lessonLibrary.lesson(number) else {
                let numbers = environment.lessonLibrary.lessons.map { String($0.number) }.joined(separator: ", ")
                throw Diagnostic("there is no lesson \(number)", suggestion: "the lessons are \(numbers); 'lessons' lists them")
            }
            // A lesson starts from a fresh session, as its script does; the learner's own is
            // put aside (kept from before the first lesson when one follows another).
            let setAside = lessonProgress?.setAside ?? .init(bench: bench, display: display)
            let budget = bench.snapshots.budget
            bench = Workbench()
            bench.snapshots.setBudget(budget)
            display = DisplaySettings()
            lessonProgress = LessonProgress(lesson: lesson, position: 0, setAside: setAside)
            output.append(.heading("Lesson \(lesson.number): \(lesson.title)"))
            output.append(.note("Enter runs the offered command; 'next' skips it; 'lesson off' leaves and gives your own session back."))
            appendOffer(into: &output)
        case .next:
            guard var progress = lessonProgress else {
                throw Diagnostic("'next' moves through a lesson, and none is running", suggestion: "start one with 'lesson 1'")
            }
            guard !progress.isFinished else { throw Diagnostic("this lesson has no more cells", suggestion: "'lesson off' leaves it") }
            progress.position += 1
            lessonProgress = progress
            appendOffer(into: &output)
        case .lessonOff, .lessonOffKeepingState:
            guard let progress = lessonProgress else { throw Diagnostic("no lesson is running") }
            lessonProgress = nil
            let place = "left lesson \(progress.lesson.number) at cell \(min(progress.position + 1, progress.lesson.cells.count)) of \(progress.lesson.cells.count)"
            if command == .lessonOffKeepingState {
                output.append(.note("\(place); the lesson's net, data and settings stay, and the session you had before it is dropped"))
            } else {
                bench = progress.setAside.bench
                display = progress.setAside.display
                output.append(.note("\(place); your session is back as it was before the lesson ('lesson off keep' would have kept the lesson's)"))
            }
        default:
            break
        }
    }

    /// Runs the offered cell (Enter on an empty line in lesson mode) and offers the next.
    mutating func runOfferedCell(into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        guard var progress = lessonProgress, let cell = progress.offered else { return }
        output.append(.text("» " + cell.command))
        guard let command = try Parser.parse(cell.command) else { return }
        var result = Output(precision: precision)
        let before = bench
        bench.stepLog = StepLog()
        do {
            try execute(command, source: cell.command, into: &result, shouldStop: shouldStop)
        } catch {
            throw Diagnostic("\(progress.lesson.fileName):\(cell.line): \(error.message)",
                             suggestion: (error.suggestion.map { $0 + "; " } ?? "") + "'next' skips this cell")
        }
        result.precision = precision
        output.append(contentsOf: result)
        var recorded = Cell(source: cell.command, succeeded: true, output: result)
        recorded.prose = cell.prose
        recorded.effects = CellEffects(before: before, after: bench, command: command, shown: Session.shownValue(command, result))
        notebook.cells.append(recorded)
        progress.position += 1
        lessonProgress = progress
        appendOffer(into: &output)
    }

    /// The prose of the offered cell and the command Enter will run, or the summary at the end
    /// (which is also kept with the last cell, for export).
    mutating func appendOffer(into output: inout Output) {
        guard let progress = lessonProgress else { return }
        if let cell = progress.offered {
            if !cell.prose.isEmpty { output.append(.prose(cell.prose)) }
            output.append(.offer(cell.command))
        } else {
            if !progress.lesson.summary.isEmpty {
                output.append(.prose(progress.lesson.summary))
                if !notebook.cells.isEmpty { notebook.cells[notebook.cells.count - 1].summary = progress.lesson.summary }
            }
            output.append(.check("lesson \(progress.lesson.number) complete. 'lesson off' gives your own session back; 'lesson off keep' keeps this one; 'lessons' lists the others."))
        }
    }
}
