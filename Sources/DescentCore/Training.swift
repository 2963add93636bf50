// Training: the data set, the state a step changes (TrainingState), the step itself and what
// it reports, and the scratch buffers it reuses.

/// Why training cannot run on a data set (the words for each case are DescentLanguage's
/// `message`).
public enum TrainingMismatch: Equatable, Sendable {
    /// X's column count is not the network's input width.
    case inputCount(networkInputs: Int, dataColumns: Int)
    /// The data set has no rows.
    case noRows
    /// The loss does not fit the network's output layer or the targets.
    case loss(LossMismatch)
}

/// The training set: X is m×n (one example per row), Y is m×k.
public struct Dataset: Equatable, Sendable {
    public var x: Matrix
    public var y: Matrix

    public init(x: Matrix, y: Matrix) {
        self.x = x
        self.y = y
    }

    public var rows: Int { x.rows }
}

/// A loss or gradient that became NaN or ±inf during a step. The step is not applied.
public struct NonFiniteEvent: Equatable, Sendable {
    public enum Origin: Equatable, Sendable {
        /// The forward pass overflowed at this layer (1-based) before the loss was computed.
        case activations(layer: Int)
        /// The loss is not finite although every activation was.
        case loss
        /// The first non-finite gradient in backprop order (from the output down), 1-based.
        case gradient(layer: Int, isBias: Bool)
    }

    /// The step that was attempted (1 for the first).
    public var step: Int
    public var loss: Double
    public var origin: Origin
}

/// What one step did, for the one-line summary.
public struct StepReport: Equatable, Sendable {
    public var step: Int
    /// The loss on this step's batch, at the weights before the update.
    public var batchLoss: Double
    /// ‖g‖ over all parameters, before clipping.
    public var gradientNorm: Double
    public var learningRate: Double
    public var clipped: Bool
    public var batchRows: Int
    public var nonFinite: NonFiniteEvent?
}

/// Scratch buffers one step writes into; reused from step to step so that the steady-state
/// loop does not allocate. Holds the last step's forward pass for inspection.
public struct StepWorkspace: Sendable {
    public var trace = ForwardTrace()
    var delta = Matrix(rows: 0, cols: 0)
    var scratch = Matrix(rows: 0, cols: 0)
    /// ∂loss/∂A of a residual layer, carried down its identity path.
    var carry = Matrix(rows: 0, cols: 0)
    var batchX = Matrix(rows: 0, cols: 0)
    var batchY = Matrix(rows: 0, cols: 0)
    var batchRows: [Int] = []
    /// ‖dWₗ‖ per layer of the last step, input layer first.
    public var layerNorms: [Double] = []

    public init() {}
}

/// Everything a step changes, and so everything `back` restores: weights, velocities, the
/// step counter, where the batches are, and the gradients of the last step.
public struct TrainingState: Equatable, Sendable {
    public var network: Network
    /// The optimizer's buffers between steps (see Optimizer.swift).
    public var optimizerState = OptimizerState()
    /// Momentum's v per parameter (kept in `optimizerState`); nil while it is zero (before
    /// the first step with momentum), so that plain gradient descent does not carry a
    /// parameter-sized buffer.
    public var velocity: Gradients? {
        get { optimizerState.velocity }
        set { optimizerState.velocity = newValue }
    }
    /// Steps taken so far (t).
    public var step = 0
    public var cursor: BatchCursor
    /// The raw gradients of the last step (L2 included, before clipping), at the weights the
    /// step started from; nil before the first step.
    public var gradients: Gradients?

    public init(network: Network, shuffleSeed: UInt64) {
        self.network = network
        cursor = BatchCursor(seed: shuffleSeed)
    }

    /// Why a step cannot run on this data with this config, or nil.
    public func mismatch(with data: Dataset, config: TrainingConfig) -> TrainingMismatch? {
        if data.x.cols != network.inputs { return .inputCount(networkInputs: network.inputs, dataColumns: data.x.cols) }
        if data.rows == 0 { return .noRows }
        return config.loss.mismatch(
            outputs: network.outputs, lastActivation: network.layers.last?.activation ?? .linear, targets: data.y
        ).map(TrainingMismatch.loss)
    }

    /// The article's L2 term λ/(2m) Σ‖W‖², m = number of weight entries; 0 when off.
    public func l2Penalty(_ config: TrainingConfig) -> Double {
        guard let lambda = config.l2, lambda != 0 else { return 0 }
        let squares = network.layers.reduce(0.0) { $0 + $1.weights.squaredNorm }
        return lambda / (2 * Double(network.weightCount)) * squares
    }

    /// The loss over `data` at the current weights, with batch norm's running statistics (eval
    /// mode) unless `training` (the batch's own, as a step sees it). The L2 term is included
    /// unless `includingL2` is false: it belongs to the objective being minimised, not to how
    /// well the net predicts held-out rows.
    public func loss(on data: Dataset, config: TrainingConfig, training: Bool = false, includingL2: Bool = true) -> Double {
        var trace = ForwardTrace()
        network.forward(data.x, trace: &trace, training: training)
        let last = network.layers.count - 1
        return config.loss.value(z: trace.preActivations[last], a: trace.activations[last], y: data.y)
            + (includingL2 ? l2Penalty(config) : 0)
    }

    /// Loss and raw gradients (L2 included) of a batch at the current weights, leaving the
    /// forward pass in `workspace.trace`.
    public func lossAndGradients(
        x: Matrix, y: Matrix, config: TrainingConfig, workspace: inout StepWorkspace, into gradients: inout Gradients
    ) -> Double {
        network.forward(x, trace: &workspace.trace, training: true)
        let last = network.layers.count - 1
        let z = workspace.trace.preActivations[last], a = workspace.trace.activations[last]
        let loss = config.loss.value(z: z, a: a, y: y) + l2Penalty(config)
        config.loss.gradient(z: z, a: a, y: y, activation: network.layers[last].activation, into: &workspace.delta)
        network.backward(trace: workspace.trace, delta: &workspace.delta, gradients: &gradients, scratch: &workspace.scratch,
                         carry: &workspace.carry)
        if let lambda = config.l2, lambda != 0 {
            let factor = lambda / Double(network.weightCount)
            for l in network.layers.indices { gradients.weights[l].add(network.layers[l].weights, scaledBy: factor) }
        }
        return loss
    }

    /// The rows the next step will take, without moving the cursor.
    public func nextBatch(rows m: Int, config: TrainingConfig) -> [Int] {
        var probe = cursor
        return probe.next(rows: m, batch: config.batch, shuffle: config.shuffle)
    }

    /// ∂loss/∂Z of the last layer for a batch, at the current weights (with its forward pass).
    public func outputDelta(x: Matrix, y: Matrix, config: TrainingConfig) -> (trace: ForwardTrace, delta: Matrix) {
        var trace = ForwardTrace()
        network.forward(x, trace: &trace, training: true)
        let last = network.layers.count - 1
        var delta = Matrix(rows: 0, cols: 0)
        config.loss.gradient(z: trace.preActivations[last], a: trace.activations[last], y: y,
                             activation: network.layers[last].activation, into: &delta)
        return (trace, delta)
    }

    /// One step of gradient descent: next batch; forward; loss; backward; clip; update; t += 1.
    /// A non-finite loss or gradient leaves the weights, velocities, cursor and counter as
    /// they were (only `gradients` shows what went wrong) and is reported in the result.
    /// The data and config must be compatible (see `mismatch`).
    /// `spare` is an optimizer state no longer needed, whose buffers the update may write into;
    /// `inPlace`: nothing keeps the optimizer's state from before the step, so the update may
    /// overwrite its buffers (see `OptimizerKind.update`).
    public mutating func step(on data: Dataset, config: TrainingConfig, workspace: inout StepWorkspace,
                              spare: consuming OptimizerState? = nil, inPlace: Bool = false) -> StepReport {
        let t = step
        let lr = config.learningRate(atStep: t)
        let batch = takeBatch(of: data, config: config, workspace: &workspace)
        var grads = gradients ?? Gradients(zerosLike: network)
        gradients = nil  // drop our reference so the buffers are written in place
        let loss = lossAndGradients(x: batch.x, y: batch.y, config: config, workspace: &workspace, into: &grads)
        let (squares, norm) = Self.measure(grads, layerNorms: &workspace.layerNorms)
        gradients = grads
        var report = StepReport(step: t + 1, batchLoss: loss, gradientNorm: norm, learningRate: lr,
                                clipped: false, batchRows: batch.rows, nonFinite: nil)

        if !(loss.isFinite && squares.isFinite), let origin = nonFiniteOrigin(loss: loss, trace: workspace.trace, gradients: grads) {
            if let cursorBefore = batch.cursorBefore { cursor = cursorBefore }
            report.nonFinite = NonFiniteEvent(step: t + 1, loss: loss, origin: origin)
            return report
        }
        report.clipped = clipAndUpdate(grads, norm: norm, learningRate: lr, config: config, spare: consume spare, inPlace: inPlace)
        network.updateRunningStatistics(from: workspace.trace)
        if batch.isWholeData { cursor.finishPass() }
        step = t + 1
        return report
    }

    /// The rows one step trains on.
    struct Batch {
        var x: Matrix
        var y: Matrix
        var rows: Int
        /// All rows in order: the cursor moves only once the step is applied.
        var isWholeData: Bool
        /// For a mini-batch, the cursor before it moved, to put back if the step is not applied.
        var cursorBefore: BatchCursor?
    }

    /// The next batch. A full batch is the data itself and leaves the cursor alone (the step
    /// moves it once applied); a mini-batch must move the cursor to know its rows, which it
    /// copies into the workspace's buffers.
    mutating func takeBatch(of data: Dataset, config: TrainingConfig, workspace: inout StepWorkspace) -> Batch {
        if cursor.takesWholeData(rows: data.rows, batch: config.batch) {
            return Batch(x: data.x, y: data.y, rows: data.rows, isWholeData: true, cursorBefore: nil)
        }
        let cursorBefore = cursor
        cursor.next(rows: data.rows, batch: config.batch, shuffle: config.shuffle, into: &workspace.batchRows)
        data.x.selectRows(workspace.batchRows, into: &workspace.batchX)
        data.y.selectRows(workspace.batchRows, into: &workspace.batchY)
        return Batch(x: workspace.batchX, y: workspace.batchY, rows: workspace.batchRows.count,
                     isWholeData: false, cursorBefore: cursorBefore)
    }

    /// One pass over the gradients: per-layer squared norms give the layer norms (into
    /// `layerNorms`), the global norm ‖g‖ and (when their sum is finite) proof that every
    /// entry is finite. Returns the sum of squares and ‖g‖.
    static func measure(_ grads: Gradients, layerNorms: inout [Double]) -> (squares: Double, norm: Double) {
        var squares = 0.0
        if layerNorms.count != grads.weights.count { layerNorms = Array(repeating: 0, count: grads.weights.count) }
        for l in grads.weights.indices {
            let w = grads.weights[l].squaredNorm
            layerNorms[l] = w.squareRoot()
            squares += w + grads.biases[l].squaredNorm
        }
        squares += grads.batchNormSquares
        let norm = squares.isFinite ? squares.squareRoot() : grads.globalNorm
        if !squares.isFinite { layerNorms = grads.weights.map(\.norm) }
        return (squares, norm)
    }

    /// The update: the raw gradient, scaled down when clipping applies, handed to the
    /// optimizer. Returns whether it was clipped.
    mutating func clipAndUpdate(_ grads: Gradients, norm: Double, learningRate lr: Double, config: TrainingConfig,
                                spare: consuming OptimizerState? = nil, inPlace: Bool = false) -> Bool {
        var scale = 1.0
        var clipped = false
        if let c = config.clipNorm, norm > c {
            scale = c / norm
            clipped = true
        }
        config.optimizer.update(&network, gradients: grads, scale: scale, learningRate: lr, state: &optimizerState, spare: consume spare, inPlace: inPlace)
        return clipped
    }

    /// Where a step first went non-finite: the forward pass (lowest layer first), the loss,
    /// then the gradients in the order backprop computes them (output layer first).
    func nonFiniteOrigin(loss: Double, trace: ForwardTrace, gradients: Gradients) -> NonFiniteEvent.Origin? {
        let gradientsFinite = gradients.weights.allSatisfy(\.allFinite) && gradients.biases.allSatisfy(\.allFinite)
            && gradients.scales.allSatisfy(\.allFinite) && gradients.shifts.allSatisfy(\.allFinite)
        if loss.isFinite && gradientsFinite { return nil }
        if let l = trace.activations.firstIndex(where: { !$0.allFinite }) { return .activations(layer: l + 1) }
        if !loss.isFinite { return .loss }
        for l in gradients.weights.indices.reversed() {
            if !gradients.biases[l].allFinite { return .gradient(layer: l + 1, isBias: true) }
            if !gradients.weights[l].allFinite { return .gradient(layer: l + 1, isBias: false) }
        }
        return .loss
    }
}
