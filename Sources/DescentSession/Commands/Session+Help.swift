import DescentLanguage

/// `help`, `help COMMAND`, `help expressions`: the command catalog as paragraphs, which the
/// renderer wraps to the reader's width.
extension Session {
    mutating func runHelp(_ topic: String?, into output: inout Output) {
        // Help is in English; a learner following the lessons in Chinese is told so, once.
        if (lessonProgress?.language ?? lessonLanguage) == .zh && !saidHelpIsEnglish {
            output.append(.note(LessonLanguage.zh.say(.helpIsEnglish)))
            saidHelpIsEnglish = true
        }
        guard let topic else {
            output.append(.paragraph(Paragraph("Commands (help COMMAND explains one; help expressions for EXPR)", isHeading: true)))
            for group in CommandCatalog.groups {
                output.append(.text(""))
                output.append(.text(group))
                for entry in CommandCatalog.entries where entry.group == group {
                    output.append(.definition(term: entry.name, text: entry.summary))
                }
            }
            return
        }
        if topic == "expressions" {
            output.append(.paragraph(Paragraph(CommandCatalog.expressionHelpTitle, isHeading: true)))
            for (term, text) in CommandCatalog.expressionHelp { output.append(.definition(term: term, text: text)) }
            return
        }
        guard let entry = CommandCatalog.entry(named: topic) else { return }
        output.append(.paragraph(Paragraph(entry.usage, hangingIndent: 2, isHeading: true)))
        output.append(.paragraph(Paragraph(entry.summary)))
        for line in entry.details { output.append(.paragraph(Paragraph(line, hangingIndent: 2))) }
        output.append(.text("example:  \(entry.example)"))
    }
}
