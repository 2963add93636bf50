import DescentCore
import DescentFuzzing
import Foundation
@testable import DescentSession
import DescentNotebook

/// A session handed what the program hands it: the notebook writer for `export`.
func programSession() -> Session {
    var s = Session()
    s.environment.notebookWriter = NotebookFiles()
    return s
}

/// Runs lines in a fresh session, failing the test on the first error.
func session(_ lines: [String], file: StaticString = #filePath) throws -> Session {
    var s = programSession()
    for line in lines {
        let result = s.perform(line)
        if let error = result.error { throw error }
    }
    return s
}

/// The fingerprint that tells a failed command changed nothing (shared with the fuzzer).
typealias Fingerprint = SessionFingerprint

/// The scripts shipped with the tests.
func scriptURLs() -> [URL] {
    let folder = Bundle.module.resourceURL!.appendingPathComponent("Scripts")
    return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
        .filter { $0.pathExtension == "descent" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
}
