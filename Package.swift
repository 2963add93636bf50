// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Descent",
    products: [
        .executable(name: "descent", targets: ["descent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // libedit, through its readline-compatible header (see Sources/CEditLine/shim.h).
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"]), .brew(["libedit"])]
        ),
        // C: elementwise kernels (e^x, the sigmoid), vectorised with AVX2 where the CPU has it,
        // and OpenBLAS's dgemm, opened on first use (Debian: libopenblas-dev). Optimised even
        // in debug builds; -ffp-contract=off keeps the bits the same whichever path runs.
        .target(
            name: "CKernels",
            cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off", "-fno-math-errno"])],
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]
        ),
        // Numerics: matrices, layers, losses, optimizers. No I/O. Optimised in debug builds too:
        // the tests replay every lesson, and unoptimised Swift loops make that 50× slower.
        // (The numerics' results are the same: Swift does not reassociate floating point.)
        .target(name: "DescentCore", dependencies: ["CKernels"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // The command language: lexer, parser, commands, diagnostics.
        .target(name: "DescentLanguage", dependencies: ["DescentCore"]),
        // The session: its state, one method per command, evaluation, undo, lessons, scripts.
        // It returns Output values and formats for no medium.
        .target(name: "DescentSession", dependencies: ["DescentCore", "DescentLanguage"]),
        // Output → terminal text and SVG: one number format, text wrapped at render time.
        .target(name: "DescentRendering", dependencies: ["DescentCore", "DescentLanguage", "DescentSession"]),
        // Exporters: a session's cells as .ipynb, .md and .html.
        .target(name: "DescentNotebook", dependencies: ["DescentCore", "DescentLanguage", "DescentSession", "DescentRendering"]),
        // The thin executable: argument parsing, line editor, main loop.
        .executableTarget(
            name: "descent",
            dependencies: [
                "DescentSession", "DescentLanguage", "DescentRendering", "DescentNotebook", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Random programs and the invariants every input must keep (fuzzing; not shipped).
        .target(name: "DescentFuzzing", dependencies: ["DescentSession", "DescentLanguage", "DescentCore", "DescentRendering", "DescentNotebook"]),
        .executableTarget(name: "descent-fuzz", dependencies: ["DescentFuzzing"]),
        .testTarget(name: "DescentCoreTests", dependencies: ["DescentCore", "CKernels"]),
        .testTarget(name: "DescentLanguageTests", dependencies: ["DescentLanguage"]),
        .testTarget(
            name: "DescentSessionTests",
            dependencies: ["DescentSession", "DescentRendering", "DescentNotebook", "DescentFuzzing"],
            exclude: ["Golden", "FuzzCorpus"],
            resources: [.copy("Scripts")]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["DescentSession"], exclude: ["Transcripts", "TorchExport"]),
    ]
)
