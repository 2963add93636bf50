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
    /// For each stepping cell (by index), the name of its checkpoint array in the data file
    /// and the optimizer buffers its rows carry (see TorchCheckpoints).
    var checkpoints: [Int: (array: String, buffers: [String])] = [:]
    /// The data file's name, beside the script.
    var dataFileName = ""
    /// Where large matrices go (nil: everything inline).
    var largeArrays: ArrayStore?

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
        if !checkpoints.isEmpty || largeArrays != nil {
            lines.append("DATA = Arrays(os.path.join(os.path.dirname(os.path.abspath(__file__)), \(PythonLiteral.string(dataFileName))))")
        }
        let history = try historyNeeded()
        if history > 0 { lines.append("S.keep_history(\(history))") }
        var context = PythonExpression(variables: [], flatVariables: [])
        var lastStepForeign = false  // the last step was a script's or a lesson's
        for (index, cell) in cells.enumerated() where cell.succeeded {
            if lastStepForeign, case .explain? = (try? Parser.parse(cell.source)) ?? nil {
                throw ExportRefusal(cell: index + 1, reason: "it explains a step that a `run` or a lesson took, which the script does not redo")
            }
            if let applied = cell.effects?.steps?.applied, applied > 0 { lastStepForeign = false }
            if cell.effects?.training?.restored != nil { lastStepForeign = true }
            lines.append("")
            // A lesson's prose (in its language) as comments above the cell it introduces.
            for line in cell.prose { lines.append(("# " + PythonLiteral.comment(line)).trimmingCharacters(in: .whitespaces)) }
            lines.append("# %% [\(index + 1)] \(PythonLiteral.comment(cell.source))")
            lines.append("cell(\(index + 1))")
            do throws(PythonExpression.Unsupported) {
                lines += try cellCode(cell, context: &context, checkpoints: checkpoints[index])
            } catch {
                throw ExportRefusal(cell: index + 1, reason: error.reason)
            }
            for line in cell.summary { lines.append(("# " + PythonLiteral.comment(line)).trimmingCharacters(in: .whitespaces)) }
        }
        lines.append("")
        lines.append("# %% Descent's network at the end, parameter by parameter")
        lines += finalComparison()
        lines.append("print(f\"checked {CHECKS[0]} values\")")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The fewest snapshots the script must keep for every `back` to find its steps: the
    /// smallest ring in which each `back N` has N snapshots left, found by trying. Refuses a
    /// `back` past a cell whose state the script takes over (`run "file"`, `lesson off`).
    func historyNeeded() throws(ExportRefusal) -> Int {
        enum Event { case taken(Int), undone(Int, cell: Int), cleared, foreign(cell: Int) }
        var events: [Event] = []
        for (index, cell) in cells.enumerated() where cell.succeeded {
            guard let effects = cell.effects else { continue }
            if effects.training?.restored != nil { events.append(.foreign(cell: index + 1)) }
            // (A `back` that lands on step 0 also syncs the network, clearing nothing.)
            if effects.stepsUndone == nil,
               effects.training?.historyCleared == true || (effects.training != nil && effects.training?.step == 0) { events.append(.cleared) }
            if let steps = effects.steps, steps.applied > 0 { events.append(.taken(steps.applied)) }
            if let undone = effects.stepsUndone, undone > 0 { events.append(.undone(undone, cell: index + 1)) }
        }
        /// The first `back` that finds too few of the script's own snapshots in a ring of
        /// `capacity`, and the cell whose state it would have to go back past (which no
        /// capacity cures).
        func shortfall(_ capacity: Int) -> (cell: Int, foreign: Int?)? {
            var held = 0
            var foreign: Int?
            for event in events {
                switch event {
                case .cleared: held = 0; foreign = nil
                case .foreign(let cell): held = 0; foreign = cell
                case .taken(let n): held = min(capacity, held + n)
                case .undone(let n, let cell):
                    if n > held { return (cell, foreign) }
                    held -= n
                }
            }
            return nil
        }
        guard events.contains(where: { if case .undone = $0 { true } else { false } }) else { return 0 }
        let total = events.reduce(0) { if case .taken(let n) = $1 { $0 + n } else { $0 } }
        if let (cell, foreign) = shortfall(max(1, total)), let foreign {
            throw ExportRefusal(cell: cell, reason: "its `back` goes back past cell \(foreign) (\(cells[foreign - 1].source)), whose state the script takes over as Descent left it and cannot undo")
        }
        var low = 1, high = max(1, total)
        while low < high {
            let mid = (low + high) / 2
            if shortfall(mid) == nil { high = mid } else { low = mid + 1 }
        }
        return low
    }

    // MARK: - One cell

    func cellCode(_ cell: Cell, context: inout PythonExpression,
                  checkpoints: (array: String, buffers: [String])? = nil) throws(PythonExpression.Unsupported) -> [String] {
        guard let command = (try? Parser.parse(cell.source)) ?? nil else { return [] }
        let effects = cell.effects ?? CellEffects()
        if effects.steps?.ordersDropped == true {
            throw PythonExpression.Unsupported(reason: "its shuffled batches are too many to write into a script")
        }
        var code: [String] = []
        switch command {
        case .run:
            // The script's cells are this one cell: the export takes over what they left (data,
            // settings, the network's weights), not the steps that led there.
            code.append("# the script's steps are not redone: the state below (weights, optimizer, loss curves) is the one it left")
        case .letBinding(let name, let value):
            code += try letCode(name.value, value, effects: effects, context: &context)
        case .expect(let expectation):
            code.append(try checkCode(expectation, source: cell.source, context: context))
        case .show, .predict, .explain, .plot:
            code += try viewCode(command, cell: cell, effects: effects, context: context)
        default:
            break
        }
        code += stateCode(effects, checkpoints: checkpoints)
        if case .train(.until(let goal, _)) = command, let steps = effects.steps, steps.goalReached {
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

    /// What `show`, `predict`, `explain` and `plot` printed, recomputed (and where Descent's
    /// numbers are in the cell, compared).
    func viewCode(_ command: Command, cell: Cell, effects: CellEffects, context: PythonExpression) throws(PythonExpression.Unsupported) -> [String] {
        var code: [String] = []
        switch command {
        case .show(.value(let expression, _)):
            if PythonExpression.drawsRandomNumbers(expression) {
                throw PythonExpression.Unsupported(reason: "it draws random numbers outside a `let`")
            }
            let text = expression.sourceText
            let python = try context.recording.translate(expression).code
            if let shown = effects.shown {
                code.append("SEEN[0] = 0.0")
                code.append("show(\(PythonLiteral.string(text)), \(python), \(literal(shown)))")
            }
        case .predict(let rows):
            if PythonExpression.drawsRandomNumbers(rows) {
                throw PythonExpression.Unsupported(reason: "it draws random numbers outside a `let`")
            }
            if let shown = effects.shown {
                code.append("show(\"ŷ\", S.predict(\(try context.translate(rows).code)), \(literal(shown)))")
            }
        case .show(.weights): code.append("S.print_weights()")
        case .show(.grads): code.append("S.print_grads()")
        case .show(.norms), .plot(.norms): code.append("S.print_norms()")
        case .show(.activations): code.append("S.print_activations()")
        case .show(.loss), .plot(.loss): code.append("S.print_losses()")
        case .show(.optimizer): code.append("S.print_optimizer()")
        case .explain:
            for case .explanation(let explanation) in cell.output?.blocks ?? [] {
                guard let chain = explanation.chain else { continue }
                let norms = [(chain.outputLayer, chain.outputDeltaNorm)] + chain.links.map { ($0.layer, $0.deltaNorm) }
                code.append("S.explain({" + norms.map { "\($0.0): \(PythonLiteral.number($0.1))" }.joined(separator: ", ") + "})")
            }
        case .plot(.boundary):
            code += mapCode(cell.output, layer: nil)
        case .plot(.neurons(let layer)):
            code += mapCode(cell.output, layer: layer.value)
        default:
            break
        }
        return code
    }

    /// `let`: computed by PyTorch and compared with Descent's value, or (when it draws random
    /// numbers) Descent's value written in.
    func letCode(_ name: String, _ value: Expr, effects: CellEffects, context: inout PythonExpression) throws(PythonExpression.Unsupported) -> [String] {
        guard let descent = effects.variablesSet[name] else { return [] }
        let key = PythonLiteral.string(name)
        var code: [String]
        if PythonExpression.drawsRandomNumbers(value) {
            code = ["V[\(key)] = \(literal(descent.matrix, flat: descent.isFlat))  # drawn by Descent"]
        } else {
            code = ["SEEN[0] = 0.0",
                    "V[\(key)] = \(try context.recording.translate(value).code)",
                    "S.compare(\(PythonLiteral.string("let " + name)), V[\(key)], \(literal(descent.matrix)), floor=NOISE * SEEN[0])"]
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
    func stateCode(_ effects: CellEffects, checkpoints: (array: String, buffers: [String])?) -> [String] {
        var code: [String] = []
        if effects.data != nil || effects.testData != nil {
            code.append(dataCode(effects))
        }
        if let config = effects.config { code.append(Self.configCode(config)) }
        if let sync = effects.training { code += syncCode(sync) }
        if effects.testLossesCleared { code.append("S.testlosses_ = []") }
        if let steps = effects.steps {
            var call = "S.steps(\(steps.applied)"
            if !steps.orders.isEmpty {
                call += ", orders=[" + steps.orders.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
            }
            if steps.endedNonFinite { call += ", ends_nonfinite=True" }
            if let checkpoints {
                let buffers = checkpoints.buffers.map(PythonLiteral.string).joined(separator: ", ")
                call += ", checkpoints=S.rows(DATA[\(PythonLiteral.string(checkpoints.array))], [\(buffers)])"
            }
            code.append(call + ")")
        }
        return code
    }

    func dataCode(_ effects: CellEffects) -> String {
        // The data effect carries the training rows when they changed; the test rows may
        // change alone (`split`), and then the training rows are those already set.
        let train = effects.data.map { "\(literal($0.x)), \(literal($0.y))" } ?? "S.X, S.y"
        guard let test = effects.testData else { return "S.data(\(train))" }
        guard let test else { return "S.data(\(train), None, None, test_changed=True)" }
        return "S.data(\(train), \(literal(test.x)), \(literal(test.y)), test_changed=True)"
    }

    func syncCode(_ sync: TrainingSync) -> [String] {
        guard let network = sync.network else { return ["S.sync([], 0, 0, 0, restart=True, clear=True)"] }
        var code = ["S.sync(["]
        for layer in network.layers {
            var args = [literal(layer.weights), layer.hasBias ? literal(layer.bias) : "None"]
            switch layer.activation {
            case .linear: args.append("\"linear\"")
            case .sigmoid: args.append("\"sigmoid\"")
            case .tanh: args.append("\"tanh\"")
            case .relu: args.append("\"relu\"")
            case .leakyReLU(let slope): args.append("\"leakyrelu\""); args.append("slope=\(PythonLiteral.number(slope))")
            }
            if let bn = layer.batchNorm {
                args.append("batchnorm=(\(literal(bn.scale)), \(literal(bn.shift)), \(literal(bn.runningMean)), \(literal(bn.runningVariance)))")
            }
            if layer.isResidual { args.append("residual=True") }
            code.append("    Layer(" + args.joined(separator: ", ") + "),")
        }
        code.append("], \(sync.step), \(sync.cursorPosition), \(sync.cursorEpoch), restart=\(sync.optimizerRestarted ? "True" : "False"), clear=\(sync.historyCleared ? "True" : "False"))")
        if let restored = sync.restored {
            let (row, buffers) = TorchCheckpoints.restoreRow(restored.state)
            code.append("S.restore(\(literal(Matrix(row: restored.losses), flat: true)), \(literal(Matrix(row: restored.testLosses), flat: true)), "
                        + "S.rows(\(literal(Matrix(row: row))), [\(buffers.map(PythonLiteral.string).joined(separator: ", "))]))")
        }
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
            code.append("S.compare(\"W\(l)\", S.W(\(l)), \(literal(layer.weights)))")
            if layer.hasBias { code.append("S.compare(\"b\(l)\", S.b(\(l)), \(literal(layer.bias)))") }
            if let bn = layer.batchNorm {
                code.append("S.compare(\"scale\(l)\", S.scale(\(l)), \(literal(bn.scale)))")
                code.append("S.compare(\"shift\(l)\", S.shift(\(l)), \(literal(bn.shift)))")
                code.append("S.compare(\"runmean\(l)\", S.runmean(\(l)), \(literal(bn.runningMean)))")
                code.append("S.compare(\"runvar\(l)\", S.runvar(\(l)), \(literal(bn.runningVariance)))")
            }
        }
        return code
    }

    /// A matrix Descent computed: written out in full up to `inlineLimit` entries, else kept
    /// in the data file beside the script.
    func literal(_ matrix: Matrix, flat: Bool = false) -> String {
        if matrix.count > TorchExporter.inlineLimit, let store = largeArrays {
            let name = "m\(store.arrays.count + 1)"
            store.arrays.append((name, matrix))
            return "DATA[\(PythonLiteral.string(name))]" + (flat ? ".reshape(-1)" : "")
        }
        if flat { return "v([" + matrix.storage.map(PythonLiteral.number).joined(separator: ", ") + "])" }
        return PythonLiteral.matrix(matrix.rows, matrix.cols, matrix.storage)
    }

    static let inlineLimit = 400

    /// Matrices too large to write inline, in the order the script names them.
    final class ArrayStore {
        var arrays: [(String, Matrix)] = []
    }

    /// `plot boundary` and `plot neurons L`: the net over Descent's grid, compared cell by cell.
    func mapCode(_ output: Output?, layer: Int?) -> [String] {
        func grid(_ g: PlaneGrid) -> String {
            [g.x.lowerBound, g.x.upperBound, g.y.lowerBound, g.y.upperBound].map(PythonLiteral.number).joined(separator: ", ")
                + ", \(g.columns), \(g.rows)"
        }
        func values(_ g: PlaneGrid) -> String { literal(Matrix(rows: g.rows, cols: g.columns, storage: g.values)) }
        for block in output?.blocks ?? [] {
            guard case .chart(let chart) = block else { continue }
            switch chart {
            case .boundary(let map):
                return ["S.boundary(\(grid(map.grid)), \(values(map.grid)))"]
            case .neurons(let maps):
                guard let first = maps.units.first, let layer else { return [] }
                return ["S.neurons(\(layer), \(grid(first)), [" + maps.units.map(values).joined(separator: ", ") + "])"]
            default:
                continue
            }
        }
        return []
    }

    /// Why a cell has no PyTorch code.
    static func why(_ command: Command) -> String {
        switch command {
        case .precision, .threads, .limitMemory, .limitHistory, .showLimits, .help, .history, .save, .export:
            return "a setting of Descent itself; nothing to redo"
        case .show, .plot, .explain, .watch, .predict, .gradcheck:
            return "a picture or table Descent draws from the values above; not redrawn here"
        default:
            return "nothing changed that PyTorch keeps"
        }
    }
}
