import DescentCore
import Foundation
@testable import DescentSession

/// Runs lines in a fresh session, failing the test on the first error.
func session(_ lines: [String], file: StaticString = #filePath) throws -> Session {
    var s = Session()
    for line in lines {
        let result = s.perform(line)
        if let error = result.error { throw error }
    }
    return s
}

/// The parts of a session that a command may change, for all-or-nothing checks.
struct Fingerprint: Equatable {
    var variables: [String: Value]
    var data: Dataset?
    var training: TrainingState?
    var config: TrainingConfig
    var initializer: Initializer
    var lossHistory: [Double]
    var precision: Int
    var seed: UInt64
    var watch: String?
    var successfulCells: [String]

    init(_ s: Session) {
        variables = s.variables
        data = s.data
        training = s.training
        config = s.config
        initializer = s.initializer
        lossHistory = s.lossHistory
        precision = s.precision
        seed = s.seed
        watch = s.watch?.rawValue
        successfulCells = s.cells.filter(\.succeeded).map(\.source)
    }
}

/// The scripts shipped with the tests.
func scriptURLs() -> [URL] {
    let folder = Bundle.module.resourceURL!.appendingPathComponent("Scripts")
    return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
        .filter { $0.pathExtension == "descent" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
}
