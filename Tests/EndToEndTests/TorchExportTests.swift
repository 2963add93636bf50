import Foundation
import Testing

/// `export "NAME.py"` (issue 15): every lesson and every reference script, exported by the
/// real binary and run under PyTorch (float64); a wrong embedded value is caught; no text of
/// the session can become Python code. PyTorch comes from $DESCENT_TORCH_PYTHON (scripts/test
/// sets it with scripts/torch-env); without it the tests that need it are skipped, and say so.
@Suite struct TorchExportTests {
    /// A Python that imports torch, or nil.
    static let python: String? = {
        guard let path = ProcessInfo.processInfo.environment["DESCENT_TORCH_PYTHON"], !path.isEmpty,
              let result = try? runPython(path, ["-c", "import torch"]), result.status == 0 else { return nil }
        return path
    }()

    static let lessons: [String] = {
        let folder = BinaryRunner.packageRoot.appendingPathComponent("lessons")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".descent") }.sorted().map { "lessons/" + $0 }
    }()

    static let referenceScripts: [String] = {
        let folder = BinaryRunner.packageRoot.appendingPathComponent("Tests/DescentSessionTests/Scripts")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".descent") }.sorted().map { "Tests/DescentSessionTests/Scripts/" + $0 }
    }()

    /// Sessions that once broke the export (a stress test's findings), one failure each.
    static let regressionScripts: [String] = {
        let folder = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/TorchExport")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".descent") }.sorted().map { "Tests/EndToEndTests/TorchExport/" + $0 }
    }()

    static func runPython(_ python: String, _ arguments: [String], directory: URL? = nil) throws -> BinaryRunner.Result {
        try BinaryRunner.runProgram(python, arguments, directory: directory)
    }

    /// Runs `script` (with an export appended) through descent in a fresh folder; returns the
    /// folder and the exported script's URL.
    static func export(_ script: String, as name: String = "session.py") throws -> (folder: URL, script: URL) {
        let text = script + "\nexport \"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"\n"
        let url = try BinaryRunner.temporaryScript(text)
        let folder = url.deletingLastPathComponent()
        let result = try BinaryRunner.run(["run", "-q", url.path], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        return (folder, folder.appendingPathComponent(name))
    }

    @Test(.enabled(if: python != nil, "PyTorch not found: set DESCENT_TORCH_PYTHON (scripts/torch-env makes one)"),
          arguments: lessons + referenceScripts + regressionScripts)
    func exportRunsUnderPyTorch(_ path: String) throws {
        let source = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent(path), encoding: .utf8)
        let (folder, script) = try Self.export(source)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.runPython(Self.python!, [script.path], directory: folder)
        #expect(result.status == 0, "\(path): \(result.stderr.suffix(2000))")
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let count = Int(last.replacingOccurrences(of: "checked ", with: "").replacingOccurrences(of: " values", with: "")) ?? 0
        #expect(last.hasPrefix("checked ") && count > 0, "\(path): \(last)")
    }

    static let small = """
        seed 4
        data circles n=40 noise=0.1
        net 2 -> 4 tanh -> 1 sigmoid
        loss bce
        optimizer adam lr=0.05
        train 20
        expect loss < 0.7
        """

    @Test(.enabled(if: python != nil, "PyTorch not found: set DESCENT_TORCH_PYTHON (scripts/torch-env makes one)"))
    func aChangedInitialWeightIsCaught() throws {
        let (folder, script) = try Self.export(Self.small)
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = try String(contentsOf: script, encoding: .utf8)
        // The first weight of the net as Descent drew it, in the `net` cell's Layer(m([[…
        let marker = "    Layer(m([["
        let start = try #require(text.range(of: marker))
        let end = try #require(text[start.upperBound...].firstIndex(of: ","))
        let original = String(text[start.upperBound..<end])
        text.replaceSubrange(start.upperBound..<end, with: "0.123456789")
        try text.write(to: script, atomically: true, encoding: .utf8)
        #expect(original != "0.123456789")
        let result = try Self.runPython(Self.python!, [script.path], directory: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("MISMATCH in W1 after step 1"), "\(result.stderr)")
    }

    /// A script moved away from its NAME_data.npz says so in one line (exit 1), instead of a
    /// traceback; a file name with a space is quoted in the export's message.
    @Test(.enabled(if: python != nil, "PyTorch not found: set DESCENT_TORCH_PYTHON (scripts/torch-env makes one)"))
    func aScriptWithoutItsDataSaysWhatIsMissing() throws {
        let (folder, script) = try Self.export(Self.small, as: "my notes.py")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("my notes_data.npz").path))
        let away = folder.appendingPathComponent("away", isDirectory: true)
        try FileManager.default.createDirectory(at: away, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: script, to: away.appendingPathComponent("my notes.py"))
        let result = try Self.runPython(Self.python!, [away.appendingPathComponent("my notes.py").path], directory: away)
        #expect(result.status == 1)
        // The last line (a PyTorch without NumPy warns about it first).
        #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n").last
            == "my notes_data.npz is missing: it holds this script's data (the weights and rows Descent drew) and must stay beside my notes.py",
                "\(result.stderr)")
        #expect(!result.stderr.contains("Traceback"))
        let again = try BinaryRunner.temporaryScript(Self.small + "\nexport \"my notes.py\"\n")
        defer { try? FileManager.default.removeItem(at: again.deletingLastPathComponent()) }
        let message = try BinaryRunner.run(["run", again.path], directory: again.deletingLastPathComponent())
        #expect(message.stdout.contains("'python \"my notes.py\"'") && message.stdout.contains("must stay beside it"), "\(message.stdout)")
    }

    /// The steps of a `run "file"` are not redone by the script, so a `back` into them cannot
    /// be either: the export says which cell and why, and writes nothing.
    @Test func backIntoAScriptsStepsIsRefused() throws {
        let script = """
            data xor
            net 2 -> 2 tanh -> 1 sigmoid
            step 2
            save "part.descent"
            run "part.descent"
            back 1
            export "session.py"
            """
        let url = try BinaryRunner.temporaryScript(script)
        let folder = url.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try BinaryRunner.run(["run", "-q", url.path], directory: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot export cell 5 to PyTorch: its `back` goes back past cell 4 (run \"part.descent\"), whose state the script takes over as Descent left it and cannot undo; nothing was written"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("session.py").path))
    }

    /// Cell text goes into comments, names into escaped literals: a file name and a comment
    /// full of quotes, backslashes, triple quotes, non-ASCII and control characters still give
    /// a script Python compiles, and (with torch) runs.
    @Test func noSessionTextBecomesCode() throws {
        // (U+2028 and U+0085 end a line of a script, so no cell holds them.)
        let hostile = "step 3  # \"\"\" ''' \\ \u{7} \u{1B} é 中文 ); import os; os.system('false') #"
        let name = "we\"ird \\ '''\"\"\" é.py"
        let (folder, script) = try Self.export(Self.small + "\n" + hostile, as: name)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOf: script, encoding: .utf8)
        #expect(!text.contains("\u{7}") && !text.contains("\u{1B}"))
        #expect(text.contains("# %% [8] step 3  # \"\"\" ''' \\ \u{FFFD} \u{FFFD} é 中文 ); import os; os.system('false') #"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("we\"ird \\ '''\"\"\" é_data.npz").path))
        let compiled = try Self.runPython("/usr/bin/env", ["python3", "-m", "py_compile", script.path])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        if let python = Self.python {
            let result = try Self.runPython(python, [script.path], directory: folder)
            #expect(result.status == 0, "\(result.stderr)")
        }
    }
}
