// Parsing optimizer, schedule, clip and l2.
import DescentCore

/// `optimizer`, `schedule`, `clip`, `l2`.
extension Parser {
    mutating func parseOptimizer() throws(Diagnostic) -> Command {
        guard let name = current.identifier else {
            throw Diagnostic("optimizer needs a name", at: current.range, suggestion: "e.g. 'optimizer gd lr=0.01'")
        }
        let nameToken = advance()
        let own: [String]
        switch name {
        case "gd": own = ["momentum"]
        case "adam": own = ["beta1", "beta2", "eps"]
        case "rmsprop": own = ["alpha", "eps", "momentum"]
        default:
            let hint = ["sgd", "momentum"].contains(name.lowercased())
                ? "SGD is 'gd' (with momentum=… if wanted)"
                : Suggestions.didYouMean(name, in: ["gd", "adam", "rmsprop"]) ?? "the optimizers are gd, adam and rmsprop"
            throw Diagnostic("unknown optimizer '\(name)'", at: nameToken.range, suggestion: hint)
        }
        let o = try options(allowed: ["lr"] + own + ["batch", "shuffle"], for: "optimizer \(name)")
        let defaultRate = name == "adam" ? 0.001 : 0.01
        func fraction(_ key: String, _ fallback: Double, usual: String) throws(Diagnostic) -> Double {
            guard let value = try o.number(key, nonNegative: true) else { return fallback }
            guard value < 1 else {
                throw Diagnostic("\(key) must be below 1 (\(usual) is usual), got \(NumberFormat.short(value))", at: o.values[key]!.range)
            }
            return value
        }
        let rule: OptimizerKind
        switch name {
        case "adam":
            rule = .adam(beta1: try fraction("beta1", 0.9, usual: "0.9"), beta2: try fraction("beta2", 0.999, usual: "0.999"),
                         eps: try o.number("eps", positive: true) ?? 1e-8)
        case "rmsprop":
            rule = .rmsprop(alpha: try fraction("alpha", 0.99, usual: "0.99"), eps: try o.number("eps", positive: true) ?? 1e-8,
                            momentum: try fraction("momentum", 0, usual: "0.9"))
        default:
            rule = .gd(momentum: try fraction("momentum", 0, usual: "0.9"))
        }
        var settings = OptimizerSettings(learningRate: try o.number("lr", positive: true) ?? defaultRate, rule: rule,
                                         given: Set(o.values.keys))
        if let batch = o.values["batch"] {
            switch batch.value {
            case .word("full"): settings.batch = .full
            case .number: settings.batch = .rows(try o.integer("batch", minimum: 1)!)
            default: throw Diagnostic("batch= takes full or a number of rows", at: batch.range, suggestion: "e.g. batch=32")
            }
        }
        if let shuffle = try o.word("shuffle", from: ["on", "off"]) {
            settings.shuffle = shuffle.value == "on"
        }
        return .optimizer(settings)
    }

    mutating func parseSchedule() throws(Diagnostic) -> Command {
        let kind = try word(from: ["fixed", "exp", "step"], what: "schedule", example: "schedule exp gamma=0.99")
        switch kind.value {
        case "fixed":
            return .schedule(.fixed)
        case "exp":
            let o = try options(allowed: ["gamma"], for: "schedule exp")
            try o.require("gamma", for: "schedule exp", example: "schedule exp gamma=0.99", at: kind.range)
            return .schedule(.exponential(gamma: try o.number("gamma", positive: true)!))
        default:
            let o = try options(allowed: ["every", "gamma"], for: "schedule step")
            try o.require("every", for: "schedule step", example: "schedule step every=100 gamma=0.5", at: kind.range)
            try o.require("gamma", for: "schedule step", example: "schedule step every=100 gamma=0.5", at: kind.range)
            return .schedule(.step(every: try o.integer("every", minimum: 1)!, gamma: try o.number("gamma", positive: true)!))
        }
    }

    mutating func parseClip() throws(Diagnostic) -> Command {
        if current.identifier == "off" {
            advance()
            return .clip(nil)
        }
        let o = try options(allowed: ["norm"], for: "clip")
        guard let norm = try o.number("norm", positive: true) else {
            throw Diagnostic("clip needs norm=… or off", at: current.range, suggestion: "e.g. 'clip norm=1.0'")
        }
        return .clip(norm)
    }

    mutating func parseL2() throws(Diagnostic) -> Command {
        if current.identifier == "off" {
            advance()
            return .l2(nil)
        }
        guard current.number != nil || current.kind == .minus else {
            throw Diagnostic("l2 needs λ or off, found \(current.quoted)", at: current.range, suggestion: "e.g. 'l2 0.001'")
        }
        let lambda = try number(what: "λ")
        guard lambda.value >= 0 else { throw Diagnostic("λ must not be negative, got \(NumberFormat.short(lambda.value))", at: lambda.range) }
        return .l2(lambda.value == 0 ? nil : lambda.value)
    }
}
