import Foundation
import Testing
@testable import DescentSession
import DescentRendering
@testable import DescentNotebook

/// Lesson prose in the exports: the blocks the terminal shows stay blocks in Markdown and HTML.
@Suite struct ProseExportTests {
    static let prose = ["中文的段落，", "第二行。", "### 小标题", "- 中文的列表项", "紧接着的段落。", "A line of text:",
                        "    y = σ(z)", "- an item", "    z = Wx"]

    @Test func markdownKeepsEveryBlockApart() {
        #expect(NotebookExporter.markdown(ProseExportTests.prose).components(separatedBy: "\n") == [
            "中文的段落，第二行。", "### 小标题", "- 中文的列表项", "", "紧接着的段落。A line of text:", "", "    y = σ(z)",
            "- an item", "", "    z = Wx",
        ])
    }

    @Test func htmlKeepsEveryBlockApart() {
        #expect(NotebookExporter.html(ProseExportTests.prose).components(separatedBy: "\n") == [
            "<p>中文的段落，第二行。### 小标题</p>", "<ul><li>中文的列表项</li></ul>", "<p>紧接着的段落。A line of text:</p>",
            "<pre class=\"formula\">y = σ(z)</pre>", "<ul><li>an item</li></ul>", "<pre class=\"formula\">z = Wx</pre>",
        ])
    }
}

@Suite struct NotebookTests {
    static let lines = ["seed 1", "data xor", "net 2 -> 3 tanh -> 1 sigmoid", "loss bce", "optimizer gd lr=0.5",
                        "stpe", "train 20", "show loss", "show norms", "show hist W1", "plot norms", "expect step == 20"]

    func session() -> Session {
        var s = programSession()
        for line in NotebookTests.lines { s.perform(line) }
        return s
    }

    func transcript(_ s: Session) -> [String] {
        let renderer = TerminalRenderer(width: 80, color: false, unicode: true)
        return s.cells.filter(\.succeeded).map { ($0.source, renderer.render($0.output!)) }.map { "\($0.0)\n\($0.1.joined(separator: "\n"))" }
    }

    /// A saved session replays to the same transcript, and saving the replay gives the same file.
    @Test func savedSessionReplaysIdentically() throws {
        let s = session()
        #expect(s.script.contains("\n# failed: stpe\n"))
        var replay = Session()
        let error = ScriptRunner.run(s.script, file: "saved", in: &replay) { _ in }
        #expect(error == nil)
        #expect(transcript(replay) == transcript(s))
        #expect(replay.script == s.script.replacingOccurrences(of: "# failed: stpe\n", with: ""))
        #expect(replay.training == s.training)
    }

    /// A script's `#>` prose survives `save`: in front of its cell, blank lines as `#>`, and a
    /// run of the saved script gives the same script again.
    @Test func saveKeepsTheProse() throws {
        var s = programSession()
        let text = "#> A first paragraph\n#> over two lines.\n#>\n#> Second.\ndata xor\nnet 2 -> 2 tanh -> 1\n#> Now a step.\nstep\n"
        #expect(ScriptRunner.run(text, file: "prose", in: &s) { _ in } == nil)
        #expect(s.script == "# Descent session: replay with 'descent run FILE' or 'run \"FILE\"'\n" + text)
        var replay = programSession()
        #expect(ScriptRunner.run(s.script, file: "saved", in: &replay) { _ in } == nil)
        #expect(replay.script == s.script)
    }

    @Test func ipynbHasMarkdownCodeAndSVG() throws {
        let data = try NotebookExporter(cells: session().cells).ipynb()
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(json["nbformat"] as? Int == 4)
        #expect(json["nbformat_minor"] as? Int == 5)
        let cells = json["cells"] as! [[String: Any]]
        #expect(cells.first?["cell_type"] as? String == "markdown")
        let code = cells.filter { $0["cell_type"] as? String == "code" }
        #expect(code.count == NotebookTests.lines.count)
        let ids = cells.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == cells.count)
        let outputs = code.flatMap { $0["outputs"] as! [[String: Any]] }
        let svgs = outputs.compactMap { ($0["data"] as? [String: Any])?["image/svg+xml"] }
        #expect(svgs.count == 4)
        // The failed command (`stpe`) keeps its source and carries Jupyter's error output,
        // tagged so that Run All goes on past it.
        let failed = code.filter { ($0["outputs"] as! [[String: Any]]).contains { $0["output_type"] as? String == "error" } }
        #expect(failed.count == 1)
        #expect((failed.first?["source"] as? [String])?.joined() == "stpe")
        #expect(((failed.first?["metadata"] as? [String: Any])?["tags"] as? [String]) == ["raises-exception"])
        let error = (failed.first?["outputs"] as? [[String: Any]])?.first { $0["output_type"] as? String == "error" }
        #expect(error?["ename"] as? String == "DescentError")
        #expect((error?["evalue"] as? String)?.contains("unknown command 'stpe'") == true)
    }

    @Test func htmlIsOnePageWithInlineSVG() {
        let html = NotebookExporter(cells: session().cells).html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4)
        #expect(!html.contains("<script"))
        #expect(html.contains("<pre class=\"err\">error: unknown command &#39;stpe&#39;") || html.contains("<pre class=\"err\">error: unknown command 'stpe'"))
    }

    /// Prose's `code` spans become <code> in HTML, escaped; a lone backtick stays.
    @Test func htmlProseShowsCodeSpans() {
        #expect(NotebookExporter.html(["Run `show norms` and `explain dW1`."]) == "<p>Run <code>show norms</code> and <code>explain dW1</code>.</p>")
        #expect(NotebookExporter.html(["- `a < b` holds"]) == "<ul><li><code>a &lt; b</code> holds</li></ul>")
        #expect(NotebookExporter.html(["a `b` c ` d"]) == "<p>a <code>b</code> c ` d</p>")
    }

    @Test func markdownLinksTheSVGFilesBesideIt() {
        let (text, files) = NotebookExporter(cells: session().cells).markdown(folder: "nb_files")
        #expect(files.map(\.name) == ["chart-1.svg", "chart-2.svg", "chart-3.svg", "chart-4.svg"])
        #expect(text.contains("](nb_files/chart-4.svg)"))
        #expect(text.contains("```\ntrain 20\n```"))
    }

    /// Writes are atomic: a failed export leaves what was there, and no temporary file.
    @Test func failedWriteLeavesTheOldFileAndNoTemporary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("taken.html"), withIntermediateDirectories: true)
        var s = session()
        s.notebook.baseDirectory = folder
        let error = try #require(s.perform("export \"taken.html\"").error)
        #expect(error.message.hasPrefix("cannot write "))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left == ["taken.html"])
        #expect(s.perform("export \"good.ipynb\"").error == nil)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("good.ipynb").path))
        #expect(s.perform("export \"nope/x.html\"").error?.message.contains("does not exist") == true)
        #expect(s.perform("export \"x.pdf\"").error?.message == "export writes .ipynb, .md, .html or .py, not '.pdf'")
    }

    /// Issue 12, item 14: cells typed before a lesson are not titled with the lesson; the
    /// lesson's title is a heading where it begins.
    @Test func aLessonBegunLaterIsASectionNotTheTitle() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "#> # A tiny lesson\n#> Intro.\nlet a = 1\n".write(to: folder.appendingPathComponent("09-tiny.descent"), atomically: true, encoding: .utf8)
        var s = programSession()
        s.environment.lessonLibrary = LessonLibrary(directory: folder)
        _ = s.perform("let mine = 3")
        _ = s.perform("lesson 9")
        _ = s.perform("")
        let exporter = NotebookExporter(cells: s.cells)
        #expect(exporter.title == "Descent session")
        let (markdown, _) = exporter.markdown(folder: "x")
        #expect(markdown.hasPrefix("# Descent session\n"))
        #expect(markdown.contains("## Lesson 9: A tiny lesson\n\n```\nlesson 9\n```"))
        // A notebook that starts with the lesson takes its title.
        var lessonOnly = programSession()
        lessonOnly.environment.lessonLibrary = LessonLibrary(directory: folder)
        _ = lessonOnly.perform("lesson 9")
        #expect(NotebookExporter(cells: lessonOnly.cells).title == "Lesson 9: A tiny lesson")
    }
}
