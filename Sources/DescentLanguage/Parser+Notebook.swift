// Parsing rerun, save, run, export, lesson and help.

/// `rerun`, `save`, `run`, `export`, `lesson`, `help` (`history`, `lessons`, `next` take nothing).
extension Parser {
    mutating func parseRerun() throws(Diagnostic) -> Command {
        .rerun(try integer(what: "a cell number", minimum: 1))
    }

    mutating func parseSave() throws(Diagnostic) -> Command {
        .save(path: try path(for: "save", example: "save \"session.descent\""))
    }

    mutating func parseRun() throws(Diagnostic) -> Command {
        .run(path: try path(for: "run", example: "run \"file.descent\""))
    }

    mutating func parseExport() throws(Diagnostic) -> Command {
        .export(path: try path(for: "export", example: "export \"notebook.ipynb\""))
    }

    mutating func parseLesson() throws(Diagnostic) -> Command {
        if current.identifier == "off" {
            advance()
            if current.identifier == "keep" {
                advance()
                return .lessonOffKeepingState
            }
            return .lessonOff
        }
        guard current.number != nil else {
            throw Diagnostic("lesson needs a number or 'off'", at: current.range, suggestion: "type 'lessons' to see them")
        }
        let number = try integer(what: "a lesson number", minimum: 1)
        guard let language = try lessonLanguage(for: "lesson") else { return .lesson(number) }
        return .lessonIn(number, language)
    }

    /// `lang=zh` or `lang=en` after `lessons` or `lesson N`.
    mutating func lessonLanguage(for command: String) throws(Diagnostic) -> LessonLanguage? {
        let options = try options(allowed: ["lang"], for: command)
        guard let value = options.values["lang"] else { return nil }
        let names = LessonLanguage.allCases.map(\.rawValue)
        guard case .word(let word) = value.value, let language = LessonLanguage(rawValue: word) else {
            throw Diagnostic("lang= takes \(names.joined(separator: " or ")) (English, 简体中文)", at: value.range,
                             suggestion: "e.g. '\(command == "lesson" ? "lesson 1" : "lessons") lang=zh'")
        }
        return language
    }

    mutating func parseHelp() throws(Diagnostic) -> Command {
        guard let word = current.identifier else {
            if atEnd { return .help(topic: nil) }
            throw Diagnostic("help takes a command name, found \(current.quoted)", at: current.range, suggestion: "e.g. 'help step'")
        }
        let token = advance()
        guard CommandCatalog.entry(named: word) != nil || CommandCatalog.topics.contains(word) else {
            throw Diagnostic("no help for '\(word)'", at: token.range,
                             suggestion: Suggestions.didYouMean(word, in: CommandCatalog.names + CommandCatalog.topics)
                                ?? "type 'help' for the list of commands")
        }
        return .help(topic: word)
    }
}
