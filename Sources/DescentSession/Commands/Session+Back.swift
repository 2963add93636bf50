import DescentCore
import DescentLanguage

/// `back` and `reset`: returning to an earlier step. The snapshots themselves are kept by
/// `StepSnapshots` (State/), which restores a step bit for bit.
extension Session {
    mutating func runBack(_ n: Int, into output: inout Output) throws(Diagnostic) {
        guard let state = bench.training else {
            throw Diagnostic("there is no network, so nothing to go back on", suggestion: "build one with 'net …'")
        }
        guard state.step > 0 else {
            throw Diagnostic("already at step 0; there is nothing to undo")
        }
        let kept = bench.snapshots.count
        let moreHistory = StepSnapshots.largerBudgetHint(than: bench.snapshots.budget, memoryLimit: limits.memoryBytes)
        if bench.snapshots.lostHistory(at: state.step) {
            let steps = bench.snapshots.capacity(parameters: StepSnapshots.copiedValues(of: state.network))
            throw Diagnostic("no steps are kept to go back to: the run stopped early, and for a net this size history keeps only a run's last \(counted(steps, "step")) (limit history \(Limits.bytes(bench.snapshots.budget)))",
                             suggestion: "'reset' returns to step 0" + moreHistory)
        }
        guard kept > 0 else {
            throw Diagnostic("no steps are kept to go back to (history keeps the last \(StepSnapshots.maxSteps) steps and at most \(Limits.bytes(bench.snapshots.budget)))",
                             suggestion: "'reset' returns to step 0")
        }
        guard n <= kept else {
            throw Diagnostic("only \(counted(kept, "step")) \(kept == 1 ? "is" : "are") kept to go back (asked for \(n))",
                             suggestion: kept == state.step ? "'back \(kept)' or 'reset'"
                                : kept < StepSnapshots.maxSteps ? "'back \(kept)', or 'reset' for step 0" + moreHistory
                                : "'back \(kept)', or 'reset' for step 0")
        }
        let sameOptimizer = bench.goBack(n)
        output.append(.note("back \(counted(n, "step")): now at step \(bench.training?.step ?? 0)"))
        if !sameOptimizer {
            output.append(.note("those steps were taken with another optimizer than \(bench.config.optimizerDescription); its state (velocity, moments) starts afresh"))
        }
    }

    mutating func runReset(into output: inout Output) throws(Diagnostic) {
        guard let initial = bench.initialTraining else {
            throw Diagnostic("there is no network to reset", suggestion: "build one with 'net …'")
        }
        bench.training = initial.state
        bench.clearStepRecords()
        output.append(.note("reset: the weights are as they were at step 0; history cleared"))
    }
}

extension Workbench {
    /// One step: a snapshot for `back`, the step itself, its loss and norms recorded. A
    /// non-finite step is not applied and leaves no snapshot (its gradients stay visible).
    /// Without `keepingHistory` (a step of a long run that the ring would drop before the run
    /// ends) it takes no snapshot, its update overwrites the optimizer's buffers, and once it
    /// is applied `back` has nothing left to go back to. Needs a network (`requireTrainable`).
    mutating func takeStep(on data: Dataset, keepingHistory: Bool = true) -> StepReport {
        // `back` gets a flat copy of the weights, counter and cursor, and keeps the optimizer's
        // buffers themselves: the step writes its new ones into the buffers of the snapshot
        // the ring drops (`spare`), so neither is copied and nothing is allocated.
        let startsShuffledPass = config.shuffle && training!.cursor.position == 0
            && !training!.cursor.takesWholeData(rows: data.rows, batch: config.batch)
        let spare = keepingHistory ? snapshots.push(training!, optimizer: config.optimizer) : nil
        // The test loss at the weights the step's batch loss is measured at (before it), without
        // the L2 term: it measures prediction, as loss(Xtest, ytest) does.
        let testLoss = testData.map { training!.loss(on: $0, config: config, includingL2: false) }
        let report = training!.step(on: data, config: config, workspace: &workspace, spare: spare, inPlace: !keepingHistory)
        if report.nonFinite != nil {
            if keepingHistory { snapshots.dropLast() }
            // The gradients shown now are the refused step's, which `explain` cannot pair
            // with the last applied step.
            explainableStep = nil
            if startsShuffledPass {
                // The refused step drew its pass's order (the cursor is back before the draw,
                // so the next step draws the same one again): an export needs it to redo the step.
                var probe = training!.cursor
                _ = probe.next(rows: data.rows, batch: config.batch, shuffle: true)
                stepLog.record(order: probe.order)
            }
            return report
        }
        if keepingHistory {
            snapshots.keptStepApplied()
            explainableStep = report.step
        } else {
            // The snapshots before this step no longer lead to it.
            snapshots.forgetSteps(through: report.step)
            explainableStep = nil
        }
        if startsShuffledPass { stepLog.record(order: training!.cursor.order) }
        losses.append(step: report.step, value: report.batchLoss)
        if let testLoss { testLosses.append(step: report.step, value: testLoss) }
        norms.append(step: report.step, values: workspace.layerNorms)
        return report
    }

    /// Undoes the last `n` steps (at most `snapshots.count`): weights, optimizer state,
    /// counter and cursor as they were, and the loss and norm series cut back to match.
    /// Returns false when the restored state belongs to another optimizer than the current
    /// one (an `optimizer` command came since): then the current optimizer starts afresh.
    @discardableResult
    mutating func goBack(_ n: Int) -> Bool {
        let optimizer = snapshots.pop(n, into: &training!)
        if let rows = data?.rows { training!.cursor.fit(rows: rows) }
        let sameOptimizer = optimizer == config.optimizer
        if !sameOptimizer { training!.optimizerState = OptimizerState() }
        explainableStep = nil
        let step = training!.step
        losses.truncate(toStep: step)
        testLosses.truncate(toStep: step)
        norms.truncate(toStep: step)
        return sameOptimizer
    }
}
