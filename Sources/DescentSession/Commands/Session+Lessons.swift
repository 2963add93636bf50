import DescentCore
import DescentLanguage

/// Lesson mode: `lessons`, `lesson N`, `next`, `lesson off`, and Enter on an empty line.
public struct LessonProgress: Equatable, Sendable {
    public var lesson: Lesson
    /// The lesson's language, which lesson mode's own words follow.
    public var language: LessonLanguage = .en
    /// The cell offered next (== cells.count at the end).
    public var position: Int
    /// The learner's own session from before the lesson, which `lesson off` gives back.
    var setAside: SetAside

    /// What a lesson puts aside: everything a lesson's commands can change.
    struct SetAside: Sendable {
        var bench: Workbench
        var display: DisplaySettings
    }

    public static func == (a: LessonProgress, b: LessonProgress) -> Bool {
        a.lesson == b.lesson && a.position == b.position && a.language == b.language
    }

    public var isFinished: Bool { position >= lesson.cells.count }
    public var offered: Lesson.Cell? { isFinished ? nil : lesson.cells[position] }
}

extension Session {
    /// The language `lessons` and `lesson N` use: chosen with `lessons lang=`, else the
    /// locale's.
    public var lessonLanguage: LessonLanguage { chosenLessonLanguage ?? environment.lessonLanguage }

    /// What the prompt says: the cell number, or the lesson and how far into it.
    public var prompt: String {
        if let progress = lessonProgress {
            let language = progress.language
            if progress.isFinished { return language.say(.promptDone(number: progress.lesson.number)) }
            let shown = min(progress.position + 1, progress.lesson.cells.count)
            return language.say(.prompt(number: progress.lesson.number, cell: shown, of: progress.lesson.cells.count))
        }
        return "[\(notebook.cells.count + 1)]> "
    }

    mutating func runLessonCommand(_ command: Command, into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        switch command {
        case .lessons, .lessonsIn:
            if case .lessonsIn(let language) = command { chosenLessonLanguage = language }
            if case .failure(let failure) = environment.lessonLibrary.origin { throw Diagnostic(failure.message) }
            let language = lessonLanguage
            output.append(.heading(language.say(.lessonsHeading)))
            for lesson in environment.lessonLibrary.lessons(in: language) {
                output.append(.text(String(format: "%3d  ", lesson.number) + lesson.title))
            }
        case .lesson(let number), .lessonIn(let number, _):
            if case .failure(let failure) = environment.lessonLibrary.origin { throw Diagnostic(failure.message) }
            var language = lessonLanguage
            if case .lessonIn(_, let chosen) = command { language = chosen }
            let library = environment.lessonLibrary
            guard let lesson = library.lesson(number, in: language) else {
                let numbers = library.lessons(in: language).map { String($0.number) }.joined(separator: ", ")
                if library.lesson(number, in: .en) != nil {
                    throw Diagnostic("lesson \(number) has no \(language == .zh ? "Chinese" : "English") version yet",
                                     suggestion: "'lesson \(number) lang=en' gives it in English")
                }
                throw Diagnostic("there is no lesson \(number)", suggestion: "the lessons are \(numbers); 'lessons' lists them")
            }
            // A lesson starts from a fresh session, as its script does; the learner's own is
            // put aside (kept from before the first lesson when one follows another).
            let setAside = lessonProgress?.setAside ?? .init(bench: bench, display: display)
            let budget = bench.snapshots.budget
            bench = Workbench()
            bench.snapshots.setBudget(budget)
            display = DisplaySettings()
            lessonProgress = LessonProgress(lesson: lesson, language: language, position: 0, setAside: setAside)
            output.append(.heading(language.say(.lessonHeading(number: lesson.number, title: lesson.title))))
            output.append(.note(language.say(.howToFollow)))
            appendOffer(into: &output)
        case .next:
            guard var progress = lessonProgress else {
                throw Diagnostic("'next' moves through a lesson, and none is running", suggestion: "start one with 'lesson 1'")
            }
            guard !progress.isFinished else {
                throw Diagnostic(progress.language.say(.noMoreCells), suggestion: progress.language.say(.lessonOffLeavesIt))
            }
            progress.position += 1
            lessonProgress = progress
            appendOffer(into: &output)
        case .lessonOff, .lessonOffKeepingState:
            guard let progress = lessonProgress else { throw Diagnostic("no lesson is running") }
            lessonProgress = nil
            let language = progress.language
            let place = language.say(.place(number: progress.lesson.number, cell: min(progress.position + 1, progress.lesson.cells.count),
                                            of: progress.lesson.cells.count))
            if command == .lessonOffKeepingState {
                output.append(.note(language.say(.leftKeeping(place: place))))
            } else {
                bench = progress.setAside.bench
                display = progress.setAside.display
                output.append(.note(language.say(.leftRestoring(place: place))))
            }
        default:
            break
        }
    }

    /// Runs the offered cell (Enter on an empty line in lesson mode) and offers the next.
    mutating func runOfferedCell(into output: inout Output, shouldStop: @escaping () -> Bool) throws(Diagnostic) {
        guard var progress = lessonProgress, let cell = progress.offered else { return }
        output.append(.text("» " + cell.command))
        // Shown before the command runs: a long run's progress and timing lines would
        // otherwise come above it.
        if let showNow = environment.showNow {
            showNow(output)
            output.alreadyShown = output.blocks.count
        }
        guard let command = try Parser.parse(cell.command) else { return }
        var result = Output(precision: precision)
        let before = bench.startCell(running: command)
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
        recorded.isLessonCell = true
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
            output.append(.offer(cell.command, language: progress.language))
        } else {
            if !progress.lesson.summary.isEmpty {
                output.append(.prose(progress.lesson.summary))
                if !notebook.cells.isEmpty { notebook.cells[notebook.cells.count - 1].summary = progress.lesson.summary }
            }
            output.append(.check(progress.language.say(.complete(number: progress.lesson.number))))
        }
    }
}
