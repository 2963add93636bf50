import Foundation
import DescentCore
import DescentLanguage

/// `step`, `epoch`, `train`, `back`, `reset`.
extension Session {
    /// Why a run of steps ended.
    enum StopReason: Equatable {
        case done, goalReached, diverged(NonFiniteEvent), interrupted
        /// `train until`'s condition could not be evaluated after a step (it was before the first).
        case goalFailed(Diagnostic)
    }

    /// Takes up to `limit` steps on `data` (checked by the caller with `requireTrainable`),
    /// stopping early when `goal` holds after a step, on a non-finite loss or gradient, when
    /// the goal cannot be evaluated, or when `shouldStop` says so. Returns how many steps were
    /// applied, the report of the last one applied, and why the run ended. Never throws: the
    /// stepping commands run on the session itself, not on a copy (see `Session.run`).
    mutating func advance(
        limit: Int, on data: Dataset, goal: ((inout Session) throws(Diagnostic) -> Bool)? = nil,
        into output: inout Output, shouldStop: () -> Bool
    ) -> (taken: Int, last: StepReport?, reason: StopReason) {
        var taken = 0
        var last: StepReport?
        var reason = StopReason.done
        let started = DispatchTime.now().uptimeNanoseconds
        var lastReport = started
        func seconds(_ now: UInt64) -> Double { Double(now - started) / 1e9 }
        defer {
            progressHandler?(StepProgress(taken: taken, limit: limit, loss: last?.batchLoss ?? .nan,
                                          elapsedSeconds: seconds(DispatchTime.now().uptimeNanoseconds), finished: true))
        }
        guard var state = training else { return (0, nil, .done) }
        lossHistory.reserve(steps: limit, width: 1)
        normHistory.reserve(steps: limit, width: state.network.depth)
        // The loop works on the state moved out of `training`, which it puts back at the end
        // (and for `watch` and the goal after each step): no unwrapping and copying per step.
        training = nil
        defer { training = state }
        while taken < limit {
            // Every 64 steps, at most five times a second: how far we are.
            if let progressHandler, taken & 63 == 0, taken > 0 {
                let now = DispatchTime.now().uptimeNanoseconds
                if now - lastReport > 200_000_000 {
                    lastReport = now
                    progressHandler(StepProgress(taken: taken, limit: limit, loss: last?.batchLoss ?? .nan,
                                                 elapsedSeconds: seconds(now), finished: false))
                }
            }
            if taken > 0 && shouldStop() {
                reason = .interrupted
                break
            }
            // `back` gets a flat copy of weights, velocity, counter and cursor; the step then
            // changes the state in place (no copy of it, no allocation).
            undo.push(state)
            let report = state.step(on: data, config: config, workspace: &workspace)
            if let event = report.nonFinite {
                undo.dropLast()  // nothing was applied; the gradients that blew up stay visible
                reason = .diverged(event)
                break
            }
            explainableStep = report.step
            lossHistory.append(step: report.step, value: report.batchLoss)
            normHistory.append(step: report.step, values: workspace.layerNorms)
            taken += 1
            last = report
            guard watch != nil || goal != nil else { continue }
            training = state
            defer { state = training!; training = nil }
            if let watch {
                output.append(.step(StepSummary(report: report, stepsTaken: 1)))
                appendWatched(watch, into: &output)
            }
            if let goal {
                do throws(Diagnostic) {
                    if try goal(&self) {
                        reason = .goalReached
                        break
                    }
                } catch {
                    reason = .goalFailed(error)
                    break
                }
            }
        }
        return (taken, last, reason)
    }

    /// The summary line (unless `watch` already printed one per step) and, when something
    /// stopped the run early, what and why.
    func reportRun(taken: Int, requested: Int, last: StepReport?, reason: StopReason, into output: inout Output) {
        if let last, watch == nil {
            output.append(.step(StepSummary(report: last, stepsTaken: taken)))
        }
        switch reason {
        case .diverged(let event):
            output.append(.warning(Session.describe(event, layers: training?.network.depth ?? 0)))
        case .interrupted:
            output.append(.warning("interrupted after \(taken) of \(requested) step\(requested == 1 ? "" : "s"), at step \(training?.step ?? 0); the session is consistent"))
        case .goalFailed(let error):
            output.append(.warning("stopped at step \(training?.step ?? 0): the condition could not be evaluated: \(error.message)"))
        case .done, .goalReached:
            break
        }
    }

    /// "step 7: the loss became inf; the first gradient to blow up was dW1 (layer 1 of 10)…"
    static func describe(_ event: NonFiniteEvent, layers: Int) -> String {
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
        return "step \(event.step): \(what). The update was not applied, so the weights are those after step \(event.step - 1); 'show grads' shows the gradients, 'back' or 'reset' go back, a smaller lr or 'clip norm=1' prevents it."
    }

    mutating func runSteps(_ n: Int, into output: inout Output, shouldStop: () -> Bool) throws(Diagnostic) {
        let (_, data) = try requireTrainable(at: nil, for: "step")
        let (taken, last, reason) = advance(limit: n, on: data, into: &output, shouldStop: shouldStop)
        reportRun(taken: taken, requested: n, last: last, reason: reason, into: &output)
    }

    mutating func runEpochs(_ n: Int, into output: inout Output, shouldStop: () -> Bool) throws(Diagnostic) {
        let (state, data) = try requireTrainable(at: nil, for: "epoch")
        // Steps to the end of this pass, then whole passes.
        let perEpoch = (data.rows + batchRows(data) - 1) / batchRows(data)
        let first = state.cursor.stepsToEndOfEpoch(rows: data.rows, batch: config.batch)
        let total = first + (n - 1) * perEpoch
        let (taken, last, reason) = advance(limit: total, on: data, into: &output, shouldStop: shouldStop)
        reportRun(taken: taken, requested: total, last: last, reason: reason, into: &output)
        if reason == .done {
            output.append(.note("epoch \(training?.cursor.epoch ?? 0) done (\(perEpoch) step\(perEpoch == 1 ? "" : "s") per pass over \(data.rows) rows)"))
        }
    }

    private func batchRows(_ data: Dataset) -> Int {
        if case .rows(let n) = config.batch { return min(n, data.rows) }
        return data.rows
    }

    mutating func runTrain(_ goal: TrainGoal, into output: inout Output, shouldStop: () -> Bool) throws(Diagnostic) {
        let (_, data) = try requireTrainable(at: nil, for: "train")
        switch goal {
        case .steps(let n):
            let (taken, last, reason) = advance(limit: n, on: data, into: &output, shouldStop: shouldStop)
            reportRun(taken: taken, requested: n, last: last, reason: reason, into: &output)
        case .until(let condition, let max):
            var random = self.random
            if try evaluator().check(condition, random: &random).holds {
                output.append(.note("the condition already holds at step \(training?.step ?? 0); no step taken"))
                return
            }
            let (taken, last, reason) = advance(limit: max, on: data, goal: { (session: inout Session) throws(Diagnostic) -> Bool in
                var random = session.random
                return try session.evaluator().check(condition, random: &random).holds
            }, into: &output, shouldStop: shouldStop)
            reportRun(taken: taken, requested: max, last: last, reason: reason, into: &output)
            switch reason {
            case .goalReached:
                output.append(.note("reached after \(taken) step\(taken == 1 ? "" : "s")"))
            case .done:
                var random = self.random
                if let detail = try? evaluator().check(condition, random: &random).detail {
                    output.append(.warning("not reached within max=\(max) steps: \(detail)"))
                } else {
                    output.append(.warning("not reached within max=\(max) steps"))
                }
            default:
                break
            }
        }
    }

    mutating func runBack(_ n: Int, into output: inout Output) throws(Diagnostic) {
        guard let state = training else {
            throw Diagnostic("there is no network, so nothing to go back on", suggestion: "build one with 'net …'")
        }
        guard state.step > 0 else {
            throw Diagnostic("already at step 0; there is nothing to undo")
        }
        guard undo.count > 0 else {
            throw Diagnostic("no steps are kept to go back to (history keeps the last \(UndoHistory.maxSteps) steps and at most \(Limits.bytes(undo.budget)))",
                             suggestion: "'reset' returns to step 0")
        }
        guard n <= undo.count else {
            throw Diagnostic("only \(undo.count) step\(undo.count == 1 ? " is" : "s are") kept to go back (asked for \(n))",
                             suggestion: undo.count == state.step ? "'back \(undo.count)' or 'reset'"
                                : undo.count < UndoHistory.maxSteps ? "'back \(undo.count)', or 'reset' for step 0; 'limit history 64 MB' keeps more steps"
                                : "'back \(undo.count)', or 'reset' for step 0")
        }
        var restored = state
        undo.pop(n, into: &restored)
        training = restored
        explainableStep = nil
        lossHistory.truncate(toStep: restored.step)
        normHistory.truncate(toStep: restored.step)
        output.append(.note("back \(n) step\(n == 1 ? "" : "s"): now at step \(restored.step)"))
    }

    mutating func runReset(into output: inout Output) throws(Diagnostic) {
        guard let initial = initialTraining else {
            throw Diagnostic("there is no network to reset", suggestion: "build one with 'net …'")
        }
        training = initial.state
        explainableStep = nil
        undo.removeAll()
        lossHistory = StepHistory()
        normHistory = StepHistory()
        output.append(.note("reset: the weights are as they were at step 0; history cleared"))
    }
}
