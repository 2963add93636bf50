import Testing
@testable import DescentLanguage

/// Every error the lexer and parser can produce: the exact message, the suggestion, and the
/// column the caret points at.
@Suite struct DiagnosticTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var line: String
        var message: String
        var column: Int
        var suggestion: String?
        var testDescription: String { line }
    }

    static let cases: [Case] = [
        // lexer
        Case(line: "let a = 1.2.3", message: "malformed number '1.2.3'", column: 9),
        Case(line: "let a = 3x", message: "malformed number '3x'", column: 9),
        Case(line: "let a = 1e999", message: "number '1e999' is too large for a Double (the largest is about 1.8e308)", column: 9),
        Case(line: "save \"open", message: "this string has no closing quote", column: 6, suggestion: "add \" at the end"),
        Case(line: "save 'x.descent'", message: "strings take double quotes", column: 6, suggestion: "write \"file.descent\""),
        Case(line: "expect a ~ b", message: "'~' on its own means nothing here", column: 10, suggestion: "did you mean '~=' (approximately equal)?"),
        Case(line: "expect a != b", message: "there is no '!' operator", column: 10, suggestion: "write the comparison the other way round, e.g. 'expect a > b'"),
        Case(line: "let a = 1 $ 2", message: "unexpected character '$' (U+0024)", column: 11),
        Case(line: "let a = 1 ∑ 2", message: "unexpected character '∑' (U+2211)", column: 11),
        // commands
        Case(line: "stpe", message: "unknown command 'stpe'", column: 1, suggestion: "did you mean 'step'?"),
        Case(line: "optimiser gd", message: "unknown command 'optimiser'", column: 1, suggestion: "did you mean 'optimizer'?"),
        Case(line: "frobnicate", message: "unknown command 'frobnicate'", column: 1, suggestion: "type 'help' for the list of commands"),
        Case(line: "42", message: "a command starts with a word, not '42'", column: 1, suggestion: "to see a value, write 'show 42'"),
        // issue 12, item 15
        Case(line: "let 权重 = 1", message: "names are written in ASCII letters, digits and _; '权' (U+6743) is not one", column: 5,
             suggestion: "e.g. 'let weights = …'"),
        Case(line: "let a = [1，2]", message: "unexpected character '，' (U+FF0C)", column: 11,
             suggestion: "did you mean ','? (this is the full-width form)"),
        Case(line: "loss cross-entropy", message: "unknown loss 'cross-entropy'", column: 6,
             suggestion: "cross-entropy is 'loss bce' (two classes, one sigmoid output) or 'loss ce' (k classes, softmax over k linear outputs)"),
        Case(line: "loss squared", message: "unknown loss 'squared'", column: 6, suggestion: "squared error is 'loss mse'"),
        // Python and NumPy habits (issue 12, item 12)
        Case(line: "W1", message: "unknown command 'W1'", column: 1, suggestion: "to see a value, write 'show W1'"),
        Case(line: "1 + 1", message: "a command starts with a word, not '1'", column: 1, suggestion: "to see a value, write 'show 1 + 1'"),
        Case(line: "print(W1)", message: "unknown command 'print'", column: 1, suggestion: "to print a value, write 'show W1'"),
        Case(line: "print(norm(dW1))", message: "unknown command 'print'", column: 1, suggestion: "to print a value, write 'show norm(dW1)'"),
        Case(line: "W1 = [[0.5]]", message: "unknown command 'W1'", column: 1, suggestion: "to change a parameter, write 'set W1 = [[0.5]]'"),
        Case(line: "x = 3", message: "unknown command 'x'", column: 1, suggestion: "to name a value, write 'let x = 3'"),
        Case(line: "show X[0]", message: "expressions have no indexing ('[' after a value)", column: 7,
             suggestion: "'show NAME' prints the whole matrix; rows(NAME) and cols(NAME) give its size"),
        Case(line: "quit()", message: "quit takes no brackets", column: 5, suggestion: "write 'quit' (or press Ctrl-D)"),
        Case(line: "exit()", message: "exit takes no brackets", column: 5, suggestion: "write 'exit' (or press Ctrl-D)"),
        Case(line: "step 2 3", message: "unexpected '3' after the command", column: 8, suggestion: "one command per line; see 'help'"),
        Case(line: "step 0", message: "the number of steps must be at least 1, got 0", column: 6),
        Case(line: "step 1.5", message: "expected the number of steps, a whole number, found '1.5'", column: 6),
        Case(line: "step many", message: "expected the number of steps, found 'many'", column: 6),
        // net
        Case(line: "net 2 -> 3 sigmod", message: "unknown activation 'sigmod'", column: 12, suggestion: "did you mean 'sigmoid'?"),
        Case(line: "net 2 -> 3 relu tanh", message: "a layer has one activation; 'tanh' is a second", column: 17),
        Case(line: "net 2", message: "expected '->' and a layer after the input width, found the end of the line", column: 6, suggestion: "e.g. 'net 2 -> 8 tanh -> 1'"),
        Case(line: "net 2 -> ", message: "expected a layer width after '->', found the end of the line", column: 10, suggestion: "a layer is WIDTH [bn] [activation] [res] [nobias] [* COUNT], e.g. '16 relu'"),
        Case(line: "net 2 -> tanh", message: "expected a layer width after '->', found 'tanh'", column: 10, suggestion: "a layer is WIDTH [bn] [activation] [res] [nobias] [* COUNT], e.g. '16 relu'"),
        Case(line: "net 0 -> 1", message: "the number of inputs must be at least 1, got 0", column: 5),
        Case(line: "net 2 -> 3 * 0", message: "the number of layers after '*' must be at least 1, got 0", column: 14),
        Case(line: "net 2 -> 3 leakyrelu(0.1", message: "expected ')' after the slope, found the end of the line", column: 25),
        Case(line: "net 2 -> 3, 4", message: "expected '->' or the end of the line after the layer, found ','", column: 11, suggestion: "a layer is WIDTH [bn] [activation] [res] [nobias] [* COUNT]"),
        // init, loss, seed
        Case(line: "init gaussian", message: "unknown initialiser 'gaussian'", column: 6, suggestion: "expected one of: zeros, normal, uniform, standard, xavier, he"),
        Case(line: "init xavir", message: "unknown initialiser 'xavir'", column: 6, suggestion: "did you mean 'xavier'?"),
        Case(line: "init normal", message: "init normal needs std=…", column: 6, suggestion: "e.g. 'init normal std=0.01'"),
        Case(line: "init normal sd=1", message: "init normal has no option 'sd='", column: 13, suggestion: "did you mean 'std'?"),
        Case(line: "init normal std=-1", message: "std must not be negative, got -1", column: 17),
        Case(line: "loss mae", message: "unknown loss 'mae'", column: 6, suggestion: "did you mean 'mse'?"),
        Case(line: "seed -1", message: "a seed is a whole number from 0 to 9e15, got '-1'", column: 6),
        Case(line: "seed 1.5", message: "a seed is a whole number from 0 to 9e15, got '1.5'", column: 6),
        // optimizer
        Case(line: "optimizer adagrad lr=0.1", message: "unknown optimizer 'adagrad'", column: 11, suggestion: "the optimizers are gd, adam and rmsprop"),
        Case(line: "optimizer sgd", message: "unknown optimizer 'sgd'", column: 11, suggestion: "SGD is 'gd' (with momentum=… if wanted)"),
        Case(line: "optimizer adam beta1=1", message: "beta1 must be below 1 (0.9 is usual), got 1", column: 22),
        Case(line: "optimizer rmsprop eps=0", message: "eps must be greater than 0, got 0", column: 23),
        Case(line: "optimizer adam momentum=0.9", message: "optimizer adam has no option 'momentum='", column: 16,
             suggestion: "it takes lr=, beta1=, beta2=, eps=, batch=, shuffle="),
        Case(line: "net 2 -> 3 tanh res -> 1", message: "res adds a layer's input to its output, so their widths must be equal; this layer takes 2 and gives 3", column: 10, suggestion: "e.g. '-> 2 tanh res'"),
        Case(line: "net 2 -> 2 tanh res", message: "the output layer cannot be res (the loss reads its activation directly)", column: 10, suggestion: "add a layer after it, e.g. '-> 1'"),
        Case(line: "optimizer gd lr=0", message: "lr must be greater than 0, got 0", column: 17),
        Case(line: "optimizer gd lr=0.1 lr=0.2", message: "lr= is given twice", column: 21),
        Case(line: "optimizer gd rate=0.1", message: "optimizer gd has no option 'rate='", column: 14, suggestion: "it takes lr=, momentum=, batch=, shuffle="),
        Case(line: "optimizer gd momentum=1", message: "momentum must be below 1 (0.9 is usual), got 1", column: 23),
        Case(line: "optimizer gd batch=all", message: "batch= takes full or a number of rows", column: 20, suggestion: "e.g. batch=32"),
        Case(line: "optimizer gd batch=0", message: "batch must be at least 1, got 0", column: 20),
        Case(line: "optimizer gd shuffle=yes", message: "shuffle= takes on or off, not 'yes'", column: 22),
        Case(line: "optimizer gd lr=", message: "expected a value after 'lr=', found the end of the line", column: 17),
        Case(line: "optimizer gd lr", message: "'lr' needs a value", column: 14, suggestion: "write lr=…"),
        Case(line: "schedule exp", message: "schedule exp needs gamma=…", column: 10, suggestion: "e.g. 'schedule exp gamma=0.99'"),
        Case(line: "schedule step gamma=0.5", message: "schedule step needs every=…", column: 10, suggestion: "e.g. 'schedule step every=100 gamma=0.5'"),
        Case(line: "schedule cosine", message: "unknown schedule 'cosine'", column: 10, suggestion: "expected one of: fixed, exp, step"),
        Case(line: "clip 1.0", message: "clip needs norm=… or off", column: 6, suggestion: "e.g. 'clip norm=1.0'"),
        Case(line: "clip norm=0", message: "norm must be greater than 0, got 0", column: 11),
        Case(line: "l2 -0.1", message: "λ must not be negative, got -0.1", column: 4),
        Case(line: "l2 on", message: "l2 needs λ or off, found 'on'", column: 4, suggestion: "e.g. 'l2 0.001'"),
        // data
        Case(line: "data X", message: "unknown data set 'X'", column: 6, suggestion: "for your own variables write 'data X, y'; built in: xor, circles, spiral, line, load"),
        Case(line: "data circle", message: "unknown data set 'circle'", column: 6, suggestion: "did you mean 'circles'?"),
        Case(line: "data X,", message: "expected the name of the targets after ',', found the end of the line", column: 8, suggestion: "e.g. 'data X, y'"),
        Case(line: "data load points.csv", message: "data load needs a file name in double quotes, found 'points.csv'", column: 11, suggestion: "e.g. 'data load \"points.csv\" target=last'"),
        Case(line: "data load \"p.csv\" target=0", message: "target= takes last, first, a column number (from 1) or a header name", column: 26),
        Case(line: "data spiral classes=1", message: "classes must be at least 2, got 1", column: 21),
        // values and expressions
        Case(line: "let = 3", message: "let needs a name, found '='", column: 5, suggestion: "e.g. 'let X = [[1], [2]]'"),
        Case(line: "let a 3", message: "expected '=' after the name, found '3'", column: 7, suggestion: "e.g. 'let a = [1, 2, 3]'"),
        Case(line: "let a = ", message: "expected a value (a number, a name such as W1, or [[…]]), found the end of the line", column: 9),
        Case(line: "let a = []", message: "an empty matrix has no shape", column: 9, suggestion: "e.g. [[1, 2]] or zeros(2, 3)"),
        Case(line: "let a = [[1, 2], [3]]", message: "row 2 has 1 entry but row 1 has 2", column: 18, suggestion: "all rows of a matrix have the same length (row 1 is at column 10)"),
        Case(line: "let a = [[1, 2], 3]", message: "expected '[' to start a row, found '3'", column: 18, suggestion: "write every row in brackets: [[1, 2], [3, 4]]"),
        Case(line: "let a = [[1, 2]", message: "expected ']' to close the matrix, found the end of the line", column: 16, suggestion: "the '[' at column 9 is not closed"),
        Case(line: "let a = [1, 2", message: "the '[' at column 9 is not closed", column: 9, suggestion: "add ']'"),
        Case(line: "let a = [[[1]]]", message: "a '[' inside a row: matrices have two levels of brackets at most", column: 11),
        Case(line: "let a = [1 2]", message: "expected ',' or ']' in the matrix, found '2'", column: 12),
        Case(line: "let a = (1 + 2", message: "expected ')', found the end of the line", column: 15, suggestion: "the '(' at column 9 is not closed"),
        Case(line: "let a = norm(W1", message: "expected ')' or ',' in the call of norm, found the end of the line", column: 16, suggestion: "the '(' at column 13 is not closed"),
        Case(line: "set W1 [[1]]", message: "expected '=' after the name, found '['", column: 8, suggestion: "e.g. 'set W1 = [[0.5]]'"),
        // looking
        Case(line: "show", message: "show needs something to show", column: 5, suggestion: "e.g. 'show W1', 'show grads' or 'show loss'; see 'help show'"),
        Case(line: "watch everything", message: "unknown thing to watch 'everything'", column: 7, suggestion: "expected one of: grads, weights, norms, off"),
        Case(line: "precision 40", message: "precision goes up to 17 (every digit of a Double), got 40", column: 11),
        Case(line: "expect", message: "expect needs a comparison", column: 7, suggestion: "e.g. 'expect loss < 0.01' or 'expect W1 ~= [[0.15]]'"),
        Case(line: "expect loss = 1", message: "'=' assigns; a comparison uses '==' (exactly) or '~=' (within a tolerance)", column: 13, suggestion: "did you mean '=='?"),
        Case(line: "expect loss 1", message: "expected a comparison (< <= > >= == ~=) after the expression, found '1'", column: 13),
        Case(line: "expect loss <", message: "expected an expression after '<'", column: 14),
        Case(line: "expect loss < 1 tol=0.1", message: "tol= only applies to '~='", column: 17, suggestion: "compare with '~=' to allow a tolerance"),
        Case(line: "expect loss ~= 1 tolerance=0.1", message: "the comparison has no option 'tolerance='", column: 18, suggestion: "it takes tol="),
        Case(line: "train", message: "train needs a number of steps or 'until'", column: 6, suggestion: "e.g. 'train 100' or 'train until loss < 1e-6'"),
        Case(line: "train until", message: "train until needs a condition", column: 12, suggestion: "e.g. 'train until loss < 1e-6'"),
        Case(line: "train until loss < 1 max=0", message: "max must be at least 1, got 0", column: 26),
        // notebook
        Case(line: "save", message: "save needs a file name in double quotes", column: 5, suggestion: "e.g. 'save \"session.descent\"'"),
        Case(line: "run file.descent", message: "run needs a file name in double quotes, found 'file.descent'", column: 5, suggestion: "e.g. 'run \"file.descent\"'"),
        Case(line: "export \"\"", message: "the file name is empty", column: 8),
        Case(line: "rerun", message: "expected a cell number, found the end of the line", column: 6),
        Case(line: "lesson one", message: "lesson needs a number or 'off'", column: 8, suggestion: "type 'lessons' to see them"),
        Case(line: "help stpe", message: "no help for 'stpe'", column: 6, suggestion: "did you mean 'step'?"),
    ]

    @Test(arguments: cases)
    func diagnostic(_ c: Case) {
        do {
            _ = try Parser.parse(c.line)
            Issue.record("'\(c.line)' parsed without an error")
        } catch {
            #expect(error.message == c.message)
            #expect(error.range?.column == c.column)
            if let suggestion = c.suggestion { #expect(error.suggestion == suggestion) }
        }
    }

    @Test func thereAreDozens() { #expect(DiagnosticTests.cases.count >= 80) }

    @Test func caretUnderTheWord() {
        let d = Diagnostic("unknown activation 'sigmod'", at: SourceRange(column: 12, length: 6), suggestion: "did you mean 'sigmoid'?")
        #expect(d.fullMessage == "unknown activation 'sigmod' — did you mean 'sigmoid'?")
        #expect(d.caretLines(source: "net 2 -> 3 sigmod", indent: "") == ["net 2 -> 3 sigmod", "           ^^^^^^"])
    }

    @Test func lookalikesAreReadAsMeant() throws {
        #expect(try Parser.parse("let a = −1") == Parser.parse("let a = -1"))
        guard case .expect(let e) = try Parser.parse("expect a ≤ 1") else { Issue.record("not expect"); return }
        #expect(e.op == .lessEqual)
        #expect(try Parser.parse("net 2 → 1") == Parser.parse("net 2 -> 1"))
        #expect(try Parser.parse("save “x.descent”") == Parser.parse("save \"x.descent\""))
    }
}
