import DescentCore
import Foundation
import DescentLanguage

/// `step`, `epoch`, `train`: runs of steps, and what they report.
extension Session {
    /// Why a run of steps ended.
    enum StopReason: Equatable {
        case done, goalReached, diverged(NonFiniteEvent), interrupted
        /// `train until`'s condition could not be evaluated after a step (it was before the first).
        case goalFailed(Diagnostic)
    }

    /// What a run of steps did: how many were applied, the last one's report, why it ended.
    struct Run {
        var taken = 0
        /// The batch loss before the run's first step, for the summary's "from → to".
        var firstBatchLoss: Double?
        var last: StepReport?
        var reason = StopReason.done
        /// Steps whose gradient clipping scaled down.
        var clipped = 0
    }

    /// Takes up to `limit` steps on `data` (checked by the caller with `requireTrainable`),
    /// stopping early when `goal` holds after a step, on a non-finite loss or gradient, when
    /// the goal cannot be evaluated, or when `shouldStop` says so. Never throws: the stepping
    /// commands run on the session itself, not on a copy (see `Session.run`).
    mutating func advance(
        limit: Int, on data: Dataset, goal: ((EvaluationScope) throws(Diagnostic) -> Bool)? = nil,
        into output: inout Output, shouldStop: () -> Bool
    ) -> Run {
        var run = Run()
        guard let depth = bench.training?.network.depth else { return run }
        var clock = ProgressClock(limit: limit, handler: environment.progressHandler)
        defer { clock.finish(taken: run.taken, loss: run.last?.batchLoss) }
        bench.losses.reserve(steps: limit, width: 1)
        bench.norms.reserve(steps: limit, width: depth)
        // On a big net, a step whose snapshot the ring would drop before the run ends takes
        // none, and its update overwrites the optimizer's buffers: less memory traffic, the
        // same numbers, and `back` keeps what it would have kept. A run that ends at a
        // condition keeps every step; one stopped by Ctrl-C takes one more that it keeps.
        let values = StepSnapshots.copiedValues(of: bench.training!.network)
        let capacity = bench.snapshots.capacity(parameters: values)
        let mayDropHistory = goal == nil && values >= StepSnapshots.largeSnapshot
        var lastKept = true
        while run.taken < limit {
            clock.tick(taken: run.taken, loss: run.last?.batchLoss)
            var stopping = false
            if run.taken > 0 && shouldStop() {
                run.reason = .interrupted
                guard !lastKept else { break }
                stopping = true
            }
            lastKept = stopping || !mayDropHistory || limit - run.taken <= capacity
            let report = bench.takeStep(on: data, keepingHistory: lastKept)
            if let event = report.nonFinite {
                bench.stepLog.endedNonFinite = true
                run.reason = .diverged(event)
                break
            }
            if run.taken == 0 { run.firstBatchLoss = report.batchLoss }
            run.taken += 1
            run.last = report
            environment.stepObserver?(bench.training!)
            if report.clipped { run.clipped += 1 }
            if let watch = display.watch {
                output.append(.step(summary(of: report, taken: 1, on: data)))
                appendWatched(watch, into: &output)
            }
            if stopping { break }
            if let goal {
                do throws(Diagnostic) {
                    if try goal(scope) {
                        bench.stepLog.goalReached = true
                        run.reason = .goalReached
                        break
                    }
                } catch {
                    run.reason = .goalFailed(error)
                    break
                }
            }
        }
        return run
    }

    /// The summary line (unless `watch` already printed one per step) and, when something
    /// stopped the run early, what and why.
    func report(_ run: Run, requested: Int, on data: Dataset, into output: inout Output) {
        if let last = run.last, display.watch == nil {
            var line = summary(of: last, taken: run.taken, on: data)
            line.clippedSteps = run.clipped
            line.firstBatchLoss = run.firstBatchLoss
            output.append(.step(line))
        }
        let step = bench.training?.step ?? 0
        switch run.reason {
        case .diverged(let event):
            output.append(.warning(Session.describe(event, layers: bench.training?.network.depth ?? 0,
                                                    alreadyNonFinite: bench.training.flatMap { Session.nonFiniteInput(of: $0.network, data: data) },
                                                    canGoBack: !bench.snapshots.lostHistory(at: step))))
        case .interrupted:
            output.append(.warning("interrupted after \(run.taken) of \(counted(requested, "step")), at step \(step); the session is consistent"))
            output.interruptedAfterSteps = run.taken
        case .goalFailed(let error):
            output.append(.warning("stopped at step \(step): the condition could not be evaluated: \(error.message)"))
        case .done, .goalReached:
            break
        }
    }

    /// The summary line of a step just taken: its report and the loss over all the data now.
    func summary(of report: StepReport, taken: Int, on data: Dataset) -> StepSummary {
        let after = bench.training.map { $0.loss(on: data, config: bench.config) }
        // With batch norm the step's loss uses the batch's statistics and `loss` the running
        // ones: different kinds of loss even on the full batch, and labelled so.
        let batchNorm = bench.training?.network.layers.contains { $0.batchNorm != nil } ?? false
        return StepSummary(report: report, stepsTaken: taken, lossAfter: after, isFullBatch: report.batchRows == data.rows && !batchNorm)
    }

    /// "step 7: the loss became inf; the first gradient to blow up was dW1 (layer 1 of 10)…"
    /// A parameter or the data that was already NaN or infinite before the step (put there by
    /// `set`, a loaded file, or an earlier update that overflowed), which this step's learning
    /// rate or clipping cannot fix: "W1", "X".
    static func nonFiniteInput(of network: Network, data: Dataset) -> String? {
        for (l, layer) in network.layers.enumerated() {
            if !layer.weights.allFinite { return "W\(l + 1)" }
            if !layer.bias.allFinite { return "b\(l + 1)" }
            if let bn = layer.batchNorm, !bn.scale.allFinite || !bn.shift.allFinite { return "scale\(l + 1) or shift\(l + 1)" }
        }
        if !data.x.allFinite { return "X" }
        if !data.y.allFinite { return "y" }
        return nil
    }

    /// `canGoBack` false: `back` has nothing, because the run took its steps without
    /// snapshots (a long run of a big net keeps them only for its last steps).
    static func describe(_ event: NonFiniteEvent, layers: Int, alreadyNonFinite: String? = nil, canGoBack: Bool = true) -> String {
        let lossText = NumberFormat.format(event.loss, precision: 6)
        let what: String
        switch event.origin {
        case .activations(let layer):
            what = "the forward pass overflowed at layer \(layer) of \(layers) (loss \(lossText))"
        case .loss:
            what = "the loss became \(lossText)"
        case .gradient(let layer, let isBias):
            what = "the gradient blew up: the first non-finite one, going backwards from the output, is \(isBias ? "db" : "dW")\(layer) (layer \(layer) of \(layers)); loss \(lossText)"
        }
        let remedy = alreadyNonFinite.map { name in
            let fix = name == "X" || name == "y" ? "load or choose data without them"
                : canGoBack ? "'init' draws new weights, 'back' or 'reset' go back" : "'init' draws new weights, 'reset' goes back"
            return "\(name) already held NaN or inf before this step (set by hand, or an earlier update overflowed), so this step could not be finite: \(fix)."
        } ?? "'show grads' shows the gradients, \(canGoBack ? "'back' or 'reset' go back" : "'reset' goes back (a long run of a net this size keeps history only for its last steps)"), a smaller lr or 'clip norm=1' prevents it."
        return "step \(event.step): \(what). The update was not applied, so the weights are those after step \(event.step - 1); " + remedy
    }

    mutating func runSteps(_ n: Int, into output: inout Output, shouldStop: () -> Bool) throws(Diagnostic) {
        let (_, data) = try bench.requireTrainable(at: nil, for: "step")
        // Not `report(advance(…))`: the method's `self` would be read before `advance` runs.
        let run = advance(limit: n, on: data, into: &output, shouldStop: shouldStop)
        report(run, requested: n, on: data, into: &output)
    }

    mutating func runEpochs(_ n: Int, into output: inout Output, shouldStop: () -> Bool) throws(Diagnostic) {
        let (state, data) = try bench.requireTrainable(at: nil, for: "epoch")
        // Steps to the end of this pass, then whole passes.
        let batchRows: Int
        if case .rows(let size) = bench.config.batch { batchRows = min(size, data.rows) } else { batchRows = data.rows }
        let perEpoch = (data.rows + batchRows - 1) / batchRows
        let first = state.cursor.stepsToEndOfEpoch(rows: data.rows, batch: bench.config.batch)
        let total = first + (n - 1) * perEpoch
        let run = advance(limit: total, on: data, into: &output, shouldStop: shouldStop)
        report(run, requested: total, on: data, into: &output)
        if run.reason == .done {
            output.append(.note("epoch \(bench.training?.cursor.epoch ?? 0) done (\(counted(perEpoch, "step")) per pass over \(data.rows) rows)"))
        }
    }

    mutating func runTrain(_ goal: TrainGoal, into output: inout Output, shouldStop: () -> Bool) throws(Diagnostic) {
        let (_, data) = try bench.requireTrainable(at: nil, for: "train")
        guard case .until(let condition, let max) = goal else {
            guard case .steps(let n) = goal else { return }
            // Not `report(advance(…))`: the method's `self` would be read before `advance` runs.
        let run = advance(limit: n, on: data, into: &output, shouldStop: shouldStop)
        report(run, requested: n, on: data, into: &output)
            return
        }
        // The condition is evaluated on a copy of the generator: checking it draws nothing.
        let generator = bench.random
        let holds = { (scope: EvaluationScope) throws(Diagnostic) -> Bool in
            var random = generator
            return try scope.check(condition, random: &random).holds
        }
        if try holds(scope) {
            output.append(.note("the condition already holds at step \(bench.training?.step ?? 0); no step taken"))
            return
        }
        let run = advance(limit: max, on: data, goal: holds, into: &output, shouldStop: shouldStop)
        report(run, requested: max, on: data, into: &output)
        switch run.reason {
        case .goalReached:
            // The value that met the condition (the step line's first loss is from before the step).
            var random = bench.random
            if let value = try? scope.evaluate(condition.lhs, random: &random), value.matrix.isScalar {
                let shown = NumberFormat.format(value.matrix.storage[0], precision: precision)
                output.append(.note("reached after \(counted(run.taken, "step")): \(condition.lhs.sourceText) = \(shown)"))
            } else {
                output.append(.note("reached after \(counted(run.taken, "step"))"))
            }
        case .done:
            var random = bench.random
            if let detail = try? scope.check(condition, random: &random).detail {
                output.append(.warning("not reached within max=\(max) steps: \(detail)"))
            } else {
                output.append(.warning("not reached within max=\(max) steps"))
            }
        default:
            break
        }
    }
}

/// Reports a long run's progress to the program's handler: every 64 steps at most five
/// times a second, and once at the end.
struct ProgressClock {
    let limit: Int
    let handler: (@Sendable (StepProgress) -> Void)?
    let purpose: String?
    let started = DispatchTime.now().uptimeNanoseconds
    var lastReport: UInt64

    init(limit: Int, handler: (@Sendable (StepProgress) -> Void)?, purpose: String? = nil) {
        self.limit = limit
        self.handler = handler
        self.purpose = purpose
        lastReport = started
    }

    private func seconds(_ now: UInt64) -> Double { Double(now - started) / 1e9 }

    mutating func tick(taken: Int, loss: Double?) {
        guard let handler, taken & 63 == 0, taken > 0 else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastReport > 200_000_000 else { return }
        lastReport = now
        handler(StepProgress(taken: taken, limit: limit, loss: loss ?? .nan, elapsedSeconds: seconds(now), finished: false, purpose: purpose))
    }

    func finish(taken: Int, loss: Double?) {
        handler?(StepProgress(taken: taken, limit: limit, loss: loss ?? .nan,
                              elapsedSeconds: seconds(DispatchTime.now().uptimeNanoseconds), finished: true, purpose: purpose))
    }
}
