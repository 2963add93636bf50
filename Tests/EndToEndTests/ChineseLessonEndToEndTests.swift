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
    }
}
