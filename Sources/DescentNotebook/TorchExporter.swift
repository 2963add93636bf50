import DescentCore
import DescentLanguage
import DescentSession
import Foundation

/// Writes a session as a plain PyTorch script (float64) that redoes it cell by cell and checks
/// itself: each cell as a `# %% [n] …` comment (a cell to VS Code and Jupytext) followed by
/// its PyTorch equivalent. What Descent drew at random (data, initial weights, `randn`,
/// shuffles) is written in exactly; every `expect` becomes the same check on PyTorch's
/// numbers, every `show` prints PyTorch's value and compares it with Descent's, and the end
/// compares every parameter with Descent's final one. The last line printed is
/// `checked N values`; a mismatch exits 1 naming the value, Descent's number and PyTorch's.
public struct TorchExporter {
    public var cells: [Cell]
    /// Descent's network at the end, for the final comparison.
    public var finalNetwork: Network?

    public init(cells: [Cell], finalNetwork: Network?) {
        self.cells = cells
        self.finalNetwork = finalNetwork
    }

    /// The script, or why the session cannot be exported faithfully (and then nothing is
    /// written).
    public func script() throws(ExportRefusal) -> String {
        var lines = [
            "# A Descent session as a PyTorch script (float64): every cell redone with torch and checked",
            "# against the numbers Descent showed. Run it with `python FILE.py`; it needs only torch.",
            "# Written by Descent's `export`; the cells follow the definitions below.",
        ]
        lines += TorchPrelude.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let history = cells.compactMap { cell -> Int? in
            guard cell.succeeded, case .back(let n)? = try? Parser.parse(cell.source) else { return nil }
            return n
        }.max() ?? 0
        if history > 0 { lines.append("S.keep_history(\(history))") }
        var context = PythonExpression(variables: [], flatVariables: [])
        for (index, cell) in cells.enumerated() where cell.succeeded {
            lines.append("")
            lines.append("# %% [\(index + 1)] \(PythonLiteral.comment(cell.source))")
            do throws(PythonExpression.Unsupported) {
                lines += try cellCode(cell, context: &context)
            } catch {
                throw ExportRefusal(cell: index + 1, reason: error.reason)
            }
        }
        lines.append("")
        lines.append("# %% Descent's network at the end, parameter by parameter")
        lines += finalComparison()
        lines.append("print(f\"checked {CHECKS[0]} values\")")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - One cell

    func cellCode(_ cell: Cell, context: inout PythonExpression) throws(PythonExpression.Unsupported) -> [String] {
        guard let command = (try? Parser.parse(cell.source)) ?? nil else { return [] }
        let effects = cell.effects ?? CellEffects()
        var code: [String] = []
        switch command {
        case .run:
            // The script's cells are this one cell: the export takes over what they left (data,
            // settings, the network's weights), not the steps that led there.
            code.append("# the script's steps are not redone: the weights below are the ones it left")
        case .letBinding(let name, let value):
            code += try letCode(name.value, value, effects: effects, context: &context)
        case .expect(let expectation):
            code.append(try checkCode(expectation, source: cell.source, context: context))
        case .show(.value(let expression, _)):
            if PythonExpression.drawsRandomNumbers(expression) {
                throw PythonExpression.Unsupported(reason: "it draws random numbers outside a `let`")
            }
            let text = cell.source.dropFirst(4).trimmingCharacters(in: .whitespaces)
            let python = try context.translate(expression).code
            if let shown = effects.shown {
                code.append("show(\(PythonLiteral.string(text)), \(python), \(Self.literal(shown)))")
            }
        default:
            break
        }
        code += stateCode(effects)
        if case .train(.until(let goal, _)) = command, let steps = effects.steps, !steps.endedNonFinite {
            code.append(try checkCode(goal, source: "train " + cell.source.drop(while: { $0 != " " }).trimmingCharacters(in: .whitespaces), context: context))
        }
        if case .back(let n) = command { code.insert("S.back(\(n))", at: 0) }
        for name in effects.variablesRemoved {
            context.variables.remove(name)
            code.append("V.pop(\(PythonLiteral.string(name)), None)")
        }
        if code.isEmpty { code.append("pass  # \(Self.why(command))") }
        return code
    }

    /// `let`: computed by PyTorch and compared with Descent's value, or (when it draws random
    /// numbers) Descent's value written in.
    func letCode(_ name: String, _ value: Expr, effects: CellEffects, context: inout PythonExpression) throws(PythonExpression.Unsupported) -> [String] {
        guard let descent = effects.variablesSet[name] else { return [] }
        let key = PythonLiteral.string(name)
        var code: [String]
        if PythonExpression.drawsRandomNumbers(value) {
            code = ["V[\(key)] = \(Self.literal(descent.matrix, flat: descent.isFlat))  # drawn by Descent"]
        } else {
            code = ["V[\(key)] = \(try context.translate(value).code)",
                    "S.compare(\(PythonLiteral.string("let " + name)), V[\(key)], \(Self.literal(descent.matrix)))"]
        }
        context.variables.insert(name)
        if descent.isFlat { context.flatVariables.insert(name) } else { context.flatVariables.remove(name) }
        return code
    }

    func checkCode(_ expectation: Expectation, source: String, context: PythonExpression) throws(PythonExpression.Unsupported) -> String {
        if PythonExpression.drawsRandomNumbers(expectation.lhs) || PythonExpression.drawsRandomNumbers(expectation.rhs) {
            throw PythonExpression.Unsupported(reason: "it draws random numbers outside a `let`")
        }
        let lhs = try context.translate(expectation.lhs).code, rhs = try context.translate(expectation.rhs).code
        let text = source.drop(while: { $0 != " " }).trimmingCharacters(in: .whitespaces)
        return "check(\(PythonLiteral.string(text)), \(lhs), \"\(expectation.op.rawValue)\", \(rhs), \(PythonLiteral.number(expectation.tolerance)))"
    }

    /// The workbench changes any cell made: data, settings, the network a command set, steps.
    func stateCode(_ effects: CellEffects) -> [String] {
        var code: [String] = []
        if effects.data != nil || effects.testData != nil {
            code.append(dataCode(effects))
        }
        if let config = effects.config { code.append(Self.configCode(config)) }
        if let sync = effects.training { code += syncCode(sync) }
        if let steps = effects.steps {
            var call = "S.steps(\(steps.applied)"
            if !steps.orders.isEmpty {
                call += ", orders=[" + steps.orders.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
            }
            if steps.endedNonFinite { call += ", ends_nonfinite=True" }
            code.append(call + ")")
        }
        return code
    }

    func dataCode(_ effects: CellEffects) -> String {
        // The data effect carries the training rows when they changed; the test rows may
        // change alone (`split`), and then the training rows are those already set.
        let train = effects.data.map { "\(Self.literal($0.x)), \(Self.literal($0.y))" } ?? "S.X, S.y"
        guard let test = effects.testData else { return "S.data(\(train))" }
        guard let test else { return "S.data(\(train), None, None, test_changed=True)" }
        return "S.data(\(train), \(Self.literal(test.x)), \(Self.literal(test.y)), test_changed=True)"
    }

    func syncCode(_ sync: TrainingSync) -> [String] {
        guard let network = sync.network else { return ["S.sync([], 0, 0, 0, restart=True, clear=True)"] }
        var code = ["S.sync(["]
        for layer in network.layers {
            var args = [Self.literal(layer.weights), layer.hasBias ? Self.literal(layer.bias) : "None"]
            switch layer.activation {
            case .linear: args.append("\"linear\"")
            case .sigmoid: args.append("\"sigmoid\"")
            case .tanh: args.append("\"tanh\"")
            case .relu: args.append("\"relu\"")
            case .leakyReLU(let slope): args.append("\"leakyrelu\""); args.append("slope=\(PythonLiteral.number(slope))")
            }
            if let bn = layer.batchNorm {
                args.append("batchnorm=(\(Self.literal(bn.scale)), \(Self.literal(bn.shift)), \(Self.literal(bn.runningMean)), \(Self.literal(bn.runningVariance)))")
            }
            if layer.isResidual { args.append("residual=True") }
            code.append("    Layer(" + args.joined(separator: ", ") + "),")
        }
        code.append("], \(sync.step), \(sync.cursorPosition), \(sync.cursorEpoch), restart=\(sync.optimizerRestarted ? "True" : "False"), clear=\(sync.historyCleared ? "True" : "False"))")
        return code
    }

    static func configCode(_ config: TrainingConfig) -> String {
        let rule: String
        switch config.optimizer {
        case .gd(let momentum): rule = "(\"gd\", \(PythonLiteral.number(momentum)))"
        case .adam(let b1, let b2, let eps):
            rule = "(\"adam\", \(PythonLiteral.number(b1)), \(PythonLiteral.number(b2)), \(PythonLiteral.number(eps)))"
        case .rmsprop(let alpha, let eps, let momentum):
            rule = "(\"rmsprop\", \(PythonLiteral.number(alpha)), \(PythonLiteral.number(eps)), \(PythonLiteral.number(momentum)))"
        }
        let batch: String
        if case .rows(let n) = config.batch { batch = "\(n)" } else { batch = "None" }
        let schedule: String
        switch config.schedule {
        case .fixed: schedule = "(\"fixed\",)"
        case .exponential(let gamma): schedule = "(\"exp\", \(PythonLiteral.number(gamma)))"
        case .step(let every, let gamma): schedule = "(\"step\", \(every), \(PythonLiteral.number(gamma)))"
        }
        let clip = config.clipNorm.map(PythonLiteral.number) ?? "None"
        let l2 = config.l2.map(PythonLiteral.number) ?? "None"
        return "S.config(\"\(config.loss.rawValue)\", \(PythonLiteral.number(config.learningRate)), \(rule), \(batch), "
            + "\(config.shuffle ? "True" : "False"), \(schedule), \(clip), \(l2))"
    }

    func finalComparison() -> [String] {
        guard let network = finalNetwork else { return [] }
        var code: [String] = []
        for (i, layer) in network.layers.enumerated() {
            let l = i + 1
            code.append("S.compare(\"W\(l)\", S.W(\(l)), \(Self.literal(layer.weights)))")
            if layer.hasBias { code.append("S.compare(\"b\(l)\", S.b(\(l)), \(Self.literal(layer.bias)))") }
            if let bn = layer.batchNorm {
                code.append("S.compare(\"scale\(l)\", S.scale(\(l)), \(Self.literal(bn.scale)))")
                code.append("S.compare(\"shift\(l)\", S.shift(\(l)), \(Self.literal(bn.shift)))")
                code.append("S.compare(\"runmean\(l)\", S.runmean(\(l)), \(Self.literal(bn.runningMean)))")
                code.append("S.compare(\"runvar\(l)\", S.runvar(\(l)), \(Self.literal(bn.runningVariance)))")
            }
        }
        return code
    }

    static func literal(_ matrix: Matrix, flat: Bool = false) -> String {
        if flat { return "v([" + matrix.storage.map(PythonLiteral.number).joined(separator: ", ") + "])" }
        return PythonLiteral.matrix(matrix.rows, matrix.cols, matrix.storage)
    }

    /// Why a cell has no PyTorch code.
    static func why(_ command: Command) -> String {
        switch command {
        case .precision, .threads, .limitMemory, .limitHistory, .showLimits, .help, .history, .save, .export:
            return "a setting of Descent itself; nothing to redo"
        case .show, .plot, .explain, .watch, .predict, .gradcheck:
            return "a view Descent draws; this script does not redraw it"
        default:
            return "nothing changed that PyTorch keeps"
        }
    }
}
