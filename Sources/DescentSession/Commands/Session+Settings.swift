import DescentCore
import DescentLanguage

/// `precision`, `limit`, `threads`: how the session shows numbers and what it may use.
extension Session {
    mutating func runPrecision(_ digits: Int, into output: inout Output) {
        display.precision = digits
        output.append(.note("precision \(digits): numbers are shown with \(counted(digits, "significant digit"))"))
    }

    mutating func runLimitMemory(_ bytes: Int?, into output: inout Output) {
        if let bytes { limits.memoryBytes = bytes }
        output.append(.note(memoryLimitNote))
    }

    mutating func runLimitHistory(_ bytes: Int?, into output: inout Output) {
        if let bytes { bench.snapshots.setBudget(bytes) }
        output.append(.note(historyLimitNote))
    }

    func runShowLimits(into output: inout Output) {
        output.append(.note(memoryLimitNote))
        output.append(.note(historyLimitNote))
    }

    func runThreads(_ n: Int, into output: inout Output) throws(Diagnostic) {
        guard n <= 256 else { throw Diagnostic("threads goes up to 256, got \(n)") }
        BLASThreads.set(n)
        if BLASThreads.isAvailable {
            output.append(.note("threads \(n): matrix products may use \(counted(BLASThreads.count, "thread"))"))
        } else {
            output.append(.warning("threads \(n): OpenBLAS (libopenblas.so.0) could not be loaded, so matrix products use Descent's own loop on one thread; scripts/setup installs it"))
        }
    }

    var memoryLimitNote: String {
        "limit memory \(Limits.bytes(limits.memoryBytes)): larger matrices, data sets and networks are refused"
    }

    /// The history budget, and what it means for the current network.
    var historyLimitNote: String {
        let snapshots = bench.snapshots
        let budget = "limit history \(Limits.bytes(snapshots.budget)): back keeps the last \(StepSnapshots.maxSteps) steps or as many as fit"
        guard let network = bench.training?.network else { return budget }
        let steps = snapshots.capacity(parameters: StepSnapshots.copiedValues(of: network))
        return budget + " (\(counted(steps, "step")) of this net)"
    }
}
