// descent-fuzz: a generative fuzzer for Descent's lexer, parser and session.
//
//   swift build --sanitize=address --product descent-fuzz
//   .build/debug/descent-fuzz --seconds 1800 --seed 1 --corpus Tests/DescentSessionTests/FuzzCorpus
//
// Runs random programs (see ProgramGenerator) through FuzzHarness until the time is up. A
// crash ends the process (the sanitizer or the runtime prints why); the program being run is
// always in fuzz-last-input.descent. Programs that produce error messages not seen before
// are written to the corpus folder, which a regular test replays.
import DescentFuzzing
import Foundation

var seconds = 60.0, seed: UInt64 = 1, corpusFolder: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--seconds": seconds = Double(arguments.next() ?? "") ?? seconds
    case "--seed": seed = UInt64(arguments.next() ?? "") ?? seed
    case "--corpus": corpusFolder = arguments.next()
    default:
        FileHandle.standardError.write(Data("usage: descent-fuzz [--seconds N] [--seed S] [--corpus DIR]\n".utf8))
        exit(2)
    }
}

var corpus: [String] = []
if let corpusFolder, let files = try? FileManager.default.contentsOfDirectory(atPath: corpusFolder) {
    for file in files where file.hasSuffix(".descent") {
        if let text = try? String(contentsOfFile: corpusFolder + "/" + file, encoding: .utf8) {
            corpus += text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        }
    }
}
var generator = ProgramGenerator(seed: seed, corpus: corpus)
var seen = Set<String>()
let started = Date()
var programs = 0, saved = 0
let lastInput = URL(fileURLWithPath: "fuzz-last-input.descent")
while Date().timeIntervalSince(started) < seconds {
    let program = generator.program()
    try? program.joined(separator: "\n").write(to: lastInput, atomically: false, encoding: .utf8)
    do {
        let messages = try FuzzHarness.run(program)
        programs += 1
        let new = messages.filter { seen.insert($0).inserted }
        if !new.isEmpty, let corpusFolder {
            let name = "\(corpusFolder)/seed\(seed)-\(programs).descent"
            try? ("# new: " + new.joined(separator: " | ") + "\n" + program.joined(separator: "\n") + "\n")
                .write(toFile: name, atomically: true, encoding: .utf8)
            saved += 1
        }
    } catch {
        print("VIOLATION after \(programs) programs: \(error)")
        exit(1)
    }
    if programs % 2000 == 0 {
        print("\(programs) programs, \(seen.count) distinct errors, \(Int(Date().timeIntervalSince(started))) s")
    }
}
print("done: \(programs) programs in \(Int(seconds)) s, \(seen.count) distinct errors, \(saved) saved, no crash, hang or broken atomicity")
