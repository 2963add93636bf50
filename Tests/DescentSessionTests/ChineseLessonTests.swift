import DescentLanguage
import DescentRendering
import Foundation
import Testing
@testable import DescentSession
import DescentNotebook

/// The lessons in Simplified Chinese (issue 17): the English lesson's commands exactly, the
/// same transcript apart from the prose, prose within 78 display columns (East Asian Width),
/// no line starting with closing punctuation; and lesson mode in Chinese.
@Suite struct ChineseLessonTests {
    static let folder = LessonTests.lessonsFolder
    static let library = LessonLibrary(directory: folder)

    @Test func everyLessonHasAChineseVersion() {
        #expect(Self.library.lessons(in: .zh).map(\.number) == Self.library.lessons.map(\.number))
        #expect(Self.library.lessons(in: .zh).map(\.fileName) == Self.library.lessons.map(\.fileName))
    }

    /// The lines that are not prose (commands, comments, blank lines), in order.
    static func nonProse(_ url: URL) throws -> [String] {
        try ScriptRunner.lines(of: String(contentsOf: url, encoding: .utf8)).filter { Lesson.prose($0) == nil }
    }

    /// Every output block but the prose, rendered plainly: the transcript a lesson's
    /// numbers and checks are in.
    static func transcript(_ url: URL) throws -> [String] {
        var session = Session(baseDirectory: folder)
        let renderer = TerminalRenderer(width: 100, color: false, unicode: true)
        var lines: [String] = []
        let error = ScriptRunner.run(try String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent, in: &session) { event in
            guard let source = event.source else { return }
            lines.append("> " + source)
            lines += renderer.render(event.output)
        }
        #expect(error == nil, "\(url.lastPathComponent): \(error.map { "\($0.locationPrefix)\($0.fullMessage)" } ?? "")")
        return lines
    }

    @Test(arguments: 1...12)
    func sameCommandsAndTheSameTranscript(_ number: Int) throws {
        let english = try #require(Self.library.lesson(number, in: .en)), chinese = try #require(Self.library.lesson(number, in: .zh))
        let en = Self.folder.appendingPathComponent(english.fileName), zh = Self.folder.appendingPathComponent("zh/" + chinese.fileName)
        #expect(try Self.nonProse(zh) == Self.nonProse(en))
        #expect(chinese.cells.map(\.command) == english.cells.map(\.command))
        #expect(try Self.transcript(zh) == Self.transcript(en))
    }

    @Test func proseFitsSeventyEightColumnsAndBreaksWhereChineseMay() {
        for lesson in Self.library.lessons(in: .zh) {
            #expect(lesson.title.unicodeScalars.contains { DisplayWidth.isWide($0) }, "\(lesson.fileName): title not in Chinese")
            for line in lesson.cells.flatMap(\.prose) + lesson.summary {
                if DisplayWidth.of(line) > 78 { Issue.record("zh/\(lesson.fileName): \(DisplayWidth.of(line)) columns: \(line)") }
                if let first = line.first, DisplayWidth.isClosingPunctuation(first), first != "." {
                    Issue.record("zh/\(lesson.fileName): a line starts with closing punctuation: \(line)")
                }
            }
        }
    }

    @Test func displayWidthCountsWideCharactersTwice() {
        #expect(DisplayWidth.of("梯度消失") == 8)
        #expect(DisplayWidth.of("lr = 0.5，学习率") == 8 + 2 + 6)
        #expect(DisplayWidth.of("é") == 1 && DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("‖g‖ → ŷ") == 7)
    }

    @Test func lessonModeSpeaksTheLessonsLanguage() {
        var s = Session()
        s.environment.lessonLibrary = Self.library
        s.environment.lessonLanguage = .zh  // as from LANG=zh_CN.UTF-8
        let list = s.perform("lessons")
        #expect(list.output?.blocks.first == .heading("课程（输入 'lesson N' 开始一课；在 shell 里用 'descent lesson N'）"))
        let start = s.perform("lesson 1")
        #expect(start.error == nil)
        #expect(start.output?.blocks.first == .heading("第 1 课：\(Self.library.lesson(1, in: .zh)!.title)"))
        #expect(start.output?.blocks.contains(.offer("let X = [[1], [2], [3], [4]]", language: .zh)) == true)
        let help = s.perform("help step")
        #expect(help.output?.blocks.first == .note("（命令的帮助只有英文版；课程是中文的。）"))
        #expect(s.perform("help step").output?.blocks.first != .note("（命令的帮助只有英文版；课程是中文的。）"))  // once
        #expect(s.prompt == "第 1 课 · 1/61> ")
        let off = s.perform("lesson off")
        #expect(off.output?.blocks.first == .note("已在第 1 课的第 1/61 个单元格处退出；你的会话已恢复到课程开始之前（'lesson off keep' 会保留课程的会话）"))
        // lang= overrides the locale, for this lesson or (with `lessons`) from then on.
        #expect(s.perform("lesson 2 lang=en").output?.blocks.first == .heading("Lesson 2: Batch, mini-batch and stochastic gradient descent"))
        #expect(s.perform("lessons lang=en").error == nil)
        #expect(s.perform("lesson 3").output?.blocks.first == .heading("Lesson 3: \(Self.library.lesson(3, in: .en)!.title)"))
        #expect(s.perform("lesson 1 lang=fr").error?.message == "lang= takes en or zh (English, 简体中文)")
    }

    /// Golden: Chinese prose re-wrapped for a 40-column terminal (the narrowest the renderer
    /// draws) breaks between characters, by display width, never before closing punctuation.
    @Test func chineseProseWrapsByDisplayWidth() {
        let renderer = TerminalRenderer(width: 40, color: false, unicode: true)
        let lines = renderer.render(Output(blocks: [.prose(["深层网络中，前面各层的梯度是后面每层一个因子的乘积（链式法则）。若学习率 lr = 0.5，梯度消失。"])]))
        #expect(lines == ["",
                          "深层网络中，前面各层的梯度是后面每层一个",
                          "因子的乘积（链式法则）。若学习率 lr =",
                          "0.5，梯度消失。"])
        for line in lines { #expect(DisplayWidth.of(line) <= 40) }
        // Where a line may break: between characters, not before 。or ）, not after （.
        #expect(TerminalRenderer.breakablePieces("乘积（链式法则）。若 lr").map(\.piece) == ["乘", "积", "（链", "式", "法", "则）。", "若", "lr"])
        #expect(TerminalRenderer.breakablePieces("乘积（链式法则）。若 lr").map(\.spaced) == [true, false, false, false, false, false, false, true])
    }

    /// Golden: a table with Chinese labels lines up by display width.
    @Test func aTableWithChineseLabelsAligns() {
        let renderer = TerminalRenderer(width: 80, color: false, unicode: true)
        let table = Table(headers: ["层", "激活函数", "‖dW‖"], rows: [["1", "sigmoid", "3.45e-9"], ["输出层", "线性", "0.0347"]],
                          alignments: [.left, .left, .right])
        #expect(renderer.render(Output(blocks: [.table(table)])) == [
            "层      激活函数     ‖dW‖",
            "──────  ────────  ───────",
            "1       sigmoid   3.45e-9",
            "输出层  线性       0.0347",
        ])
    }

    @Test func theLocaleChoosesTheLanguage() {
        #expect(LessonLanguage.fromLocale(["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(LessonLanguage.fromLocale(["LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"]) == .en)
        #expect(LessonLanguage.fromLocale(["LANG": "en_GB.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"]) == .zh)
        #expect(LessonLanguage.fromLocale([:]) == .en)
    }
}

extension ChineseLessonTests {
    /// A Chinese lesson exported to HTML says `lang="zh-Hans"` and names CJK fonts; the
    /// notebook carries the Chinese prose as Markdown.
    @Test func exportsCarryTheChineseProse() throws {
        var s = Session(baseDirectory: Self.folder)
        let text = try String(contentsOf: Self.folder.appendingPathComponent("zh/01-linear-regression.descent"), encoding: .utf8)
        #expect(ScriptRunner.run(text, file: "01", in: &s) { _ in } == nil)
        let exporter = NotebookExporter(cells: s.cells)
        #expect(exporter.title == Self.library.lesson(1, in: .zh)!.title)
        let html = exporter.html()
        #expect(html.contains("<html lang=\"zh-Hans\">") && html.contains("\"Noto Sans CJK SC\""))
        let notebook = try #require(try JSONSerialization.jsonObject(with: exporter.ipynb()) as? [String: Any])
        let markdown = (notebook["cells"] as? [[String: Any]] ?? []).filter { $0["cell_type"] as? String == "markdown" }
            .map { ($0["source"] as? [String] ?? []).joined() }
        #expect(markdown.contains { $0.contains("梯度") })
        // The PyTorch script has the prose as comments above the cells.
        let script = try TorchExporter(cells: s.cells, finalNetwork: s.training?.network).script()
        #expect(script.contains("# # \(Self.library.lesson(1, in: .zh)!.title)\n"))
        let english = NotebookExporter(cells: try session(["let a = 1"]).cells).html()
        #expect(english.contains("<html lang=\"en\">") && !english.contains("CJK"))
    }
}
