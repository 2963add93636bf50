import Foundation
import Testing

/// `descent run FILE` as a user runs it: transcript on stdout, errors as FILE:LINE:COL on
/// stderr, and the documented exit statuses.
@Suite struct RunCommandTests {
    static let scripts = ["ref-sigmoid-mse-one-step", "ref-softmax-ce-one-step", "ref-tanh-momentum-three-steps",
                          "article-example", "diverging"]

    @Test(arguments: scripts)
    func referenceScriptsExitZero(_ name: String) throws {
        let path = BinaryRunner.packageRoot.appendingPathComponent("Tests/DescentSessionTests/Scripts/\(name).descent").path
        let result = try BinaryRunner.run(["run", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("✓ "))
    }

    @Test func articleTranscriptShowsTheNumbers() throws {
        let path = BinaryRunner.packageRoot.appendingPathComponent("Tests/DescentSessionTests/Scripts/article-example.descent").path
        let result = try BinaryRunner.run(["run", path])
        #expect(result.stdout.contains("> show dW1\ndW1 = [[-15]]  # 1×1\n"))
        #expect(result.stdout.contains("> show W1\nW1 = [[0.15]]  # 1×1\n"))
        #expect(result.stdout.contains("W1 = [[0.9999999999999997]]  # 1×1\n"))
        // The loss before the step, then after it: the article's 5.41875 (to 17 digits, as NumPy computes it).
        #expect(result.stdout.contains("> step\nstep 1 · loss 7.5 → 5.418749999999999 · ‖g‖ 15 · lr 0.01\n"))
    }

    @Test func failedExpectExitsOneAndNamesTheLine() throws {
        let url = try BinaryRunner.temporaryScript("""
            let X = [[1], [2]]
            let y = [2, 4]
            data X, y
            net 1 -> 1 nobias
            init zeros
            step
            expect loss < 0.001
            step
            """, name: "failing.descent")
        let result = try BinaryRunner.run(["run", url.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("\(url.path):7:8: error: expectation failed: loss < 0.001: loss is "))
        #expect(result.stderr.contains("\n  expect loss < 0.001\n         ^^^^^^^^^^^^\n"))
        #expect(result.stdout.contains("> step\n"))
        #expect(!result.stdout.contains("> expect"))  // the failing line printed nothing to stdout
    }

    /// A `run "file"` that fails after some of its commands ran (and were shown) says that
    /// none of it is kept, and the session is as before the run.
    @Test func aFailedRunSaysNothingOfItIsKept() throws {
        let inner = try BinaryRunner.temporaryScript("step 3\nshow W9\nstep 2\n", name: "partial.descent")
        let folder = inner.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try BinaryRunner.run([], stdin: "data xor\nnet 2 -> 2 -> 1\nrun \"partial.descent\"\nshow step\n", directory: folder)
        #expect(result.stdout.contains("step 3 (+3) · loss"))
        #expect(result.stderr.contains("W9: the net has 2 layers, so layers are numbered 1…2; nothing the script did is kept (run is all or nothing)"), "\(result.stderr)")
        #expect(result.stdout.contains("step = 0"))
    }

    @Test func parseErrorInAScriptPointsAtTheColumn() throws {
        let url = try BinaryRunner.temporaryScript("seed 1\nnet 2 -> 3 sigmod -> 1\n")
        let result = try BinaryRunner.run(["run", url.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("\(url.path):2:12: error: unknown activation 'sigmod' — did you mean 'sigmoid'?\n"))
    }

    @Test func usageErrorsAndUnreadableFilesExitTwo() throws {
        #expect(try BinaryRunner.run(["run"]).status == 2)
        #expect(try BinaryRunner.run(["--no-such-flag"]).status == 2)
        let missing = try BinaryRunner.run(["run", "/no/such/file.descent"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "descent: no such script: /no/such/file.descent\n")
        let binary = try BinaryRunner.temporaryScript("net 1 -> 1\u{0}\n")
        let binaryResult = try BinaryRunner.run(["run", binary.path])
        #expect(binaryResult.status == 2)
        #expect(binaryResult.stderr.contains("is a binary file"))
    }

    @Test func crlfAndTabsAreAccepted() throws {
        let url = try BinaryRunner.temporaryScript("let X = [[1],\t[2]]\r\nlet y = [1, 2]\r\ndata X, y\r\nnet 1 -> 1\r\nstep\r\nexpect step == 1\r\n")
        let result = try BinaryRunner.run(["run", url.path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func quietPrintsOnlyOutput() throws {
        let url = try BinaryRunner.temporaryScript("let a = [[1, 2]]\nshow a * 2\n")
        let result = try BinaryRunner.run(["run", "--quiet", url.path])
        #expect(result.stdout == "a = [[1, 2]]  # 1×2\na * 2 = [[2, 4]]  # 1×2\n")
    }

    /// Ctrl-C (SIGINT) during a long script: the run stops after the current step with 130.
    @Test func interruptedRunExits130() throws {
        let url = try BinaryRunner.temporaryScript("data line n=20\nnet 1 -> 1\ntrain 1000000000\nlet after = 1\n")
        let process = Process()
        process.executableURL = BinaryRunner.executable
        process.arguments = ["run", "-q", url.path]
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        try process.run()
        defer { if process.isRunning { process.terminate() } }  // never left running a billion steps
        Thread.sleep(forTimeInterval: 1.0)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // The line that was running when Ctrl-C came (the train), not the next one.
        #expect(stderr.contains("\(url.path):3: interrupted"))
    }

    @Test func quitEndsTheScript() throws {
        let url = try BinaryRunner.temporaryScript("let a = 1\nquit\nlet b = 2\n")
        let result = try BinaryRunner.run(["run", "-q", url.path])
        #expect(result.status == 0)
        #expect(result.stdout == "a = 1\n")
    }

    @Test func versionAndHelp() throws {
        let version = try BinaryRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
        let help = try BinaryRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: descent"))
        #expect(help.stdout.contains("run"))
    }

    /// Piped input: no prompt, errors (with <stdin>:LINE) do not stop the session.
    @Test func pipedInputKeepsGoingAfterErrors() throws {
        let result = try BinaryRunner.run([], stdin: "net 1 -> 1\nstep\nlet X = [[1], [2]]\nlet y = [3, 5]\ndata X, y\nstep\nexpect step == 1\n")
        #expect(result.status == 0)
        #expect(result.stderr == "<stdin>:2: error: step needs data, and there is none yet — choose it, e.g. 'data X, y' or 'data xor'\n")
        #expect(result.stdout.contains("✓ step == 1"))
        #expect(!result.stdout.contains("]>"))
    }
}
