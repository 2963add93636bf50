import Foundation
import Testing

/// The Chinese lessons from the shell: the locale chooses them, `--lang` overrides it.
@Suite struct ChineseLessonEndToEndTests {
    @Test func theLocaleAndLangChooseTheLessonsLanguage() throws {
        let zh = try BinaryRunner.run(["lesson", "4"], stdin: "\n", environment: ["LC_MESSAGES": "zh_CN.UTF-8"])
        #expect(zh.stdout.contains("第 4 课：梯度消失"), "\(zh.stdout.prefix(300))")
        #expect(zh.stdout.contains("（按回车运行）"))
        let overridden = try BinaryRunner.run(["lesson", "4", "--lang", "en"], stdin: "", environment: ["LC_MESSAGES": "zh_CN.UTF-8"])
        #expect(overridden.stdout.contains("Lesson 4: Vanishing gradients"), "\(overridden.stdout.prefix(300))")
        let chosen = try BinaryRunner.run(["lesson", "2", "--lang", "zh"], stdin: "")
        #expect(chosen.stdout.contains("第 2 课："))
        let wrong = try BinaryRunner.run(["lesson", "2", "--lang", "fr"])
        #expect(wrong.status == 2 && wrong.stderr.contains("--lang takes en or zh, not 'fr'"))
        let missing = try BinaryRunner.run(["lesson", "13"], stdin: "")
        #expect(missing.status == 2 && missing.stderr.contains("there is no lesson 13"))
        // A zh locale whose character set is not UTF-8 keeps the lessons English.
        let gb = try BinaryRunner.run(["lesson", "4"], stdin: "", environment: ["LC_MESSAGES": "zh_CN", "LANG": "zh_CN.GB18030", "LC_CTYPE": ""])
        #expect(gb.stdout.contains("Lesson 4: Vanishing gradients"), "\(gb.stdout.prefix(200))")
    }

    @Test func exportLessonInChinese() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try BinaryRunner.run(["export-lesson", "2", "two.html", "--lang", "zh"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: folder.appendingPathComponent("two.html"), encoding: .utf8)
        #expect(html.contains("<html lang=\"zh-Hans\">") && html.contains("<h1>批量、小批量与随机梯度下降</h1>"))
    }
}
