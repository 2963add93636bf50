// The sentences for DescentCore's LossMismatch and TrainingMismatch: what a step cannot run
// on, said in the command language's words ('-> k sigmoid', 'loss bce').
import DescentCore

extension LossMismatch {
    public var message: String {
        switch self {
        case .outputCount(let loss, let k, let columns):
            "loss \(loss.rawValue) compares the net's \(counted(k, "output")) with y's \(counted(columns, "column")); they must be equal"
        case .needsSigmoidOutput(let k, let actual):
            "loss bce needs a sigmoid output layer (end the net with '-> \(k) sigmoid'); this one is \(actual.name)"
        case .targetOutsideZeroOne(let bad):
            "loss bce needs targets between 0 and 1; y holds \(NumberFormat.short(bad))"
        case .needsLinearOutput(let k, let actual):
            "loss ce applies the softmax itself: the last layer must be linear, not \(actual.name) (write '-> \(Swift.max(k, 2))'" + (k < 2 ? ", one output per class)" : ")")
        case .tooFewClasses:
            "loss ce needs at least 2 outputs (one per class); this net has 1 (use loss bce for two classes with one output)"
        case .badClassIndex(let k, let bad):
            "loss ce needs class indices 0…\(k - 1) in y (the net has \(k) outputs); y holds \(NumberFormat.short(bad))"
        case .targetColumns(let k, let columns):
            "loss ce needs y as class indices (one column) or one-hot rows (\(k) columns); y has \(columns) columns"
        }
    }
}

extension TrainingMismatch {
    public var message: String {
        switch self {
        case .inputCount(let inputs, let columns):
            "the net takes \(counted(inputs, "input")) but X has \(counted(columns, "column"))"
        case .noRows:
            "the data set has no rows"
        case .loss(let mismatch):
            mismatch.message
        }
    }
}

extension LossKind {
    /// What this loss needs of the network and the targets, in words, or nil when all is well.
    public func incompatibility(outputs k: Int, lastActivation: Activation, targets: Matrix) -> String? {
        mismatch(outputs: k, lastActivation: lastActivation, targets: targets)?.message
    }
}

extension TrainingState {
    /// Why a step cannot run on this data with this config, in words, or nil.
    public func incompatibility(with data: Dataset, config: TrainingConfig) -> String? {
        mismatch(with: data, config: config)?.message
    }
}
