import DescentCore
import DescentLanguage

/// What the steps of one cell drew and met, collected as they run (Workbench.stepLog) and
/// moved into the cell's effects when it ends.
struct StepLog: Sendable {
    /// The row orders of the shuffled passes begun in this cell, in the order drawn (a
    /// refused step's too: the next step draws it again).
    var orders: [[Int]] = []
    /// Rows of `orders` in all; past `limit` the orders are dropped and `overflowed` set (an
    /// export would be the size of the run).
    var recordedRows = 0
    var overflowed = false
    /// A step was refused because its loss or gradient was not finite.
    var endedNonFinite = false
    /// `train until`'s condition held and ended the run.
    var goalReached = false
    static let limit = 5_000_000
    mutating func record(order: [Int]) {
        recordedRows += order.count
        if recordedRows > StepLog.limit { overflowed = true; orders = []; return }
        if !overflowed { orders.append(order) }
    }
}

/// What a successful cell changed in the workbench, in values an exporter can replay without
/// Descent: the data, variables, the network and optimizer when a command (not a step) set
/// them, the settings, the steps taken and the shuffles they used, and what `show` printed.
/// Recorded by `Session.perform` from the workbench before and after the cell; formats for no
/// medium (the PyTorch exporter in DescentNotebook reads it).
public struct CellEffects: Equatable, Sendable {
    /// The training and test rows (as steps see them: split and scaled), when they changed.
    public var data: Dataset?
    public var testData: Dataset??
    /// Variables the cell bound or rebound, with their values, and the ones it removed.
    public var variablesSet: [String: Value] = [:]
    public var variablesRemoved: [String] = []
    /// The training state after a command other than a step or `back` changed it.
    public var training: TrainingSync?
    /// The settings after the cell, when they changed.
    public var config: TrainingConfig?
    /// The steps this cell took.
    public var steps: StepsTaken?
    /// Steps `back` undid.
    public var stepsUndone: Int?
    /// The value `show EXPR` printed.
    public var shown: Matrix?
    /// The test loss curve was emptied (`split`).
    public var testLossesCleared = false

    public init() {}

    public var isEmpty: Bool { self == CellEffects() }
}

/// The network as a command left it, and what else of the training state that command reset.
public struct TrainingSync: Equatable, Sendable {
    /// nil when the cell removed the network.
    public var network: Network?
    public var step: Int
    public var cursorPosition: Int
    public var cursorEpoch: Int
    /// The optimizer's state was emptied (a new net, `init`, `reset`, `optimizer`).
    public var optimizerRestarted: Bool
    /// The loss history was cleared.
    public var historyCleared: Bool
    /// After a cell whose steps are not its own to export (`run "file"` ran them, `lesson
    /// off` brought back another session's): everything the steps left, for the export to
    /// take over as it is. `back` cannot reach past such a cell in an export.
    public var restored: RestoredTraining?
}

/// The whole training state a cell left, with the loss curves that led there.
public struct RestoredTraining: Equatable, Sendable {
    public var state: TrainingState
    public var losses: [Double]
    public var testLosses: [Double]
}

/// The steps a cell applied, the shuffles they drew, and whether one more was attempted and
/// refused because its loss or gradient was not finite.
public struct StepsTaken: Equatable, Sendable {
    public var applied: Int
    public var orders: [[Int]]
    public var endedNonFinite: Bool
    /// `train until`'s condition held and ended the run.
    public var goalReached: Bool
    /// The shuffles were too many to keep (see StepLog.limit).
    public var ordersDropped: Bool
}

extension CellEffects {
    /// The difference `before` → `after` made by a cell that ran `command`.
    init(before: Workbench, after: Workbench, command: Command, shown: Matrix?) {
        if before.data != after.data { data = after.data }
        if before.testData != after.testData { testData = .some(after.testData) }
        for (name, value) in after.variables where before.variables[name] != value { variablesSet[name] = value }
        variablesRemoved = before.variables.keys.filter { after.variables[$0] == nil }.sorted()
        switch command {
        case .loss, .optimizer, .schedule, .clip, .l2: config = after.config  // said, even if unchanged
        default: if before.config != after.config { config = after.config }
        }
        self.shown = shown
        let stepping = CellEffects.isStepping(command)
        let stepsBefore = before.training?.step ?? before.stepsBeforeCommand, stepsAfter = after.training?.step ?? 0
        if stepping {
            steps = StepsTaken(applied: stepsAfter - stepsBefore, orders: after.stepLog.orders,
                               endedNonFinite: after.stepLog.endedNonFinite, goalReached: after.stepLog.goalReached,
                               ordersDropped: after.stepLog.overflowed)
        } else if case .back = command {
            stepsUndone = stepsBefore - stepsAfter
            if after.training?.optimizerState == OptimizerState() && before.training?.optimizerState != OptimizerState() {
                // `back` across an `optimizer` command: the current optimizer starts afresh.
                training = TrainingSync(after.training, historyCleared: false, restarted: true)
            }
        } else if before.training != after.training || before.losses != after.losses || before.testLosses != after.testLosses {
            let restarted = after.training?.optimizerState == OptimizerState()
                && (before.training?.optimizerState != OptimizerState() || before.config.optimizer != after.config.optimizer)
            training = TrainingSync(after.training, historyCleared: after.losses.isEmpty && !before.losses.isEmpty,
                                    restarted: restarted || before.training == nil)
            if CellEffects.bringsOtherSteps(command), let state = after.training {
                training?.restored = RestoredTraining(state: state, losses: after.losses.values, testLosses: after.testLosses.values)
            }
        }
        if !stepping, !CellEffects.isBack(command) {
            testLossesCleared = after.testLosses.isEmpty && !before.testLosses.isEmpty
        }
    }

    /// `step`, `epoch`, `train`: the commands that take steps, in place on the session.
    static func isStepping(_ command: Command) -> Bool {
        switch command {
        case .step, .epoch, .train: true
        default: false
        }
    }

    static func isBack(_ command: Command) -> Bool {
        if case .back = command { true } else { false }
    }

    /// Commands that bring a training state whose steps were not taken by cells of this
    /// session: a script's (`run`), a lesson's or the learner's own one given back.
    static func bringsOtherSteps(_ command: Command) -> Bool {
        switch command {
        case .run, .lesson, .lessonIn, .lessonOff, .lessonOffKeepingState: true
        default: false
        }
    }

    static func startsLesson(_ command: Command) -> Bool {
        switch command {
        case .lesson, .lessonIn: true
        default: false
        }
    }
}

extension TrainingSync {
    init(_ state: TrainingState?, historyCleared: Bool, restarted: Bool) {
        network = state?.network
        step = state?.step ?? 0
        cursorPosition = state?.cursor.position ?? 0
        cursorEpoch = state?.cursor.epoch ?? 0
        optimizerRestarted = restarted
        self.historyCleared = historyCleared
    }
}
