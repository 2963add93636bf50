import DescentCore
import DescentLanguage

/// `optimizer`, `schedule`, `clip`, `l2`.
extension Session {
    mutating func runOptimizer(_ settings: OptimizerSettings, into output: inout Output) {
        let before = bench.config
        bench.config.learningRate = settings.learningRate
        bench.config.optimizer = settings.rule
        bench.config.batch = settings.batch
        if case .rows = settings.batch {
            bench.config.shuffle = settings.shuffle ?? true
        } else {
            bench.config.shuffle = false
        }
        // The optimizer's state (velocity, moments, k) starts afresh, as a new torch optimizer's.
        if bench.training != nil { bench.training!.optimizerState = OptimizerState() }
        output.append(.note("optimizer \(bench.config.optimizerDescription)"))
        // Options left out take their defaults: say so where that changed a setting.
        var reset: [String] = []
        if !settings.given.contains("lr") && before.learningRate != bench.config.learningRate {
            reset.append("lr=\(NumberFormat.short(bench.config.learningRate)) (was \(NumberFormat.short(before.learningRate)))")
        }
        if !settings.given.contains("momentum") && before.momentum != bench.config.momentum {
            reset.append("momentum=\(NumberFormat.short(bench.config.momentum)) (was \(NumberFormat.short(before.momentum)))")
        }
        if !settings.given.contains("batch") && before.batch != bench.config.batch {
            reset.append("batch=\(bench.config.batch.description) (was \(before.batch.description))")
        }
        if !reset.isEmpty {
            output.append(.note("back to the default: \(reset.joined(separator: ", ")); an optimizer command sets every option, so name the ones to keep"))
        }
    }

    mutating func runSchedule(_ schedule: Schedule, into output: inout Output) {
        bench.config.schedule = schedule
        let t = bench.training?.step ?? 0
        let config = bench.config
        let next = config.learningRate(atStep: t)
        func rate(_ x: Double) -> String { NumberFormat.format(x, precision: precision) }
        output.append(.note("schedule \(schedule.description): the next step (t=\(t)) uses lr \(rate(next))"))
        if t > 0 && next != config.learningRate {
            output.append(.note("t counts the steps taken since step 0, not since this command: \(t) so far, so the rate is already lr·γ^\(schedule == .fixed ? "0" : exponentText(schedule, t)) = \(rate(config.learningRate))·\(rate(next / config.learningRate)); 'reset' starts again at t=0"))
        }
        switch schedule {
        case .exponential(let gamma) where gamma > 1, .step(_, let gamma) where gamma > 1:
            let later = config.schedule.rate(base: config.learningRate, step: t + 100)
            output.append(.warning("gamma=\(NumberFormat.short(gamma)) is above 1: the rate grows instead of decaying, to \(rate(later)) by step \(t + 100); a decay has gamma below 1, e.g. 0.99"))
        default:
            break
        }
    }

    /// The exponent of γ at step t: "t" for exp, "⌊t/every⌋" worked out for step.
    private func exponentText(_ schedule: Schedule, _ t: Int) -> String {
        if case .step(let every, _) = schedule { return "⌊\(t)/\(every)⌋" }
        return "\(t)"
    }

    mutating func runClip(_ norm: Double?, into output: inout Output) {
        bench.config.clipNorm = norm
        output.append(.note(norm.map { "clip norm=\(NumberFormat.short($0)): gradients with ‖g‖ > \(NumberFormat.short($0)) are scaled down to it" } ?? "clip off"))
    }

    mutating func runL2(_ lambda: Double?, into output: inout Output) {
        bench.config.l2 = lambda
        output.append(.note(lambda.map { "l2 \(NumberFormat.short($0)): loss + λ/(2m)·Σ‖W‖², m = number of weights" } ?? "l2 off"))
    }
}
