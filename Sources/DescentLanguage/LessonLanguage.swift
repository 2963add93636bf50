/// The language of the lessons and of lesson mode's own words: English, or Simplified
/// Chinese (lessons/zh/, the article's own language). `help` stays English.
public enum LessonLanguage: String, CaseIterable, Equatable, Sendable {
    case en, zh

    /// From the locale's variables, as POSIX orders them (LC_ALL, then LC_MESSAGES, then
    /// LANG): Chinese when the first one set starts with "zh".
    public static func fromLocale(_ environment: [String: String]) -> LessonLanguage {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty {
                return value.lowercased().hasPrefix("zh") ? .zh : .en
            }
        }
        return .en
    }

    /// Lesson mode's words.
    public enum Phrase: Sendable {
        case lessonsHeading
        case lessonHeading(number: Int, title: String)
        case howToFollow
        case enterRunsIt
        case complete(number: Int)
        case leftRestoring(place: String)
        case leftKeeping(place: String)
        case place(number: Int, cell: Int, of: Int)
        case nextInKernel
        /// The label before the offered command in a notebook's output.
        case nextLabel
        case prompt(number: Int, cell: Int, of: Int)
        case promptDone(number: Int)
        case noMoreCells
        case lessonOffLeavesIt
        case helpIsEnglish
    }

    public func say(_ phrase: Phrase) -> String {
        switch (self, phrase) {
        case (.en, .lessonsHeading): "Lessons ('lesson N' starts one; 'descent lesson N' from the shell)"
        case (.zh, .lessonsHeading): "课程（输入 'lesson N' 开始一课；在 shell 里用 'descent lesson N'）"
        case (.en, .lessonHeading(let n, let title)): "Lesson \(n): \(title)"
        case (.zh, .lessonHeading(let n, let title)): "第 \(n) 课：\(title)"
        case (.en, .howToFollow): "Enter runs the offered command; 'next' skips it; 'lesson off' leaves and gives your own session back."
        case (.zh, .howToFollow): "按回车运行给出的命令；'next' 跳过它；'lesson off' 退出课程，恢复你自己的会话。"
        case (.en, .enterRunsIt): "(Enter runs it)"
        case (.zh, .enterRunsIt): "（按回车运行）"
        case (.en, .complete(let n)): "lesson \(n) complete. 'lesson off' gives your own session back; 'lesson off keep' keeps this one; 'lessons' lists the others."
        case (.zh, .complete(let n)): "第 \(n) 课完成。'lesson off' 恢复你自己的会话；'lesson off keep' 保留本课的会话；'lessons' 列出其他课程。"
        case (.en, .place(let n, let cell, let count)): "left lesson \(n) at cell \(cell) of \(count)"
        case (.zh, .place(let n, let cell, let count)): "已在第 \(n) 课的第 \(cell)/\(count) 个单元格处退出"
        case (.en, .leftKeeping(let place)): "\(place); the lesson's net, data and settings stay, and the session you had before it is dropped"
        case (.zh, .leftKeeping(let place)): "\(place)；课程的网络、数据和设置保留，课程之前的会话被丢弃"
        case (.en, .leftRestoring(let place)): "\(place); your session is back as it was before the lesson ('lesson off keep' would have kept the lesson's)"
        case (.zh, .leftRestoring(let place)): "\(place)；你的会话已恢复到课程开始之前（'lesson off keep' 会保留课程的会话）"
        case (.en, .nextInKernel): "(run an empty cell to run it, 'next' to skip it)"
        case (.zh, .nextInKernel): "（运行一个空单元格来执行它，'next' 跳过）"
        case (.en, .nextLabel): "next:"
        case (.zh, .nextLabel): "下一条："
        case (.en, .prompt(let n, let cell, let count)): "lesson \(n) · \(cell)/\(count)> "
        case (.zh, .prompt(let n, let cell, let count)): "第 \(n) 课 · \(cell)/\(count)> "
        case (.en, .promptDone(let n)): "lesson \(n) · done> "
        case (.zh, .promptDone(let n)): "第 \(n) 课 · 完成> "
        case (.en, .noMoreCells): "this lesson has no more cells"
        case (.zh, .noMoreCells): "这一课没有更多单元格了"
        case (.en, .lessonOffLeavesIt): "'lesson off' leaves it"
        case (.zh, .lessonOffLeavesIt): "'lesson off' 退出课程"
        case (.en, .helpIsEnglish): ""
        case (.zh, .helpIsEnglish): "（命令的帮助只有英文版；课程是中文的。）"
        }
    }
}
