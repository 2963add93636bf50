import DescentCore
import Testing
@testable import DescentLanguage

/// The parser turns each command of the contract into the right `Command`.
@Suite struct ParserTests {
    func parse(_ line: String) throws -> Command? { try Parser.parse(line) }

    @Test func blankAndCommentLinesAreNothing() throws {
        #expect(try parse("") == nil)
        #expect(try parse("   # just a comment") == nil)
    }

    @Test func netWithEveryLayerForm() throws {
        let command = try parse("net 8 -> 16 sigmoid * 10 -> 4 leakyrelu(0.2) nobias -> 1")
        let expected = Architecture(inputs: 8, layers: [
            LayerSpec(width: 16, activation: .sigmoid, count: 10),
            LayerSpec(width: 4, activation: .leakyReLU(slope: 0.2), hasBias: false),
            LayerSpec(width: 1),
        ])
        #expect(command == .net(expected))
        #expect(expected.expandedLayers.count == 12)
        #expect(try parse("net 1 -> 1 nobias") == .net(Architecture(inputs: 1, layers: [LayerSpec(width: 1, hasBias: false)])))
        #expect(try parse("net 2 → 3 leakyrelu × 2 → 1") == .net(Architecture(inputs: 2, layers: [
            LayerSpec(width: 3, activation: .leakyReLU(slope: 0.01), count: 2), LayerSpec(width: 1)])))
    }

    /// `limit memory 10 TB`: the unit the range error names is one the command takes.
    @Test func limitInTerabytes() throws {
        #expect(try parse("limit memory 10 TB") == .limitMemory(bytes: 10 << 40))
        #expect(try parse("limit history 1 TB") == .limitHistory(bytes: 1 << 40))
    }

    @Test func optimizerScheduleClipL2() throws {
        #expect(try parse("optimizer gd lr=0.01") == .optimizer(OptimizerSettings(learningRate: 0.01, given: ["lr"])))
        #expect(try parse("optimizer gd lr=0.1 momentum=0.9 batch=8 shuffle=off")
                == .optimizer(OptimizerSettings(learningRate: 0.1, momentum: 0.9, batch: .rows(8), shuffle: false)))
        #expect(try parse("optimizer gd batch=full") == .optimizer(OptimizerSettings(learningRate: 0.01, batch: .full, given: ["batch"])))
        #expect(try parse("schedule fixed") == .schedule(.fixed))
        #expect(try parse("schedule exp gamma=0.99") == .schedule(.exponential(gamma: 0.99)))
        #expect(try parse("schedule step every=100 gamma=0.5") == .schedule(.step(every: 100, gamma: 0.5)))
        #expect(try parse("clip norm=1.0") == .clip(1))
        #expect(try parse("clip off") == .clip(nil))
        #expect(try parse("l2 0.001") == .l2(0.001))
        #expect(try parse("l2 off") == .l2(nil))
    }

    @Test func initSeedLoss() throws {
        #expect(try parse("init zeros") == .initialize(.zeros))
        #expect(try parse("init normal std=0.01") == .initialize(.normal(std: 0.01)))
        #expect(try parse("init uniform limit=0.5") == .initialize(.uniform(limit: 0.5)))
        #expect(try parse("init standard") == .initialize(.standard))
        #expect(try parse("init xavier") == .initialize(.xavier))
        #expect(try parse("init he") == .initialize(.he))
        #expect(try parse("seed 42") == .seed(42))
        #expect(try parse("loss bce") == .loss(.bce))
        // `loss` alone is the value now.
        guard case .show(.value(.name("loss", _), full: false))? = try parse("loss") else { Issue.record("loss alone"); return }
    }

    @Test func steppingCommands() throws {
        #expect(try parse("step") == .step(1))
        #expect(try parse("step 1000") == .step(1000))
        #expect(try parse("epoch 3") == .epoch(3))
        #expect(try parse("train 50") == .train(.steps(50)))
        #expect(try parse("back") == .back(1))
        #expect(try parse("reset") == .reset)
        guard case .train(.until(let condition, let max)) = try parse("train until loss < 1e-6 max=500") else {
            Issue.record("not a train until")
            return
        }
        #expect(max == 500)
        #expect(condition.op == .less)
        #expect(condition.rhs == .number(1e-6, SourceRange(column: 20, length: 4)))
    }

    @Test func dataSources() throws {
        guard case .data(.variables(let x, let y)) = try parse("data X, y") else { Issue.record("not variables"); return }
        #expect(x.value == "X" && y.value == "y")
        #expect(try parse("data xor") == .data(.xor))
        #expect(try parse("data circles n=200 noise=0.1") == .data(.circles(n: 200, noise: 0.1)))
        #expect(try parse("data spiral n=300 classes=3") == .data(.spiral(n: 300, classes: 3, noise: 0.2)))
        #expect(try parse("data line n=50 noise=0.1") == .data(.line(n: 50, noise: 0.1)))
        #expect(try parse("data load \"points.csv\" target=last") == .data(.load(path: "points.csv", target: .last)))
        #expect(try parse("data load \"p.csv\" target=2") == .data(.load(path: "p.csv", target: .column(2))))
    }

    @Test func lookingAndNotebookCommands() throws {
        #expect(try parse("show weights") == .show(.weights))
        #expect(try parse("show grads") == .show(.grads))
        #expect(try parse("show norms") == .show(.norms))
        #expect(try parse("show activations") == .show(.activations))
        #expect(try parse("show loss") == .show(.loss))
        #expect(try parse("show config") == .show(.config))
        #expect(try parse("show W1 full") == .show(.value(.name("W1", SourceRange(column: 6, length: 2)), full: true)))
        #expect(try parse("watch grads") == .watch(.grads))
        #expect(try parse("watch off") == .watch(nil))
        #expect(try parse("precision 17") == .precision(17))
        #expect(try parse("gradcheck") == .gradcheck)
        #expect(try parse("history") == .history)
        #expect(try parse("rerun 3") == .rerun(3))
        #expect(try parse("save \"s.descent\"") == .save(path: "s.descent"))
        #expect(try parse("run \"s.descent\"") == .run(path: "s.descent"))
        #expect(try parse("export \"n.ipynb\"") == .export(path: "n.ipynb"))
        #expect(try parse("lessons") == .lessons)
        #expect(try parse("lesson 4") == .lesson(4))
        #expect(try parse("lesson off") == .lessonOff)
        #expect(try parse("next") == .next)
        #expect(try parse("help") == .help(topic: nil))
        #expect(try parse("help step") == .help(topic: "step"))
        #expect(try parse("quit") == .quit)
    }

    @Test func expressionsBindAsUsual() throws {
        guard case .expect(let e) = try parse("expect 1 + 2 * 3 - -4 == 11") else { Issue.record("not expect"); return }
        #expect(e.lhs.sourceTextForTest == "((1 + (2 * 3)) - -4)")
        guard case .expect(let p) = try parse("expect -2^2 + 2^3^2 == 508") else { Issue.record("not expect"); return }
        #expect(p.lhs.sourceTextForTest == "(-(2 ^ 2) + (2 ^ (3 ^ 2)))")
        guard case .expect(let t) = try parse("expect W1 ~= [[0.5, -1e-3]] tol=1e-6") else { Issue.record("not expect"); return }
        #expect(t.tolerance == 1e-6)
        guard case .letBinding(_, .matrix(let literal)) = try parse("let y = [1, 2, 3,]") else { Issue.record("not let"); return }
        #expect(literal.isFlat && literal.rows[0].count == 3)
    }

    @Test func everyCommandInTheCatalogParses() throws {
        for entry in CommandCatalog.entries {
            #expect(throws: Never.self, "\(entry.example)") { _ = try Parser.parse(entry.example) }
        }
    }
}

extension Expr {
    /// Fully parenthesised, to test precedence.
    var sourceTextForTest: String {
        switch self {
        case .number(let x, _): NumberFormat.short(x)
        case .name(let n, _): n
        case .binary(let op, let l, let r, _): "(\(l.sourceTextForTest) \(op.rawValue) \(r.sourceTextForTest))"
        case .negate(let e, _): "-\(e.sourceTextForTest)"
        case .call(let n, let a, _): "\(n)(\(a.map(\.sourceTextForTest).joined(separator: ", ")))"
        case .matrix: "[…]"
        }
    }
}

/// An expression written back as source keeps the brackets its structure needs, so that it
/// reads (and parses) as the same expression (issue 12, item 7).
@Suite struct SourceTextTests {
    @Test(arguments: [
        ("2 * (1 - 1)", "2 * (1 - 1)"),
        ("(a + b) ^ 2", "(a + b) ^ 2"),
        ("a - (b - c)", "a - (b - c)"),
        ("a - b - c", "a - b - c"),
        ("-(x + 1)", "-(x + 1)"),
        ("-2^2", "-2 ^ 2"),
        ("(-2)^2", "(-2) ^ 2"),
        ("2^3^2", "2 ^ 3 ^ 2"),
        ("(2^3)^2", "(2 ^ 3) ^ 2"),
        ("2^-1", "2 ^ -1"),
        ("lambda / (2 * m) * norm(W1)^2", "lambda / (2 * m) * norm(W1) ^ 2"),
        ("(X @ W1) * 2 + b1", "X @ W1 * 2 + b1"),
        ("a * -b", "a * -b"),
        ("1 / (1 + exp(-z))", "1 / (1 + exp(-z))"),
    ])
    func bracketsAsNeeded(_ input: String, _ expected: String) throws {
        guard case .expect(let e)? = try Parser.parse("expect \(input) == 0") else { Issue.record("not an expect"); return }
        #expect(e.lhs.sourceText == expected)
        // Written back and parsed again, it is the same tree.
        guard case .expect(let again)? = try Parser.parse("expect \(expected) == 0") else { Issue.record("not an expect"); return }
        #expect(again.lhs.sourceText == expected)
        #expect(strip(again.lhs) == strip(e.lhs))
    }

    /// The tree without source positions.
    private func strip(_ e: Expr) -> String {
        switch e {
        case .number(let x, _): "\(x)"
        case .name(let n, _): n
        case .matrix(let m): "\(m.rows.map { $0.map(strip) })"
        case .call(let n, let args, _): "\(n)(\(args.map(strip)))"
        case .negate(let x, _): "neg(\(strip(x)))"
        case .binary(let op, let l, let r, _): "(\(strip(l)) \(op.rawValue) \(strip(r)))"
        }
    }
}

/// Lesson prose as blocks, the one reading the terminal and both exports share.
@Suite struct ProseBlockTests {
    @Test func headingsParagraphsItemsFormulasAndBlanks() {
        let lines = ["## Title", "A paragraph", "on two lines.", "- an item", "  that goes on", "- another",
                     "after the list", "", "    y = σ(z)", "    z = Wx", "  two spaces, no list", "中文的句子",
                     "接着写。"]
        #expect(ProseBlock.blocks(of: lines) == [
            .heading("Title"), .paragraph(["A paragraph", "on two lines."]), .item(["an item", "that goes on"]),
            .item(["another"]), .paragraph(["after the list"]), .blank, .verbatim("    y = σ(z)"), .verbatim("    z = Wx"),
            .verbatim("  two spaces, no list"), .paragraph(["中文的句子", "接着写。"]),
        ])
        #expect(ProseBlock.verbatim("    y").isFormula && !ProseBlock.verbatim("  y").isFormula && !ProseBlock.blank.isFormula)
    }
}
