import Foundation
import Testing

/// The Jupyter kernel (issue 16), driven by Jupyter's own Python packages against the real
/// `descent serve`: the conformance suite jupyter_kernel_test, a message signed with a wrong
/// key, an interrupt of `train 1000000000`, restart, lesson mode (jupyter/tests/test_kernel.py),
/// and every lesson exported to .ipynb and run again by nbclient with the same outputs
/// (jupyter/tests/roundtrip.py). The packages come from $DESCENT_JUPYTER_PYTHON (scripts/test
/// sets it with scripts/jupyter-env); without them these tests are skipped, and say so.
@Suite(.serialized) struct JupyterKernelTests {
    static let python: String? = {
        guard let path = ProcessInfo.processInfo.environment["DESCENT_JUPYTER_PYTHON"], !path.isEmpty,
              let result = try? BinaryRunner.runProgram(path, ["-c", "import ipykernel, jupyter_client, nbclient, jupyter_kernel_test, descent_kernel"]),
              result.status == 0 else { return nil }
        return path
    }()

    static let tests = BinaryRunner.packageRoot.appendingPathComponent("jupyter/tests")

    /// The kernelspec `descent` for the binary under test, in a folder of its own; the
    /// environment that makes Jupyter find it.
    static func installKernel() throws -> (folder: URL, environment: [String: String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let result = try BinaryRunner.runProgram(python!, ["-m", "descent_kernel.install", "--prefix", folder.path,
                                                           "--descent", BinaryRunner.executable.path])
        #expect(result.status == 0, "\(result.stderr)")
        return (folder, ["JUPYTER_PATH": folder.appendingPathComponent("share/jupyter").path, "PYTHONUNBUFFERED": "1"])
    }

    @Test(.enabled(if: python != nil, "Jupyter's packages not found: set DESCENT_JUPYTER_PYTHON (scripts/jupyter-env makes one)"))
    func conformanceSecurityInterruptAndLessonMode() throws {
        let (folder, environment) = try Self.installKernel()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try BinaryRunner.runProgram(Self.python!, ["-m", "unittest", "-v", "test_kernel"], directory: Self.tests,
                                                 environment: environment)
        #expect(result.status == 0, "\(result.stderr.suffix(4000))")
        // The conformance suite ran its tests, not just skipped them.
        for test in ["test_completion", "test_display_data", "test_error", "test_inspect", "test_is_complete", "test_kernel_info",
                     "test_a_request_signed_with_a_wrong_key_runs_nothing", "test_an_interrupt_stops_a_long_train_and_the_next_cell_runs",
                     "test_restart_gives_a_fresh_session", "test_lesson_offers_its_commands_and_an_empty_cell_runs_them",
                     "test_a_long_run_shows_a_bar_that_ends_as_its_timing", "test_two_runs_in_a_cell_keep_a_timing_each"] {
            // (The kernel's own log lines may come between a test's name and its "ok".)
            let line = result.stderr.split(separator: "\n").first { $0.hasPrefix("\(test) (") }
            #expect(line != nil && line?.contains("skipped") == false, "\(test): \(line ?? "did not run")")
        }
        #expect(result.stderr.contains("\nOK"), "\(result.stderr.suffix(2000))")
    }

    @Test(.enabled(if: python != nil, "Jupyter's packages not found: set DESCENT_JUPYTER_PYTHON (scripts/jupyter-env makes one)"))
    func everyLessonExportedAndRunAgainByNbclientPrintsTheSame() throws {
        let (folder, environment) = try Self.installKernel()
        defer { try? FileManager.default.removeItem(at: folder) }
        var notebooks: [String] = []
        for lesson in TorchExportTests.lessons {
            let name = URL(fileURLWithPath: lesson).deletingPathExtension().lastPathComponent
            let text = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent(lesson), encoding: .utf8)
            let script = folder.appendingPathComponent(name + ".descent")
            try (text + "\nexport \"\(name).ipynb\"\n").write(to: script, atomically: true, encoding: .utf8)
            let result = try BinaryRunner.run(["run", "-q", script.path], directory: folder)
            #expect(result.status == 0, "\(lesson): \(result.stderr)")
            notebooks.append(folder.appendingPathComponent(name + ".ipynb").path)
        }
        #expect(notebooks.count >= 12)
        let result = try BinaryRunner.runProgram(Self.python!, [Self.tests.appendingPathComponent("roundtrip.py").path] + notebooks,
                                                 directory: folder, environment: environment)
        #expect(result.status == 0, "\(result.stderr.suffix(4000))")
        #expect(result.stdout.split(separator: "\n").filter { $0.hasSuffix("the same outputs") }.count == notebooks.count, "\(result.stdout)")
    }
}
