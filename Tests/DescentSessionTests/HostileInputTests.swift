import Testing
@testable import DescentSession

/// Hostile input: malformed numbers, unbalanced brackets, ragged matrices, huge literals and
/// lines, unknown names, Unicode look-alikes, control characters, a NUL byte, and every command
/// with missing or extra arguments. Each gets its exact one-line error (message, suggestion,
/// column) and leaves the session exactly as it was.
@Suite struct HostileInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var line: String
        var message: String
        var column: Int?
        init(_ line: String, _ message: String, column: Int?) {
            self.line = line
            self.message = message
            self.column = column
        }
        var testDescription: String { String(line.prefix(50)).debugDescription }
    }

    static let setup = ["seed 1", "data xor", "net 2 -> 3 tanh -> 1 sigmoid", "loss bce", "step"]

    static let cases: [Case] = [
        Case("let a = 1..2",
             "malformed number '1..2'", column: 9),
        Case("let a = 1e",
             "malformed number '1e'", column: 9),
        Case("let a = 0x1F",
             "malformed number '0x1F'", column: 9),
        Case("let a = 1,000",
             "unexpected ',' after the command — numbers are written without thousands separators, e.g. 1000", column: 10),
        Case("let a = .",
             "unexpected character '.' (U+002E)", column: 9),
        Case("let a = 1e-",
             "malformed number '1e'", column: 9),
        Case("let a = 1.2.3.4",
             "malformed number '1.2.3.4'", column: 9),
        Case("let a = [[1, 2]",
             "expected ']' to close the matrix, found the end of the line — the '[' at column 9 is not closed", column: 16),
        Case("let a = [1, 2]]",
             "unexpected ']' after the command — one command per line; see 'help'", column: 15),
        Case("let a = ((1)",
             "expected ')', found the end of the line — the '(' at column 9 is not closed", column: 13),
        Case("let a = (1))",
             "unexpected ')' after the command — one command per line; see 'help'", column: 12),
        Case("let a = [[1], [2, 3]]",
             "row 2 has 2 entries but row 1 has 1 — all rows of a matrix have the same length (row 1 is at column 10)", column: 15),
        Case("let a = [[1, 2], [3]]",
             "row 2 has 1 entry but row 1 has 2 — all rows of a matrix have the same length (row 1 is at column 10)", column: 18),
        Case("let a = [[]]",
             "an empty row has no entries", column: 10),
        Case("let a = [",
             "expected a value (a number, a name such as W1, or [[…]]), found the end of the line", column: 10),
        Case("let a = ]",
             "expected a value (a number, a name such as W1, or [[…]]), found ']'", column: 9),
        Case("let a = [,]",
             "expected a value (a number, a name such as W1, or [[…]]), found ','", column: 10),
        Case("let a = [1,,2]",
             "expected a value (a number, a name such as W1, or [[…]]), found ','", column: 12),
        Case("show nosuchname",
             "unknown name 'nosuchname' — define it with 'let nosuchname = …'", column: 6),
        Case("set W9 = [[1]]",
             "W9: the net has 2 layers, so layers are numbered 1…2", column: 5),
        Case("data P, Q",
             "unknown variable 'P' — define it first, e.g. 'let P = [[1], [2], [3]]'", column: 6),
        Case("show dW0",
             "dW0: the net has 2 layers, so layers are numbered 1…2", column: 6),
        Case("show W0",
             "W0: the net has 2 layers, so layers are numbered 1…2", column: 6),
        Case("show A9",
             "A9: the net has 2 layers, so A0 (the input) to A2", column: 6),
        Case("net 2 → 3 ⨯ 2 -> 1",
             "unexpected character '⨯' (U+2A2F) — did you mean '*'?", column: 11),
        Case("let a = 3 ÷ 4",
             "unexpected character '÷' (U+00F7) — did you mean '/'?", column: 11),
        Case("let a = 1 – 2",
             "unexpected character '–' (U+2013) — did you mean '-'?", column: 11),
        Case("let a = 2 · 3",
             "unexpected character '·' (U+00B7) — did you mean '*' (or '@' for the matrix product)?", column: 11),
        Case("expect 1 ≠ 2",
             "unexpected character '≠' (U+2260) — there is no '!=' either; compare the other way round, e.g. 'expect a > b'", column: 10),
        Case("let a = ５",
             "unexpected character '５' (U+FF15) — did you mean '5'? (this is a full-width or non-Latin digit)", column: 9),
        Case("let a = 1\u{7}",
             "unexpected control character U+0007 — delete it; it may have come in with pasted text", column: 10),
        Case("let a = \u{1B}[31m1",
             "unexpected control character U+001B — delete it; it may have come in with pasted text", column: 9),
        Case("step 1 2",
             "unexpected '2' after the command — one command per line; see 'help'", column: 8),
        Case("reset now",
             "unexpected 'now' after the command — one command per line; see 'help'", column: 7),
        Case("gradcheck 3",
             "unexpected '3' after the command — one command per line; see 'help'", column: 11),
        Case("history 2",
             "unexpected '2' after the command — one command per line; see 'help'", column: 9),
        Case("quit now",
             "unexpected 'now' after the command — one command per line; see 'help'", column: 6),
        Case("next now",
             "unexpected 'now' after the command — one command per line; see 'help'", column: 6),
        Case("lessons 2",
             "unexpected '2' after the command — one command per line; see 'help'", column: 9),
        Case("net",
             "expected the number of inputs, found the end of the line", column: 4),
        Case("init",
             "expected initialiser (zeros, normal, uniform, standard, xavier, he), found the end of the line — e.g. 'init xavier'", column: 5),
        Case("seed",
             "expected a seed (a whole number), found the end of the line", column: 5),
        Case("set",
             "set needs a name, found the end of the line — e.g. 'set W1 = [[0.5]]'", column: 4),
        Case("let",
             "let needs a name, found the end of the line — e.g. 'let X = [[1], [2]]'", column: 4),
        Case("data",
             "data needs the variables X, y or a data set (xor, circles, spiral, line, load) — e.g. 'data X, y' or 'data circles n=200 noise=0.1'", column: 5),
        Case("optimizer",
             "optimizer needs a name — e.g. 'optimizer gd lr=0.01'", column: 10),
        Case("schedule",
             "expected schedule (fixed, exp, step), found the end of the line — e.g. 'schedule exp gamma=0.99'", column: 9),
        Case("clip",
             "clip needs norm=… or off — e.g. 'clip norm=1.0'", column: 5),
        Case("l2",
             "l2 needs λ or off, found the end of the line — e.g. 'l2 0.001'", column: 3),
        Case("epoch x",
             "expected the number of epochs, found 'x'", column: 7),
        Case("train",
             "train needs a number of steps or 'until' — e.g. 'train 100' or 'train until loss < 1e-6'", column: 6),
        Case("back x",
             "expected the number of steps to undo, found 'x'", column: 6),
        Case("show",
             "show needs something to show — e.g. 'show W1', 'show grads' or 'show loss'; see 'help show'", column: 5),
        Case("predict",
             "expected a value (a number, a name such as W1, or [[…]]), found the end of the line", column: 8),
        Case("watch",
             "expected thing to watch (grads, weights, norms, off), found the end of the line — e.g. 'watch grads'", column: 6),
        Case("precision",
             "expected the number of significant digits, found the end of the line", column: 10),
        Case("expect",
             "expect needs a comparison — e.g. 'expect loss < 0.01' or 'expect W1 ~= [[0.15]]'", column: 7),
        Case("rerun",
             "expected a cell number, found the end of the line", column: 6),
        Case("save",
             "save needs a file name in double quotes — e.g. 'save \"session.descent\"'", column: 5),
        Case("run",
             "run needs a file name in double quotes — e.g. 'run \"file.descent\"'", column: 4),
        Case("export",
             "export needs a file name in double quotes — e.g. 'export \"notebook.ipynb\"'", column: 7),
        Case("lesson",
             "lesson needs a number or 'off' — type 'lessons' to see them", column: 7),
        Case("help step extra",
             "unexpected 'extra' after the command — one command per line; see 'help'", column: 11),
        Case("explain",
             "explain needs a parameter or gradient, found the end of the line — e.g. 'explain dW1' or 'explain W2'", column: 8),
        Case("plot",
             "expected plot (norms, loss, boundary, neurons), found the end of the line — e.g. 'plot norms'", column: 5),
        Case("threads",
             "expected the number of threads, found the end of the line", column: 8),
        Case("limit disk",
             "unknown limit 'disk' — expected one of: memory, history", column: 7),
        Case("precision 0",
             "the number of significant digits must be at least 1, got 0", column: 11),
        Case("seed 1e20",
             "a seed is a whole number from 0 to 9e15, got '1e20'", column: 6),
        Case("step 1e12",
             "the number of steps must be at most 1000000000, got 1000000000000", column: 6),
        Case("train 99999999999999999999",
             "expected the number of steps, a whole number, found '1e20'", column: 7),
        Case("net 1 -> 1 * 99999999999",
             "this network has 199999999998 parameters and would need 5.8 TiB with its gradients, over the limit of 5.9 GiB", column: nil),
        Case("let a = randn(99999999, 99999999)",
             "a 99999999×99999999 matrix needs 71.1 PiB, over the limit of 5.9 GiB", column: 9),
        Case("let a = 1 \u{0} 2",
             "unexpected control character U+0000 — delete it; it may have come in with pasted text", column: 11),
        Case("let a = [[" + Array(repeating: "1", count: 1_000_001).joined(separator: ", ") + "]]",
             "this line is 3000013 bytes long; Descent reads lines of at most 1000000 — load large data from a file with 'data load \"file.csv\"'", column: nil),
        Case("let a = " + String(repeating: "1 + ", count: 300_000) + "1",
             "this line is 1200009 bytes long; Descent reads lines of at most 1000000 — load large data from a file with 'data load \"file.csv\"'", column: nil),
        Case("let big = [" + Array(repeating: "0.5", count: 100_001).joined(separator: ", ") + "]",
             "this literal has more than 100000 entries in a row — load large data with 'data load \"file.csv\"' or make it with randn(r, c)", column: 500012),
        Case("step 2000000000",
             "the number of steps must be at most 1000000000, got 2000000000", column: 6),
        Case("train until loss < 0 max=2000000000",
             "max must be at most 1000000000, got 2000000000", column: 26),
        Case("limit memory 1 KB",
             "a memory limit is between 1 MB and 900 TB", column: 14),
        Case("limit memory 1000 TB",
             "a memory limit is between 1 MB and 900 TB", column: 14),
        Case("limit memory 12 PB",
             "unknown unit 'PB' — did you mean 'KB'?", column: 17),
        Case("expect X ~= [[0, 0]]",
             "expectation failed: X ~= [[0, 0]]: 4 of 8 entries fail; worst at [2, 2] (row, column): 1 vs 0", column: 8),
        Case("expect loss < 1 tol=1e-3",
             "tol= only applies to '~=' — compare with '~=' to allow a tolerance", column: 17),
        Case("set b1 = [1, 2]",
             "b1 is 1×3, got 1×2 — a bias is one row with one entry per unit", column: 10),
        Case("set W1 = [[1, 2, 3]]",
             "W1 is 2×3, got 1×3 — W1 has one row per input of layer 1 and one column per unit", column: 10),
        Case("predict [[1]]",
             "the net takes 2 inputs per row, got 1×1 — one row per example, e.g. 'predict [[0, 0]]'", column: 9),
        Case("data load \"/nonexistent.csv\"",
             "no such data file: /nonexistent.csv", column: nil),
        Case("run \"/\"",
             "/ is a folder, not a script", column: nil),
        Case("save \"/nonexistent/dir/x.descent\"",
             "cannot write /nonexistent/dir/x.descent: the folder /nonexistent/dir does not exist", column: nil),
        Case("export \"/nonexistent/x.ipynb\"",
             "cannot write /nonexistent/x.ipynb: the folder /nonexistent does not exist", column: nil),
        Case("let W1 = 2",
             "'W1' is a built-in name and cannot be redefined — to change a parameter use 'set W1 = …'", column: 5),
        Case("let A1 = 2",
             "'A1' is a built-in name and cannot be redefined — choose another name", column: 5),
        Case("let losses = 2",
             "'losses' is a built-in name and cannot be redefined — choose another name", column: 5),
        Case("explain foo",
             "explain takes a weight, bias or gradient such as dW1, not 'foo' — e.g. 'explain dW1'", column: 9),
        Case("explain W7",
             "W7: the net has 2 layers, so layers are numbered 1…2", column: 9),
        Case("show hist",
             "show hist needs a value to draw — e.g. 'show hist W1' or 'show hist dW3'", column: 10),
        Case("plot weights",
             "unknown plot 'weights' — expected one of: norms, loss, boundary, neurons", column: 6),
        Case("threads 0",
             "the number of threads must be at least 1, got 0", column: 9),
        Case("threads 1000",
             "threads goes up to 256, got 1000", column: nil),
    ]

    @Test func thereAreAtLeastSixty() { #expect(HostileInputTests.cases.count >= 60) }

    @Test(arguments: cases)
    func refusedExactlyAndChangesNothing(_ c: Case) throws {
        var s = try session(HostileInputTests.setup)
        let before = Fingerprint(s)
        let result = s.perform(c.line)
        let error = try #require(result.error, "accepted: \(c.line.prefix(60))")
        #expect(error.fullMessage == c.message)
        #expect(error.range?.column == c.column)
        var after = Fingerprint(s)
        #expect(after.successfulCells == before.successfulCells)
        after.successfulCells = before.successfulCells
        #expect(after == before)
    }

    /// Look-alikes whose meaning is certain are accepted as what they mean.
    @Test func certainLookalikesAreAccepted() throws {
        var s = try session(HostileInputTests.setup)
        #expect(s.perform("let a = 2 × 3").error == nil)
        #expect(s.perform("let b = −1").error == nil)
        #expect(s.perform("\u{A0}let c\t=\t1").error == nil)
        #expect(s.perform("expect a − b ≥ 7").error == nil)
        #expect(s.perform("net 2 → 3 tanh → 1").error == nil)
    }
}

/// A step refused because a parameter or the data was already NaN or inf names it, instead of
/// suggesting a smaller learning rate.
@Suite struct NonFiniteAdviceTests {
    @Test func nanWeightsSetByHandAreNamed() throws {
        var s = try session(["data xor", "net 2 -> 2 -> 1", "set W2 = (0/0) * W2"])
        let warnings: [String] = s.perform("step").output?.blocks.compactMap { block -> String? in if case .warning(let w) = block { w } else { nil } } ?? []
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("W2 already held NaN or inf before this step") == true, "\(warnings)")
        var t = try session(["data xor", "net 2 -> 2 -> 1", "optimizer gd lr=1e308", "step"])
        let diverged: [String] = t.perform("step").output?.blocks.compactMap { block -> String? in if case .warning(let w) = block { w } else { nil } } ?? []
        #expect(!diverged.isEmpty && diverged.allSatisfy { !$0.contains("already held") }, "\(diverged)")
    }
}

/// Reviewed edge cases of the notes and hints added for learners.
@Suite struct LearnerNoteEdgeTests {
    @Test func notesOnlyWhereTheyAreTrue() throws {
        // A real difference near zero is not "rounding".
        var s = try session(["data xor", "net 2 -> 2 -> 1"])
        #expect(s.perform("expect 7.7e-11 == 0").error?.message.contains("rounding") == false)
        // New data that does not fit the net: no "the curve goes on".
        var t = try session(["data xor", "net 2 -> 3 tanh -> 1", "step 2"])
        let notes = t.perform("data line n=10").output?.blocks.compactMap { block -> String? in if case .note(let n) = block { n } else { nil } } ?? []
        #expect(!notes.contains { $0.contains("curve goes on") }, "\(notes)")
        let fits = t.perform("data circles").output?.blocks.compactMap { block -> String? in if case .note(let n) = block { n } else { nil } } ?? []
        #expect(fits.contains("the net keeps its weights, step count (2) and loss history: the curve goes on with this data; 'reset' starts over"), "\(fits)")
        // let Xtest says nothing about training.
        #expect(t.perform("let Xtest = [[1]]").output?.blocks.count == 1)
        // predict with a NaN logit names no class.
        var u = try session(["data spiral", "net 2 -> 3", "loss ce"])
        let p = u.perform("predict [[0/0, 1]]").output?.blocks.last
        #expect(p == .note("ŷ are logits (loss ce applies the softmax); predicted class, 0-based: none (not finite)"))
    }

    /// A saved lesson session keeps the lesson's commands, not its prose (`lesson N` shows it).
    @Test func savedLessonCellsCarryNoProse() throws {
        var s = Session()
        s.environment.lessonLibrary = ChineseLessonTests.library
        s.environment.lessonLanguage = .en
        #expect(s.perform("lesson 1").error == nil)
        #expect(s.perform("").error == nil)
        #expect(!s.script.contains("#>"), "\(s.script)")
    }
}
