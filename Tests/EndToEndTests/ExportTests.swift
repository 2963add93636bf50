import Foundation
import Testing

/// Exports made by the real binary, checked by outside tools when they are installed:
/// Jupyter's own nbformat validator, and headless Chromium for the HTML.
@Suite struct ExportTests {
    static let script = """
        seed 1
        init standard
        data circles n=100 noise=0.1
        net 2 -> 8 sigmoid * 4 -> 1 sigmoid
        loss bce
        optimizer gd lr=0.5
        train 30
        show norms
        plot norms
        show loss
        export "session.ipynb"
        export "session.html"
        export "session.md"
        """

    static func tool(_ name: String, _ arguments: [String]) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [name] + arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    static let hasNbformat = tool("python3", ["-c", "import nbformat"])
    static let hasChromium = tool("chromium", ["--version"])

    func exported() throws -> URL {
        let url = try BinaryRunner.temporaryScript(ExportTests.script)
        let result = try BinaryRunner.run(["run", url.path], directory: url.deletingLastPathComponent())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("exported 10 cells and 3 charts to session.ipynb"))
        return url.deletingLastPathComponent()
    }

    @Test func exportWritesAllThreeFormats() throws {
        let folder = try exported()
        for name in ["session.ipynb", "session.html", "session.md", "session_files/chart-1.svg", "session_files/chart-3.svg"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
    }

    @Test(.enabled(if: ExportTests.hasNbformat, "python3 with nbformat (pip install nbformat)"))
    func notebookValidatesWithNbformat() throws {
        let folder = try exported()
        let check = "import nbformat, sys; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(len(nb.cells))"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", check, folder.appendingPathComponent("session.ipynb").path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "nbformat rejected the notebook: \(stderr)")
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "11\n")
    }

    @Test(.enabled(if: ExportTests.hasChromium, "chromium (apt-get install chromium)"))
    func htmlRendersInHeadlessChromium() throws {
        let folder = try exported()
        let png = folder.appendingPathComponent("page.png")
        let ok = ExportTests.tool("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1000,1400",
                                               "--screenshot=\(png.path)", folder.appendingPathComponent("session.html").path])
        #expect(ok)
        let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
        #expect(size > 20_000, "the screenshot is \(size) bytes")
    }

    /// Without a UTF-8 locale the charts are drawn in ASCII.
    @Test func asciiChartsWithoutUTF8() throws {
        let url = try BinaryRunner.temporaryScript("data xor\nnet 2 -> 3 tanh -> 1\nstep\nshow norms\n")
        let result = try BinaryRunner.run(["run", "-q", url.path], environment: ["LC_ALL": "C", "LANG": "C"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("dW1  #"))
        #expect(!result.stdout.contains("█"))
    }
}
