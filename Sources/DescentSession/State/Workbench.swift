import DescentCore
import DescentLanguage

/// The numerics of a session: values, data, the network and how it trains, and what the
/// steps so far leave behind (snapshots for `back`, the loss and norm series).
public struct Workbench: Sendable {
    public internal(set) var variables: [String: Value] = [:]
    public internal(set) var seed: UInt64 = 0
    var random = RandomSource(seed: 0)
    /// The data set as the `data` command gave it: every row, unscaled.
    public internal(set) var source: Dataset?
    /// The held-out rows (`split test=F`), and the per-column scaling (`scale`).
    public internal(set) var split: TestSplit?
    public internal(set) var scaling = FeatureScaling.off
    /// What steps train on: the training rows, scaled (X and y in expressions).
    public internal(set) var data: Dataset?
    /// The test rows, scaled with the training rows' statistics (Xtest and ytest).
    public internal(set) var testData: Dataset?
    /// What the data set is, for `show config`: "X, y", "circles n=200 noise=0.1".
    public internal(set) var dataDescription = ""
    public internal(set) var training: TrainingState?
    /// The state at step 0, which `reset` returns to.
    var initialTraining: InitialState?
    public internal(set) var initializer: Initializer = .standard
    public internal(set) var config = TrainingConfig()
    var workspace = StepWorkspace()
    /// The state before each recent step, for `back` and `explain`.
    var snapshots = StepSnapshots()
    /// The batch loss of every step taken (the last million), in order.
    public internal(set) var losses = StepSeries()
    /// The test set's loss after every step, while there is a test set (for `show loss`).
    public internal(set) var testLosses = StepSeries()
    /// Per-layer ‖dW‖ of recent steps (for `plot norms`), the oldest first.
    public internal(set) var norms = StepSeries()
    /// The step `explain` can show (its starting state is the newest snapshot); nil when the
    /// weights changed otherwise since.
    var explainableStep: Int?
    /// What the steps of the current cell drew and met, for the PyTorch export (CellEffects).
    var stepLog = StepLog()
    /// In a copy made by `withoutStepRecords`, the step counter the training state had.
    var stepsBeforeCommand = 0

    /// Starts a cell that runs `command`: a fresh step log, and returns what the cell's
    /// effects (CellEffects) will compare with. For a stepping command that is the workbench
    /// without its step records: its record needs only the step counter, and keeping the
    /// whole training state would make the first step copy the weights, the optimizer's
    /// buffers, the snapshot ring and the series (copy-on-write; 25 MB a `step` on W3). So for
    /// `rerun`, whose cell is recorded by the rerun itself.
    mutating func startCell(running command: Command) -> Workbench {
        stepLog = StepLog()
        if case .rerun = command { return withoutStepRecords() }
        return CellEffects.isStepping(command) ? withoutStepRecords() : self
    }

    /// This workbench without what steps change in place (the training state, snapshots,
    /// series, scratch buffers), keeping its step counter: what a stepping cell's effects
    /// compare with, without sharing (and so copying) those buffers while the steps run.
    func withoutStepRecords() -> Workbench {
        var copy = self
        copy.stepsBeforeCommand = training?.step ?? 0
        copy.training = nil
        copy.snapshots = StepSnapshots()
        copy.losses = StepSeries()
        copy.testLosses = StepSeries()
        copy.norms = StepSeries()
        copy.workspace = StepWorkspace()
        return copy
    }

    /// The network and data a step needs, checked against each other and the loss.
    func requireTrainable(at range: SourceRange?, for what: String) throws(Diagnostic) -> (TrainingState, Dataset) {
        try Workbench.requireTrainable(training, data, config, at: range, for: what)
    }

    static func requireTrainable(_ training: TrainingState?, _ data: Dataset?, _ config: TrainingConfig,
                                 at range: SourceRange?, for what: String) throws(Diagnostic) -> (TrainingState, Dataset) {
        guard let training else {
            throw Diagnostic("\(what) needs a network, and there is none yet", at: range, suggestion: "build one, e.g. 'net 1 -> 1'")
        }
        guard let data else {
            throw Diagnostic("\(what) needs data, and there is none yet", at: range, suggestion: "choose it, e.g. 'data X, y' or 'data xor'")
        }
        if let problem = training.incompatibility(with: data, config: config) {
            let hint = data.x.cols != training.network.inputs
                ? "rebuild the net for this data, e.g. 'net \(data.x.cols) -> …', or choose other data" : nil
            throw Diagnostic(problem, at: range, suggestion: hint)
        }
        // Batch norm cannot normalise one row (its variance is 0); PyTorch refuses it too.
        if ["step", "epoch", "train"].contains(what), training.network.layers.contains(where: { $0.batchNorm != nil }) {
            var smallest = data.rows
            if case .rows(let size) = config.batch, size < data.rows {
                smallest = data.rows % size == 0 ? size : min(size, data.rows % size)
            }
            if smallest == 1 {
                // A size near a quarter of the rows whose last batch is not a single row.
                let working = (2...max(2, data.rows)).min { a, b in
                    let (ok1, ok2) = (data.rows % a != 1, data.rows % b != 1)
                    return ok1 != ok2 ? ok1 : abs(a - data.rows / 4) < abs(b - data.rows / 4)
                } ?? 2
                throw Diagnostic("batch norm needs more than one row in every batch (a variance over one row is 0), and the last batch of each pass over \(counted(data.rows, "row")) has 1",
                                 at: range, suggestion: data.rows == 1 ? "use more data" : "choose another batch size, e.g. 'optimizer … batch=\(working)'")
            }
        }
        return (training, data)
    }

    func requireNetwork(for what: String) throws(Diagnostic) -> TrainingState {
        guard let training else {
            throw Diagnostic("\(what) needs a network, and there is none yet", suggestion: "build one, e.g. 'net 2 -> 8 tanh -> 1'")
        }
        return training
    }

    func requireGradients(for what: String) throws(Diagnostic) -> (TrainingState, Gradients) {
        let state = try requireNetwork(for: what)
        guard let gradients = state.gradients else {
            if state.step > 0 { throw Workbench.gradientsUndone("\(what): gradients are", at: nil) }
            throw Diagnostic("\(what): gradients are computed by a step, and none has been taken yet", suggestion: "type 'step'")
        }
        return (state, gradients)
    }

    /// Gradients belong to the step that made them; `back` past it leaves none to show.
    /// `subject` is "dW1 is" or "show grads: gradients are".
    static func gradientsUndone(_ subject: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic("\(subject) computed by a step, and 'back' went back past the last one", at: range, suggestion: "type 'step'")
    }

    /// Derives the training and test rows from the source, the split and the scaling (fitted
    /// on the training rows only).
    mutating func rebuildData() {
        guard let source else { (data, testData) = (nil, nil); return }
        var (training, test): (Dataset, Dataset?) = (source, nil)
        if let split { (training, test) = split.apply(to: source) }
        if scaling != .off {
            let scaler = ColumnScaler(scaling, fittedOn: training.x)
            training.x = scaler.apply(training.x)
            if test != nil { test!.x = scaler.apply(test!.x) }
        }
        (data, testData) = (training, test)
    }

    /// Forgets every step: no snapshots, no loss or norm series, nothing to explain.
    mutating func clearStepRecords() {
        explainableStep = nil
        snapshots.removeAll()
        losses = StepSeries()
        testLosses = StepSeries()
        norms = StepSeries()
    }
}

extension Network {
    /// Refuses a layer number outside 1…depth, naming it as typed (`W7`, `explain dW7`).
    func checkLayer(_ layer: Int, named name: String, at range: SourceRange?) throws(Diagnostic) {
        guard layer >= 1 && layer <= depth else {
            throw Diagnostic("\(name): the net has \(counted(depth, "layer")), so layers are numbered 1…\(depth)", at: range)
        }
    }

    /// "the net takes 2 inputs but X has 3 columns"
    func inputMismatch(columns: Int) -> String {
        "the net takes \(counted(inputs, "input")) but X has \(counted(columns, "column"))"
    }

    /// "the net takes 2 inputs per row, got 1×3"
    func rowMismatch(_ rows: Matrix) -> String {
        "the net takes \(counted(inputs, "input")) per row, got \(rows.shapeDescription)"
    }
}

extension ParameterName {
    /// The gradient's slot (for a gradient name) or the parameter's (for W, b, scale, shift).
    var slot: ParameterSlot {
        let l = layer - 1
        switch kind {
        case .weights, .weightGradient: return ParameterSlot(layer: l, kind: .weights)
        case .bias, .biasGradient: return ParameterSlot(layer: l, kind: .bias)
        case .scale, .scaleGradient, .runningMean: return ParameterSlot(layer: l, kind: .scale)
        case .shift, .shiftGradient, .runningVariance: return ParameterSlot(layer: l, kind: .shift)
        }
    }
}

extension Layer {
    /// The parameter or statistic a name reads (`W2`, `b2`, `scale2`, `runvar2`, …); the
    /// layer must have what it names (batch norm for the last four).
    subscript(name: ParameterName) -> Matrix {
        get {
            switch name.kind {
            case .weights, .weightGradient: weights
            case .bias, .biasGradient: bias
            case .scale, .scaleGradient: batchNorm!.scale
            case .shift, .shiftGradient: batchNorm!.shift
            case .runningMean: batchNorm!.runningMean
            case .runningVariance: batchNorm!.runningVariance
            }
        }
        set {
            switch name.kind {
            case .weights, .weightGradient: weights = newValue
            case .bias, .biasGradient: bias = newValue
            case .scale, .scaleGradient: batchNorm!.scale = newValue
            case .shift, .shiftGradient: batchNorm!.shift = newValue
            case .runningMean: batchNorm!.runningMean = newValue
            case .runningVariance: batchNorm!.runningVariance = newValue
            }
        }
    }
}
