import DescentCore
import DescentLanguage
import DescentSession
import Foundation

/// `export "NAME.py"`: replays the session to collect its training states, then writes the
/// PyTorch script and, beside it, NAME_data.npz with those states.
enum TorchFiles {
    /// Bytes of checkpoints one cell may write; a longer run is checked every k-th step.
    static let cellBudget = 6 << 20
    /// At most this many checkpoints a cell (a long run of a small net is checked every k-th step).
    static let cellRows = 2000

    /// PyTorch's cost of one step of a small net in the script (its Python overhead, with the
    /// checks), measured on this project's machines: about 0.65 ms.
    static let pythonSecondsPerStep = 0.65e-3

    /// Writes the script and its data file; returns a rough time the script will take when
    /// it is long enough to matter.
    static func write(_ session: Session, to target: URL) throws(Diagnostic) -> String? {
        let cells = session.cells
        var checkpoints = TorchCheckpoints(cells: cells, budget: cellBudget, maxRows: cellRows)
        let started = Date()
        try session.replay { step in checkpoints.observe(step) }
        let replaySeconds = Date().timeIntervalSince(started)
        if let problem = checkpoints.problem { throw Diagnostic(problem.message + "; nothing was written") }
        let dataName = target.deletingPathExtension().lastPathComponent + "_data.npz"
        var exporter = TorchExporter(cells: cells, finalNetwork: session.training?.network)
        exporter.dataFileName = dataName
        let store = TorchExporter.ArrayStore()
        exporter.largeArrays = store
        var npz = NpzWriter()
        for (cell, table) in checkpoints.tables.sorted(by: { $0.key < $1.key }) {
            let name = "c\(cell + 1)"
            npz.add(name, rows: table.rows.count, cols: table.width, values: table.rows.flatMap { $0 })
            exporter.checkpoints[cell] = (name, table.buffers)
        }
        let script: String
        do throws(ExportRefusal) {
            script = try exporter.script()
        } catch {
            throw Diagnostic(error.message + "; nothing was written")
        }
        for (name, matrix) in store.arrays { npz.add(name, rows: matrix.rows, cols: matrix.cols, values: matrix.storage) }
        if !npz.isEmpty {
            try AtomicFile.write(npz.data(), to: target.deletingLastPathComponent().appendingPathComponent(dataName))
        }
        try AtomicFile.write(Data(script.utf8), to: target)
        var remarks: [String] = []
        if !npz.isEmpty { remarks.append("its data is in \(dataName), which must stay beside it") }
        let steps = cells.reduce(0) { $0 + ($1.succeeded ? $1.effects?.steps?.applied ?? 0 : 0) }
        // The replay stepped twice (the run and its twin); PyTorch's arithmetic costs about
        // what Descent's does, and its Python around it a fixed amount a step.
        let estimate = Double(steps) * pythonSecondsPerStep + replaySeconds / 2
        if estimate >= 20 {
            let time = estimate < 90 ? "\(Int((estimate / 10).rounded()) * 10) s" : "\(Int((estimate / 60).rounded())) min"
            remarks.append("it redoes \(counted(steps, "step")), roughly \(time) of PyTorch on one thread")
        }
        return remarks.isEmpty ? nil : remarks.joined(separator: "; ")
    }
}

/// The training states a replay passes through, as rows of numbers per stepping cell:
/// step, the optimizer's update count, the cursor (position, epoch), then every parameter
/// (per layer W, b, scale, shift, as the script's `Session.parameters()` orders them), batch
/// norm's running statistics, and the optimizer's buffers in the same order. Every step of a
/// cell is kept when `budget` bytes hold them, else every k-th and the last.
struct TorchCheckpoints {
    struct Table {
        var every: Int
        var buffers: [String]
        var width: Int
        var rows: [[Double]] = []
    }

    let cells: [Cell]
    let budget: Int
    let maxRows: Int
    var tables: [Int: Table] = [:]
    var problem: ExportRefusal?

    init(cells: [Cell], budget: Int, maxRows: Int) {
        self.cells = cells
        self.budget = budget
        self.maxRows = maxRows
    }

    /// A twin of the run started at the last checkpoint with its weights a few roundings
    /// off (×(1 + 2⁻⁵⁰)), stepped alongside: how far it has drifted at the next checkpoint is
    /// how far two runs that differ only in rounding drift over that stretch. The script
    /// allows PyTorch a multiple of it (a chaotic stretch amplifies any rounding difference).
    var twin: TrainingState?
    var workspace = StepWorkspace()

    mutating func observe(_ replayed: ReplayedStep) {
        let cell = replayed.cell, step = replayed.stepInCell, state = replayed.state
        guard problem == nil, let applied = cells[cell].effects?.steps?.applied else { return }
        if step == 1 { twin = nil }
        if twin != nil {
            _ = twin!.step(on: replayed.data, config: replayed.config, workspace: &workspace)
        }
        var (row, buffers) = Self.row(state)
        row.insert(Self.drift(of: twin, from: state), at: 4)
        if tables[cell] == nil {
            let byBytes = Int((Double(applied) * Double(row.count * 8) / Double(budget)).rounded(.up))
            let every = max(1, byBytes, (applied + maxRows - 1) / maxRows)
            tables[cell] = Table(every: every, buffers: buffers, width: row.count)
        }
        guard var table = tables[cell] else { return }
        guard step % table.every == 0 || step == applied || step == 1 else { return }
        guard row.count == table.width, buffers == table.buffers else {
            problem = ExportRefusal(cell: cell + 1, reason: "its optimizer's buffers change shape within the cell")
            return
        }
        table.rows.append(row)
        tables[cell] = table
        var perturbed = state
        for l in perturbed.network.layers.indices {
            perturbed.network.layers[l].weights = perturbed.network.layers[l].weights.map { $0 * (1 + 0x1p-50) }
            perturbed.network.layers[l].bias = perturbed.network.layers[l].bias.map { $0 * (1 + 0x1p-50) }
        }
        twin = perturbed
    }

    /// The twin's largest difference from the run in a weight or bias, relative to the
    /// largest of them.
    static func drift(of twin: TrainingState?, from state: TrainingState) -> Double {
        guard let twin else { return 0 }
        var largest = 0.0, difference = 0.0
        for (a, b) in zip(twin.network.layers, state.network.layers) {
            for (x, y) in zip(a.weights.storage + a.bias.storage, b.weights.storage + b.bias.storage) {
                largest = max(largest, abs(y))
                difference = max(difference, abs(x - y))
            }
        }
        guard difference.isFinite else { return .infinity }
        return largest > 0 ? difference / largest : 0
    }

    static func row(_ state: TrainingState) -> (row: [Double], buffers: [String]) {
        let layers = state.network.layers
        var row: [Double] = [Double(state.step), Double(state.optimizerState.updates),
                             Double(state.cursor.position), Double(state.cursor.epoch)]
        for layer in layers {
            row += layer.weights.storage
            if layer.hasBias { row += layer.bias.storage }
            if let bn = layer.batchNorm { row += bn.scale.storage + bn.shift.storage }
        }
        for layer in layers {
            if let bn = layer.batchNorm { row += bn.runningMean.storage + bn.runningVariance.storage }
        }
        var buffers: [String] = []
        let optimizer = state.optimizerState
        for (name, gradients) in [("velocity", optimizer.velocity), ("first", optimizer.firstMoment),
                                  ("second", optimizer.secondMoment), ("momentum", optimizer.momentumBuffer)] {
            guard let gradients else { continue }
            buffers.append(name)
            append(gradients, of: layers, to: &row)
        }
        return (row, buffers)
    }

    /// One value per parameter, in the order of the script's `Session.parameters()`.
    static func append(_ gradients: Gradients, of layers: [Layer], to row: inout [Double]) {
        for (l, layer) in layers.enumerated() {
            row += gradients.weights[l].storage
            if layer.hasBias { row += gradients.biases[l].storage }
            if layer.batchNorm != nil { row += gradients.scales[l].storage + gradients.shifts[l].storage }
        }
    }

    /// The whole state as one row of the script's `Session.rows` (no drift), with the last
    /// step's gradients as one more buffer, "grad", when there are any.
    static func restoreRow(_ state: TrainingState) -> (row: [Double], buffers: [String]) {
        var (row, buffers) = row(state)
        row.insert(0, at: 4)
        if let gradients = state.gradients {
            buffers.append("grad")
            append(gradients, of: state.network.layers, to: &row)
        }
        return (row, buffers)
    }
}
