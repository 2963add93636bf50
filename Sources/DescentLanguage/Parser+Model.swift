// Parsing let, data, net, init, seed, loss and set.
import DescentCore

/// `let`, `data`, `net`, `init`, `seed`, `loss`, `set`.
extension Parser {
    mutating func parseLet() throws(Diagnostic) -> Command {
        let name = try variableName(for: "let", example: "let X = [[1], [2]]")
        _ = try expect(.equals, "'=' after the name", suggestion: "e.g. 'let \(name.value) = [1, 2, 3]'")
        return .letBinding(name: name, value: try expression())
    }

    mutating func parseSet() throws(Diagnostic) -> Command {
        let name = try variableName(for: "set", example: "set W1 = [[0.5]]")
        _ = try expect(.equals, "'=' after the name", suggestion: "e.g. 'set \(name.value) = [[0.5]]'")
        return .set(name: name, value: try expression())
    }

    private mutating func variableName(for command: String, example: String) throws(Diagnostic) -> Located<String> {
        guard let name = current.identifier else {
            throw Diagnostic("\(command) needs a name, found \(current.quoted)", at: current.range, suggestion: "e.g. '\(example)'")
        }
        return Located(name, at: advance().range)
    }

    mutating func parseData() throws(Diagnostic) -> Command {
        let kinds = ["xor", "circles", "spiral", "line", "load"]
        guard let first = current.identifier else {
            throw Diagnostic("data needs the variables X, y or a data set (\(kinds.joined(separator: ", ")))", at: current.range,
                             suggestion: "e.g. 'data X, y' or 'data circles n=200 noise=0.1'")
        }
        let firstToken = advance()
        if current.kind == .comma {
            advance()
            guard let second = current.identifier else {
                throw Diagnostic("expected the name of the targets after ',', found \(current.quoted)", at: current.range,
                                 suggestion: "e.g. 'data X, y'")
            }
            let secondToken = advance()
            return .data(.variables(x: Located(first, at: firstToken.range), y: Located(second, at: secondToken.range)))
        }
        switch first {
        case "xor":
            return .data(.xor)
        case "circles":
            let o = try options(allowed: ["n", "noise"], for: "data circles")
            return .data(.circles(n: try o.integer("n", minimum: 2) ?? 200, noise: try o.number("noise", nonNegative: true) ?? 0.1))
        case "spiral":
            let o = try options(allowed: ["n", "classes", "noise"], for: "data spiral")
            let classes = try o.integer("classes", minimum: 2) ?? 3
            let n = try o.integer("n", minimum: classes) ?? 300
            return .data(.spiral(n: n, classes: classes, noise: try o.number("noise", nonNegative: true) ?? 0.2))
        case "line":
            let o = try options(allowed: ["n", "noise"], for: "data line")
            return .data(.line(n: try o.integer("n", minimum: 1) ?? 50, noise: try o.number("noise", nonNegative: true) ?? 0.1))
        case "load":
            let file = try path(for: "data load", example: "data load \"points.csv\" target=last")
            let o = try options(allowed: ["target"], for: "data load")
            var target = CSVTarget.last
            if let value = o.values["target"] {
                switch value.value {
                case .word("last"): target = .last
                case .word("first"): target = .first
                case .number(let x) where x == x.rounded() && x >= 1 && x < 1e9: target = .column(Int(x))
                case .word(let name), .string(let name): target = .name(name)
                default:
                    throw Diagnostic("target= takes last, first, a column number (from 1) or a header name", at: value.range)
                }
            }
            return .data(.load(path: file, target: target))
        default:
            throw Diagnostic("unknown data set '\(first)'", at: firstToken.range,
                             suggestion: Suggestions.didYouMean(first, in: kinds)
                                ?? "for your own variables write 'data \(first), y'; built in: \(kinds.joined(separator: ", "))")
        }
    }

    /// `split test=F` or `split off`.
    mutating func parseSplit() throws(Diagnostic) -> Command {
        if current.identifier == "off" {
            advance()
            return .split(nil)
        }
        let o = try options(allowed: ["test"], for: "split")
        try o.require("test", for: "split", example: "split test=0.25", at: current.range)
        let fraction = try o.number("test", positive: true)!
        guard fraction < 1 else {
            throw Diagnostic("test= is the share of rows held out, below 1, got \(NumberFormat.short(fraction))", at: o.values["test"]!.range,
                             suggestion: "e.g. 'split test=0.25'")
        }
        return .split(fraction)
    }

    /// `scale standard | minmax | off`.
    mutating func parseScale() throws(Diagnostic) -> Command {
        let kind = try word(from: FeatureScaling.allCases.map(\.rawValue).reversed(), what: "scaling", example: "scale standard")
        return .scale(FeatureScaling(rawValue: kind.value)!)
    }

    mutating func parseNet() throws(Diagnostic) -> Command {
        let inputs = try integer(what: "the number of inputs", minimum: 1)
        var layers: [LayerSpec] = []
        guard current.kind == .arrow else {
            throw Diagnostic("expected '->' and a layer after the input width, found \(current.quoted)", at: current.range,
                             suggestion: "e.g. 'net \(inputs) -> 8 tanh -> 1'")
        }
        var resRanges: [SourceRange?] = []
        while match(.arrow) {
            let start = current.range
            layers.append(try layerSpec())
            resRanges.append(layers.last!.residual ? start.through(tokens[max(index - 1, 0)].range) : nil)
        }
        // A residual layer adds its input to its output: the widths must agree, and the output
        // layer, whose activation the loss works with, cannot be one.
        var width = inputs
        for (i, spec) in layers.enumerated() {
            if let range = resRanges[i] {
                if i == layers.count - 1 {
                    throw Diagnostic("the output layer cannot be res (the loss reads its activation directly)", at: range,
                                     suggestion: "add a layer after it, e.g. '-> 1'")
                }
                if spec.width != width {
                    throw Diagnostic("res adds a layer's input to its output, so their widths must be equal; this layer takes \(width) and gives \(spec.width)",
                                     at: range, suggestion: "e.g. '-> \(width) tanh res'")
                }
            }
            width = spec.width
        }
        return .net(Architecture(inputs: inputs, layers: layers))
    }

    /// `WIDTH` then, in any order, `[activation] [bn] [res] [nobias]`, then `[* COUNT]`
    private mutating func layerSpec() throws(Diagnostic) -> LayerSpec {
        guard current.number != nil else {
            throw Diagnostic("expected a layer width after '->', found \(current.quoted)", at: current.range,
                             suggestion: "a layer is WIDTH [bn] [activation] [res] [nobias] [* COUNT], e.g. '16 relu'")
        }
        var spec = LayerSpec(width: try integer(what: "a layer width", minimum: 1))
        var sawActivation = false
        while let word = current.identifier {
            let token = advance()
            if word == "nobias" || word == "bn" || word == "res" {
                let already = word == "nobias" ? !spec.hasBias : word == "bn" ? spec.batchNorm : spec.residual
                if already { throw Diagnostic("'\(word)' is given twice for this layer", at: token.range) }
                if word == "nobias" { spec.hasBias = false } else if word == "bn" { spec.batchNorm = true } else { spec.residual = true }
                continue
            }
            if sawActivation {
                throw Diagnostic("a layer has one activation; '\(word)' is a second", at: token.range)
            }
            sawActivation = true
            spec.activation = try activation(word, token: token)
        }
        if match(.star) {
            spec.count = try integer(what: "the number of layers after '*'", minimum: 1)
        }
        if !atEnd && current.kind != .arrow {
            throw Diagnostic("expected '->' or the end of the line after the layer, found \(current.quoted)", at: current.range,
                             suggestion: "a layer is WIDTH [bn] [activation] [res] [nobias] [* COUNT]")
        }
        return spec
    }

    private mutating func activation(_ word: String, token: Token) throws(Diagnostic) -> Activation {
        switch word {
        case "linear": return .linear
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        case "relu": return .relu
        case "leakyrelu":
            if match(.leftParen) {
                let slope = try number(what: "the slope of leakyrelu")
                _ = try expect(.rightParen, "')' after the slope")
                return .leakyReLU(slope: slope.value)
            }
            return .leakyReLU(slope: Activation.defaultLeakySlope)
        case "batchnorm", "batch_norm", "bnorm", "norm":
            throw Diagnostic("unknown layer keyword '\(word)'", at: token.range, suggestion: "batch normalisation is 'bn'")
        case "residual", "skip", "shortcut":
            throw Diagnostic("unknown layer keyword '\(word)'", at: token.range, suggestion: "a residual layer is 'res'")
        default:
            throw Diagnostic("unknown activation '\(word)'", at: token.range,
                             suggestion: Suggestions.didYouMean(word, in: Activation.allNames + ["nobias", "bn", "res"])
                                ?? "activations: \(Activation.allNames.joined(separator: ", "))")
        }
    }

    mutating func parseInit() throws(Diagnostic) -> Command {
        let kind = try word(from: Initializer.allNames, what: "initialiser", example: "init xavier")
        switch kind.value {
        case "zeros": return .initialize(.zeros)
        case "normal":
            let o = try options(allowed: ["std"], for: "init normal")
            try o.require("std", for: "init normal", example: "init normal std=0.01", at: kind.range)
            return .initialize(.normal(std: try o.number("std", nonNegative: true)!))
        case "uniform":
            let o = try options(allowed: ["limit"], for: "init uniform")
            try o.require("limit", for: "init uniform", example: "init uniform limit=0.5", at: kind.range)
            return .initialize(.uniform(limit: try o.number("limit", nonNegative: true)!))
        case "standard": return .initialize(.standard)
        case "xavier": return .initialize(.xavier)
        default: return .initialize(.he)
        }
    }

    mutating func parseSeed() throws(Diagnostic) -> Command {
        let n = try number(what: "a seed (a whole number)")
        guard n.value == n.value.rounded(), n.value >= 0, n.value < 9.0e15 else {
            throw Diagnostic("a seed is a whole number from 0 to 9e15, got '\(NumberFormat.short(n.value))'", at: n.range)
        }
        return .seed(UInt64(n.value))
    }

    mutating func parseLoss() throws(Diagnostic) -> Command {
        // `loss` alone asks for the loss now (what a learner types to see it), as `show loss + 0`
        // would print it; `show loss` draws the chart.
        if atEnd { return .show(.value(.name("loss", tokens[index - 1].range), full: false)) }
        // The names other tools use: cross-entropy is bce with one sigmoid output, ce with a
        // softmax over classes; squared error is mse.
        if let name = current.identifier?.lowercased() {
            let crossEntropy = ["cross", "crossentropy", "cross_entropy", "xent", "logloss", "log", "binary", "bcewithlogits",
                                "categorical", "softmax", "nll", "binary_crossentropy", "categorical_crossentropy"]
            let squared = ["l2", "squared", "mean", "mean_squared_error", "meansquared", "quadratic", "msel"]
            let token = current
            let typed = text(from: index, to: tokens.count - 2)
            let span = token.range.through(tokens[tokens.count - 2].range)
            if crossEntropy.contains(name) {
                throw Diagnostic("unknown loss '\(typed)'", at: span,
                                 suggestion: "cross-entropy is 'loss bce' (two classes, one sigmoid output) or 'loss ce' (k classes, softmax over k linear outputs)")
            }
            if squared.contains(name) {
                throw Diagnostic("unknown loss '\(typed)'", at: span, suggestion: "squared error is 'loss mse'")
            }
        }
        let kind = try word(from: LossKind.allCases.map(\.rawValue), what: "loss", example: "loss mse")
        return .loss(LossKind(rawValue: kind.value)!)
    }
}
