import DescentCore
import DescentLanguage
import Foundation

extension Session {
    /// Runs this session's cells again, from an empty session, and hands `observe` the
    /// training state after every step each cell applies (with the cell's index in `cells`
    /// and the step's number within the cell, from 1). Nothing of the session is kept, so
    /// no state along the way has to be held while the learner works; a session replays to
    /// the same bits (seeded random numbers, recorded interruptions). Throws when a cell
    /// does not come out as it did (a file it read has changed since, say).
    /// `observe` also gets the data and settings the step ran with. The session's progress
    /// handler is told how the replay's steps are going.
    public func replay(observe: @escaping (ReplayedStep) -> Void) throws(Diagnostic) {
        final class Position: @unchecked Sendable {
            var cell = 0, step = 0
            var data: Dataset?
            var config = TrainingConfig()
            var observe: (ReplayedStep) -> Void = { _ in }
        }
        final class Clock: @unchecked Sendable {
            var clock: ProgressClock
            var taken = 0
            init(_ clock: ProgressClock) { self.clock = clock }
        }
        let position = Position()
        position.observe = observe
        // A long session takes a while to replay: the steps so far, of all the cells'.
        let total = cells.reduce(0) { $0 + ($1.succeeded ? $1.effects?.steps?.applied ?? 0 : 0) }
        let progress = Clock(ProgressClock(limit: total, handler: environment.progressHandler, purpose: "replaying for the export"))
        defer { if progress.taken > 0 { progress.clock.finish(taken: progress.taken, loss: nil) } }
        var again = Session(baseDirectory: notebook.baseDirectory)
        again.environment.lessonLibrary = environment.lessonLibrary
        again.environment.stepObserver = { state in
            progress.taken += 1
            progress.clock.tick(taken: progress.taken, loss: nil)
            position.step += 1
            guard let data = position.data else { return }
            position.observe(ReplayedStep(cell: position.cell, stepInCell: position.step, state: state, data: data,
                                          config: position.config))
        }
        again.limits = limits
        for (index, cell) in cells.enumerated() where cell.succeeded {
            position.cell = index
            position.step = 0
            // What the steps of this cell will run on (stepping commands change neither).
            position.data = again.bench.data
            position.config = again.bench.config
            let result = again.perform(cell.source)
            if let error = result.error {
                throw Diagnostic("cell \(index + 1) ('\(cell.source)') failed when run again: \(error.message)")
            }
            guard again.cells.last?.effects == cell.effects else {
                throw Diagnostic("cell \(index + 1) ('\(cell.source)') did not come out as it did the first time (a file it read may have changed)")
            }
        }
    }
}

/// One step of a replay: which cell took it, its number within the cell (from 1), the state
/// after it, and the data and settings it ran with.
public struct ReplayedStep {
    public var cell: Int
    public var stepInCell: Int
    public var state: TrainingState
    public var data: Dataset
    public var config: TrainingConfig
}
