import DescentCore
import DescentLanguage

/// Random programs for fuzzing the lexer, parser and session: commands built from the
/// grammar with random (often extreme) arguments, lines from a corpus with random edits, and
/// plain noise. Drawn from Descent's seeded generator, so a run is reproducible from its seed.
public struct ProgramGenerator {
    var random: RandomSource
    public var corpus: [String]

    public init(seed: UInt64, corpus: [String]) {
        random = RandomSource(seed: seed)
        self.corpus = corpus.isEmpty ? ["step"] : corpus
    }

    mutating func pick<T>(_ items: [T]) -> T { items[random.integer(below: items.count)] }
    mutating func chance(_ p: Double) -> Bool { random.uniform() < p }

    static let numbers = ["0", "-0", "1", "-1", "2", "0.5", "1e-6", "1e308", "1e-320", "-1e308", "3", "16", "1000",
                          "999999999", "0.1", "7", "2.5e-3", "nan", "inf", "-inf"]
    static let names = ["X", "y", "W1", "b1", "dW1", "db1", "W2", "dW2", "W9", "loss", "losses", "testlosses", "lr", "step", "epoch", "A1", "Z1", "A0", "a", "M", "pi"]
    static let junk: [Character] = ["[", "]", "(", ")", ",", "=", "-", ">", "*", "/", "^", "@", "\"", "~", "#", " ", "\t",
                                    "−", "×", "→", "≤", "≈", "÷", "é", "\u{0}", "\u{7}", "\u{1B}", "\u{A0}", "５", "😀", "e", "."]

    mutating func number() -> String { chance(0.7) ? pick(ProgramGenerator.numbers) : String(random.integer(below: 40)) }

    mutating func expression(depth: Int = 0) -> String {
        switch random.integer(below: depth > 2 ? 3 : 8) {
        case 0: return number()
        case 1: return pick(ProgramGenerator.names)
        case 2:
            let r = 1 + random.integer(below: 3), c = 1 + random.integer(below: 3)
            return "[" + (0..<r).map { _ in "[" + (0..<c).map { _ in number() }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        case 3: return "[" + (0..<(1 + random.integer(below: 4))).map { _ in number() }.joined(separator: ", ") + "]"
        case 4: return "\(pick(["norm", "mean", "max", "min", "sum", "std", "abs", "sqrt", "exp", "log", "sigmoid", "transpose", "forward", "rows", "eigvals"]))(\(expression(depth: depth + 1)))"
        case 5: return "\(pick(["randn", "rand", "zeros", "ones", "randint"]))(\(random.integer(below: 5)), \(random.integer(below: 5)))"
        case 6: return "\(expression(depth: depth + 1)) \(pick(["+", "-", "*", "/", "^", "@"])) \(expression(depth: depth + 1))"
        default: return "-(\(expression(depth: depth + 1)))"
        }
    }

    mutating func layer() -> String {
        var s = String(1 + random.integer(below: chance(0.9) ? 6 : 40))
        if chance(0.7) { s += " " + pick(["linear", "sigmoid", "tanh", "relu", "leakyrelu", "leakyrelu(0.2)", "sigmod"]) }
        if chance(0.2) { s += " nobias" }
        if chance(0.15) { s += " bn" }
        if chance(0.15) { s += " res" }
        if chance(0.2) { s += " * \(1 + random.integer(below: chance(0.9) ? 4 : 300))" }
        return s
    }

    /// One command line from the grammar.
    mutating func command() -> String {
        switch random.integer(below: 30) {
        case 0: return "let \(pick(["a", "M", "X", "y", "Q"])) = \(expression())"
        case 1: return pick(["data xor", "data X, y", "data circles n=\(random.integer(below: 50)) noise=\(number())",
                             "data spiral n=\(random.integer(below: 40)) classes=\(random.integer(below: 5))", "data line n=\(random.integer(below: 30))",
                             "data load \"/nonexistent.csv\""])
        case 2, 3: return "net \(1 + random.integer(below: 4))" + (0..<(1 + random.integer(below: 4))).map { _ in " -> " + layer() }.joined()
        case 4: return "init " + pick(["zeros", "normal std=\(number())", "uniform limit=\(number())", "standard", "xavier", "he"])
        case 5: return "seed \(random.integer(below: 100))"
        case 6: return "loss " + pick(["mse", "bce", "ce"])
        case 7: return "set \(pick(["W1", "b1", "W2", "b2", "dW1", "W3", "scale1", "shift2", "runvar1", "dscale1"])) = \(expression())"
        case 8: return "optimizer gd lr=\(number())" + (chance(0.4) ? " momentum=\(pick(["0", "0.5", "0.9", "0.99"]))" : "") + (chance(0.4) ? " batch=\(pick(["full", "1", "2", "3", "100"]))" : "") + (chance(0.3) ? " shuffle=\(pick(["on", "off"]))" : "")
        case 9: return pick(["schedule fixed", "schedule exp gamma=\(number())", "schedule step every=\(1 + random.integer(below: 5)) gamma=\(number())"])
        case 10: return pick(["clip norm=\(number())", "clip off", "l2 \(number())", "l2 off"])
        case 11, 12, 13: return pick(["step", "step \(1 + random.integer(below: 30))", "epoch", "epoch \(1 + random.integer(below: 3))", "train \(1 + random.integer(below: 50))"])
        case 14: return "train until \(expression()) \(pick(["<", ">", "<=", "~="])) \(number()) max=\(1 + random.integer(below: 50))"
        case 15: return pick(["back", "back \(1 + random.integer(below: 5))", "reset"])
        case 16: return "show " + pick(["weights", "grads", "norms", "activations", "loss", "config", expression(), "hist \(expression())", "\(expression()) full"])
        case 17: return "predict \(expression())"
        case 18: return "watch " + pick(["grads", "weights", "norms", "off"])
        case 19: return "precision \(random.integer(below: 20))"
        case 20: return "gradcheck"
        case 21: return "expect \(expression()) \(pick(["<", "<=", ">", ">=", "==", "~="])) \(expression())" + (chance(0.3) ? " tol=\(number())" : "")
        case 22: return "explain \(pick(["dW1", "db1", "W1", "b2", "dW2", "W5", "x"]))"
        case 23: return "plot " + pick(["norms", "loss", "boundary", "neurons \(random.integer(below: 4))"])
        case 24: return pick(["history", "rerun \(1 + random.integer(below: 10))", "help", "help \(pick(CommandCatalog.names))", "lessons", "next", "lesson off"])
        case 25: return "limit memory \(1 + random.integer(below: 64)) MB"
        case 26: return pick(["optimizer adam lr=\(number())" + (chance(0.3) ? " beta1=\(number()) beta2=\(number())" : "") + (chance(0.3) ? " eps=\(number())" : ""),
                              "optimizer rmsprop lr=\(number())" + (chance(0.3) ? " alpha=\(number())" : "") + (chance(0.3) ? " momentum=\(number())" : "")])
                + (chance(0.3) ? " batch=\(pick(["full", "1", "2", "3"]))" : "")
        case 27: return pick(["split test=\(number())", "split off", "scale standard", "scale minmax", "scale off"])
        case 28: return pick(["show optimizer", "show Xtest", "expect accuracy \(pick(["<", ">"])) \(number())",
                              "expect loss(Xtest, ytest) > 0", "show colmean(X)", "show colstd(\(expression()))", "show runmean1"])
        default: return pick(corpus)
        }
    }

    /// A line with a few random edits: characters inserted, deleted, repeated or replaced.
    mutating func mutate(_ line: String) -> String {
        var chars = Array(line)
        for _ in 0..<(1 + random.integer(below: 4)) {
            let position = chars.isEmpty ? 0 : random.integer(below: chars.count + 1)
            switch random.integer(below: 5) {
            case 0: chars.insert(pick(ProgramGenerator.junk), at: position)
            case 1: if position < chars.count { chars.remove(at: position) }
            case 2: if position < chars.count { chars.insert(chars[position], at: position) }
            case 3: if position < chars.count { chars[position] = pick(ProgramGenerator.junk) }
            default: chars.insert(contentsOf: Array(" " + number()), at: position)
            }
        }
        return String(chars)
    }

    /// A program of a few lines.
    public mutating func program() -> [String] {
        (0..<(1 + random.integer(below: 10))).map { _ in
            switch random.integer(below: 10) {
            case 0...5: return command()
            case 6, 7: return mutate(chance(0.5) ? command() : pick(corpus))
            case 8: return pick(corpus)
            default: return String((0..<random.integer(below: 30)).map { _ in pick(ProgramGenerator.junk) })
            }
        }
    }
}
