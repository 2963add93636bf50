import DescentCore
import DescentLanguage

/// `optimizer`, `schedule`, `clip`, `l2`.
extension Session {
    mutating func runOptimizer(_ settings: OptimizerSettings, into output: inout Output) {
        bench.config.learningRate = settings.learningRate
        bench.config.momentum = settings.momentum
        bench.config.batch = settings.batch
        if case .rows = settings.batch {
            bench.config.shuffle = settings.shuffle ?? true
        } else {
            bench.config.shuffle = false
        }
        // Velocities belong to the old settings; the batch position starts a new pass.
        if var state = bench.training {
            state.velocity = nil
            bench.training = state
        }
        output.append(.note("optimizer \(bench.config.optimizerDescription)"))
    }

    mutating func runSchedule(_ schedule: Schedule, into output: inout Output) {
        bench.config.schedule = schedule
        let t = bench.training?.step ?? 0
        output.append(.note("schedule \(schedule.description): the next step (t=\(t)) uses lr \(NumberFormat.format(bench.config.learningRate(atStep: t), precision: precision))"))
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
