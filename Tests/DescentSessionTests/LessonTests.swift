import Foundation
import Testing
@testable import DescentSession

@Suite struct LessonTests {
    static let text = """
        #> # A tiny lesson
        #> Intro line one.
        #>
        #> Intro line two.
        let a = 1
        # an author's note, not shown
        let b = a + 1
        #> Now check it.
        expect b == 2
        #> ## Summary
        #> Done.
        """

    @Test func parsesTitleCellsProseAndSummary() {
        let lesson = Lesson(number: 9, fileName: "09-tiny.descent", text: LessonTests.text)
        #expect(lesson.title == "A tiny lesson")
        #expect(lesson.cells.map(\.command) == ["let a = 1", "let b = a + 1", "expect b == 2"])
        #expect(lesson.cells[0].prose == ["Intro line one.", "", "Intro line two."])
        #expect(lesson.cells[1].prose == [])
        #expect(lesson.cells[2].prose == ["Now check it."])
        #expect(lesson.cells[2].line == 9)
        #expect(lesson.summary == ["## Summary", "Done."])
    }

    func tinyLibrary() throws -> LessonLibrary {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try LessonTests.text.write(to: folder.appendingPathComponent("09-tiny.descent"), atomically: true, encoding: .utf8)
        return LessonLibrary(directory: folder)
    }

    @Test func lessonModeEnterRunsOwnCommandsNextAndOff() throws {
        var s = Session()
        s.environment.lessonLibrary = try tinyLibrary()
        #expect(s.perform("lesson 9").error == nil)
        #expect(s.prompt == "lesson 9 · 1/3> ")
        // Enter runs the offered command.
        let first = s.perform("")
        #expect(first.error == nil)
        #expect(s.variables["a"] != nil)
        #expect(s.prompt == "lesson 9 · 2/3> ")
        // The learner's own command runs as usual and does not move the lesson.
        #expect(s.perform("let mine = 5").error == nil)
        #expect(s.prompt == "lesson 9 · 2/3> ")
        // next skips the offered command without running it.
        #expect(s.perform("next").error == nil)
        #expect(s.variables["b"] == nil)
        #expect(s.prompt == "lesson 9 · 3/3> ")
        // The skipped cell left b undefined, so the check fails, and the lesson stays put.
        #expect(s.perform("").error?.fullMessage == "09-tiny.descent:9: unknown name 'b' — did you mean 'a'?; 'next' skips this cell")
        // The failed cell is kept with its text (issue 12, item 5).
        #expect(s.cells.last?.source == "expect b == 2" && s.cells.last?.succeeded == false)
        #expect(s.prompt == "lesson 9 · 3/3> ")
        #expect(s.perform("let b = 2").error == nil)
        let last = s.perform("")
        #expect(last.error == nil)
        #expect(last.output?.blocks.contains(.prose(["## Summary", "Done."])) == true)
        #expect(s.lessonProgress?.isFinished == true)
        #expect(s.perform("lesson off").error == nil)
        #expect(s.lessonProgress == nil)
        #expect(s.prompt.hasPrefix("["))
        // Outside a lesson an empty line does nothing.
        #expect(s.perform("").output?.isEmpty == true)
    }

    @Test func lessonErrors() throws {
        var s = Session()
        #expect(s.perform("lessons").error?.message == "no lessons are loaded in this session")
        s.environment.lessonLibrary = try tinyLibrary()
        #expect(s.perform("lesson 3").error?.message == "there is no lesson 3")
        #expect(s.perform("next").error?.message == "'next' moves through a lesson, and none is running")
        #expect(s.perform("lesson off").error?.message == "no lesson is running")
    }

    static let lessonsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("lessons")

    /// The shipped lessons: twelve, numbered 1 to 12, each with a title, cells and a summary,
    /// prose that fits an 80-column terminal, and at least one expect.
    @Test func shippedLessonsAreWellFormed() {
        let library = LessonLibrary(directory: LessonTests.lessonsFolder)
        #expect(library.lessons.map(\.number) == Array(1...12))
        for lesson in library.lessons {
            #expect(!lesson.title.hasSuffix(".descent"), "\(lesson.fileName) has no title")
            #expect(lesson.cells.count >= 10, "\(lesson.fileName)")
            #expect(!lesson.summary.isEmpty, "\(lesson.fileName) has no summary")
            #expect(lesson.cells.contains { $0.command.hasPrefix("expect ") }, "\(lesson.fileName)")
            for cell in lesson.cells {
                for line in cell.prose where line.count > 78 {
                    Issue.record("\(lesson.fileName):\(cell.line): prose line over 78 columns: \(line)")
                }
            }
        }
    }

    /// Every lesson replays as a script, through the session, without an error. (The list
    /// of numbers is checked against the folder by the test above.)
    @Test(arguments: 1...12)
    func lessonReplays(_ number: Int) throws {
        let library = LessonLibrary(directory: LessonTests.lessonsFolder)
        let lesson = try #require(library.lesson(number))
        let text = try String(contentsOf: LessonTests.lessonsFolder.appendingPathComponent(lesson.fileName), encoding: .utf8)
        var s = Session(baseDirectory: LessonTests.lessonsFolder)
        var checks = 0
        let error = ScriptRunner.run(text, file: lesson.fileName, in: &s) { event in
            checks += event.output.blocks.filter { if case .check = $0 { true } else { false } }.count
        }
        #expect(error == nil, "\(error.map { "\($0.locationPrefix)\($0.fullMessage)" } ?? "")")
        #expect(checks == lesson.cells.filter { $0.command.hasPrefix("expect ") }.count)
    }

    /// Walking a lesson in lesson mode (Enter after Enter) gives the same session as
    /// replaying it as a script.
    @Test func walkingALessonEqualsReplayingIt() throws {
        var walked = Session()
        walked.environment.lessonLibrary = LessonLibrary(directory: LessonTests.lessonsFolder)
        #expect(walked.perform("lesson 1").error == nil)
        while walked.lessonProgress?.isFinished == false {
            let result = walked.perform("")
            try #require(result.error == nil, "\(result.error!.fullMessage)")
        }
        var replayed = Session()
        let text = try String(contentsOf: LessonTests.lessonsFolder.appendingPathComponent("01-linear-regression.descent"), encoding: .utf8)
        #expect(ScriptRunner.run(text, file: "01", in: &replayed) { _ in } == nil)
        #expect(walked.training == replayed.training)
        #expect(walked.bench.losses == replayed.bench.losses)
    }

    /// Issue 12, item 2: a lesson puts the learner's session aside and `lesson off` gives it
    /// back exactly; `lesson off keep` keeps the lesson's; a saved session replays to the same.
    @Test func aLessonPutsTheSessionAsideAndGivesItBack() throws {
        var s = try session(["data xor", "net 2 -> 4 tanh -> 1 sigmoid", "loss bce", "precision 4", "clip norm=1", "let q = 42", "step 3"])
        s.environment.lessonLibrary = try tinyLibrary()
        let before = Fingerprint(s)
        #expect(s.perform("lesson 9").error == nil)
        #expect(s.variables["q"] == nil && s.training == nil && s.precision == 6)
        #expect(s.perform("").error == nil)  // the lesson's let a = 1
        #expect(s.perform("lesson off").error == nil)
        var after = Fingerprint(s)
        after.successfulCells = before.successfulCells
        #expect(after == before)
        #expect(s.variables["a"] == nil)
        // Keeping the lesson's state instead.
        #expect(s.perform("lesson 9").error == nil)
        #expect(s.perform("").error == nil)
        #expect(s.perform("lesson off keep").error == nil)
        #expect(s.variables["a"] != nil && s.variables["q"] == nil)
        // The saved script records the lesson's start and end, so it replays to this state.
        #expect(s.cells.map(\.source).suffix(6) == ["lesson 9", "let a = 1", "lesson off", "lesson 9", "let a = 1", "lesson off keep"])
        var replayed = Session()
        replayed.environment.lessonLibrary = try tinyLibrary()
        let error = ScriptRunner.run(s.script, file: "saved.descent", in: &replayed) { _ in }
        #expect(error == nil)
        var original = Fingerprint(s), copy = Fingerprint(replayed)
        original.successfulCells = []
        copy.successfulCells = []
        #expect(copy == original)
    }
}
