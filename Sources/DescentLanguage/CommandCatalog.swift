// The command catalog: every command's usage, summary, example, details and completion
// keywords, read by help, "did you mean" and Tab completion.

/// Every command with its usage, a one-line summary, an example that can be typed as is, and
/// the keywords Tab completion offers after it. `help`, "did you mean" and completion read this.
public struct CommandEntry: Sendable {
    public var name: String
    public var group: String
    public var usage: String
    public var summary: String
    public var example: String
    public var details: [String]
    /// Words that may follow the command (completion).
    public var keywords: [String]
}

public enum CommandCatalog {
    public static let groups = ["values", "model", "optimizer", "stepping", "looking", "notebook"]

    /// Help topics that are not commands.
    public static let topics = ["expressions"]

    public static let entries: [CommandEntry] = [
        CommandEntry(name: "let", group: "values", usage: "let NAME = EXPR",
                     summary: "name a value: a matrix literal, a random matrix, or any expression",
                     example: "let X = [[1], [2], [3], [4]]",
                     details: ["[[1, 2], [3, 4]] is a matrix (rows); [1, 2, 3] a vector that becomes a column when used as targets.",
                               "randn(r, c), rand(r, c), zeros(r, c), ones(r, c), eye(n), and randint(n, k) (n labels from 0…k−1) draw from the seeded generator.",
                               "See 'help expressions' for operators and functions."],
                     keywords: FunctionCatalog.constructors.keys.sorted()),
        CommandEntry(name: "data", group: "values", usage: "data X, y | data xor | data circles n=200 noise=0.1 | data spiral n=300 classes=3 | data line n=50 noise=0.1 | data load \"FILE.csv\" target=last",
                     summary: "choose the training set: X is m×n, one example per row; y is the m targets",
                     example: "data circles n=200 noise=0.1",
                     details: ["circles: radius 1 (class 0) and 0.5 (class 1); spiral: CS231n's arms, noise on the angle (default 0.2);",
                               "line: y = 2x − 1 on x evenly spaced in [−1, 1], Gaussian noise on y.",
                               "data load reads numbers separated by commas, semicolons, tabs or spaces (found from the first lines; values may be quoted); a first line that is not numbers is a header. target= is last, first, a column number from 1, or a name from the header."],
                     keywords: ["xor", "circles", "spiral", "line", "load", "n=", "noise=", "classes=", "target="]),
        CommandEntry(name: "net", group: "model", usage: "net INPUTS -> WIDTH [activation] [nobias] [* COUNT] -> …",
                     summary: "build a network of dense layers and initialise it",
                     example: "net 2 -> 8 tanh -> 1 sigmoid",
                     details: ["Activations: linear (the default), sigmoid, tanh, relu, leakyrelu (slope 0.01) or leakyrelu(SLOPE).",
                               "'* 10' repeats a layer: net 8 -> 16 sigmoid * 10 -> 1 has ten hidden layers.",
                               "Layer l has weights Wl (in × out) and bias bl (1 × out); the gradients are dWl and dbl.",
                               "The weights are drawn with the current init (default: standard) from the seeded generator."],
                     keywords: Activation.allNamesForCompletion),
        CommandEntry(name: "init", group: "model", usage: "init zeros | normal std=S | uniform limit=L | standard | xavier | he",
                     summary: "re-initialise the weights (biases start at 0) and use this init for later nets",
                     example: "init xavier",
                     details: ["standard: U[−1/√n_in, 1/√n_in] (Glorot & Bengio's; PyTorch's default, and Descent's).",
                               "xavier: U[±√6/√(n_in+n_out)]", "he: N(0, 2/n_in)", "normal: N(0, S²)", "uniform: U[−L, L]"],
                     keywords: ["zeros", "normal", "uniform", "standard", "xavier", "he", "std=", "limit="]),
        CommandEntry(name: "seed", group: "model", usage: "seed N",
                     summary: "restart the random generator: the same seed gives the same numbers",
                     example: "seed 42", details: [], keywords: []),
        CommandEntry(name: "loss", group: "model", usage: "loss mse | bce | ce",
                     summary: "choose the loss: mean squared error, binary or softmax cross-entropy",
                     example: "loss mse",
                     details: ["mse: mean over all entries of (ŷ − y)².",
                               "bce: binary cross-entropy on a sigmoid output layer, mean over examples.",
                               "ce: softmax cross-entropy on a linear last layer; y holds class indices 0…k−1 or one-hot rows."],
                     keywords: ["mse", "bce", "ce"]),
        CommandEntry(name: "set", group: "model", usage: "set NAME = EXPR",
                     summary: "overwrite a weight or bias; the shape must match",
                     example: "set W1 = [[0.5]]",
                     details: ["A bias also takes a flat vector: set b1 = [0.1, 0.2]."],
                     keywords: []),
        CommandEntry(name: "optimizer", group: "optimizer", usage: "optimizer gd lr=RATE [momentum=M] [batch=full|N] [shuffle=on|off]",
                     summary: "gradient descent; options left out take their defaults",
                     example: "optimizer gd lr=0.1 momentum=0.9 batch=32",
                     details: ["Defaults: lr=0.01, momentum=0, batch=full; shuffle=on for mini-batches.",
                               "Momentum follows PyTorch: v ← μ v + g, θ ← θ − lr·v.",
                               "With batch=N the batches are consecutive rows (reshuffled each epoch with shuffle=on); the last one of an epoch may be smaller."],
                     keywords: ["gd", "lr=", "momentum=", "batch=", "shuffle=", "full", "on", "off"]),
        CommandEntry(name: "schedule", group: "optimizer", usage: "schedule fixed | exp gamma=G | step every=N gamma=G",
                     summary: "learning-rate schedule; t counts the steps already taken",
                     example: "schedule exp gamma=0.99",
                     details: ["exp: lr_t = lr·γ^t", "step: lr_t = lr·γ^⌊t/every⌋", "fixed: lr_t = lr"],
                     keywords: ["fixed", "exp", "step", "gamma=", "every="]),
        CommandEntry(name: "clip", group: "optimizer", usage: "clip norm=C | clip off",
                     summary: "clip the global gradient norm to C before the update (Pascanu et al. 2013)",
                     example: "clip norm=1.0",
                     details: ["If ‖g‖ > C then g ← g·C/‖g‖, over all parameters together. dW still shows the unclipped gradient."],
                     keywords: ["norm=", "off"]),
        CommandEntry(name: "l2", group: "optimizer", usage: "l2 LAMBDA | l2 off",
                     summary: "add the article's L2 term λ/(2m) Σ‖W‖², m = number of weights",
                     example: "l2 0.001",
                     details: ["Its gradient (λ/m)·W is added to dW; the loss shown includes the term. Biases are not penalised."],
                     keywords: ["off"]),
        CommandEntry(name: "step", group: "stepping", usage: "step [N]",
                     summary: "take one (or N) steps of gradient descent",
                     example: "step",
                     details: ["A step: next batch; forward; loss; backward (dW, db at the weights before the update); clip; update.",
                               "The summary shows the step number, the batch loss, the gradient norm ‖g‖ and the learning rate used."],
                     keywords: []),
        CommandEntry(name: "epoch", group: "stepping", usage: "epoch [N]",
                     summary: "steps to the end of the current pass over the data (N passes)",
                     example: "epoch", details: [], keywords: []),
        CommandEntry(name: "train", group: "stepping", usage: "train N | train until EXPR OP EXPR [max=N]",
                     summary: "take N steps, or step until a condition on the whole data set holds",
                     example: "train until loss < 1e-6 max=5000",
                     details: ["'loss' in the condition is the loss over the whole data set after each step; max defaults to 100000.",
                               "Training stops early when the loss or a gradient is no longer finite; Ctrl-C stops it after the current step."],
                     keywords: ["until", "loss", "max="]),
        CommandEntry(name: "back", group: "stepping", usage: "back [N]",
                     summary: "undo the last N steps: weights, velocities, step counter, loss history",
                     example: "back",
                     details: ["The last 1000 steps are kept, or as many as fit in 8 MB of weights ('limit history' changes it; 'limit' shows how many steps that is for this net)."],
                     keywords: []),
        CommandEntry(name: "reset", group: "stepping", usage: "reset",
                     summary: "put the weights back as they were at step 0 and clear the history",
                     example: "reset", details: [], keywords: []),
        CommandEntry(name: "show", group: "looking", usage: "show NAME [full] | hist NAME | weights | grads | norms | activations | loss | config",
                     summary: "print a value as a literal you can paste back, or a summary of the net",
                     example: "show W1",
                     details: ["Any expression works: show dW1 * 100, show norm(W2). Large matrices are shortened; add 'full' to see all.",
                               "show hist dW3 draws a histogram of the entries (any parameter, gradient, activation Al or expression)."],
                     keywords: ["weights", "grads", "norms", "activations", "loss", "config", "full", "hist"]),
        CommandEntry(name: "plot", group: "looking", usage: "plot norms | plot loss | plot boundary | plot neurons L",
                     summary: "chart the steps so far (‖dW‖ per layer, the loss), or the net over 2-feature data",
                     example: "plot norms",
                     details: ["plot norms shades each layer's gradient norm at every step (log scale), input layer on top:",
                               "a vanishing gradient is a pale top row, an exploding one a dark row.",
                               "plot boundary (2-feature data): the net's output over the data's range plus 10% on each side, with the points on it:",
                               "P(class 1) for loss bce, the arg-max class for loss ce, the value for loss mse.",
                               "plot neurons L: one small map per unit of layer L (1-based, as in W1; the output layer too), each unit's activation over the same plane."],
                     keywords: PlotKind.words),
        CommandEntry(name: "predict", group: "looking", usage: "predict EXPR",
                     summary: "run the network forward on some rows",
                     example: "predict [[5]]", details: [], keywords: []),
        CommandEntry(name: "watch", group: "looking", usage: "watch grads | weights | norms | off",
                     summary: "print gradients, weights or norms after every step",
                     example: "watch grads", details: [], keywords: ["grads", "weights", "norms", "off"]),
        CommandEntry(name: "precision", group: "looking", usage: "precision N",
                     summary: "significant digits shown (1–17; 17 shows every digit, enough to round-trip)",
                     example: "precision 17", details: [], keywords: []),
        CommandEntry(name: "threads", group: "looking", usage: "threads N",
                     summary: "threads OpenBLAS may use for matrix products (default 1, or OPENBLAS_NUM_THREADS)",
                     example: "threads 2",
                     details: ["More threads help only big products (hundreds of rows and units); the results stay the same to rounding."],
                     keywords: []),
        CommandEntry(name: "limit", group: "looking", usage: "limit memory N KB|MB|GB|TB | limit history N KB|MB|GB|TB | limit",
                     summary: "the most memory one matrix, data set or network may take (default: a quarter of RAM), and back's history (default 8 MB)",
                     example: "limit history 64 MB",
                     details: ["memory: anything larger is refused with the size it would need, instead of running out of memory.",
                               "history: back keeps the last 1000 steps, or as many copies of the weights and biases as fit in this much",
                               "(always at least one; velocities take as much again while momentum is on)."],
                     keywords: ["memory", "history", "KB", "MB", "GB"]),
        CommandEntry(name: "gradcheck", group: "looking", usage: "gradcheck",
                     summary: "compare backprop with finite differences, layer by layer",
                     example: "gradcheck", details: ["On the whole data set, each entry by two central differences (h = 1e-5, and a fourth-order one with",
                               "h = 1e-3, which is exact enough for tiny gradients), keeping the closer to backprop;",
                               "per layer, ‖backprop − numeric‖ / (‖backprop‖ + ‖numeric‖) below 1e-6 is a pass."],
                     keywords: []),
        CommandEntry(name: "explain", group: "looking", usage: "explain dWl | dbl | Wl | bl",
                     summary: "show how the last step produced a gradient or weight, with its numbers",
                     example: "explain dW1",
                     details: ["For the article's one-weight example the sum is written out term by term.",
                               "For deeper layers: the chain rule from the loss down, one factor per layer, split into the weights' share and the activation derivative's share, so you see which factor made it vanish."],
                     keywords: []),
        CommandEntry(name: "expect", group: "looking", usage: "expect EXPR OP EXPR [tol=T]",
                     summary: "check a fact; a false one is an error (scripts stop there)",
                     example: "expect loss < 0.01",
                     details: ["OP is < <= > >= == ~= and compares entry by entry.",
                               "a ~= b holds when every |a − b| ≤ T·(1 + |b|); T defaults to 1e-9."],
                     keywords: ["loss", "lr", "step", "tol="]),
        CommandEntry(name: "history", group: "notebook", usage: "history",
                     summary: "list this session's cells", example: "history", details: [], keywords: []),
        CommandEntry(name: "rerun", group: "notebook", usage: "rerun N",
                     summary: "run cell N again", example: "rerun 3", details: [], keywords: []),
        CommandEntry(name: "save", group: "notebook", usage: "save \"FILE.descent\"",
                     summary: "write this session's cells as a script", example: "save \"session.descent\"", details: [], keywords: []),
        CommandEntry(name: "run", group: "notebook", usage: "run \"FILE.descent\"",
                     summary: "replay a script inside this session", example: "run \"session.descent\"", details: [], keywords: []),
        CommandEntry(name: "export", group: "notebook", usage: "export \"FILE.ipynb\" | \"FILE.md\" | \"FILE.html\"",
                     summary: "write the session as a notebook", example: "export \"notebook.ipynb\"", details: [], keywords: []),
        CommandEntry(name: "lessons", group: "notebook", usage: "lessons",
                     summary: "list the lessons", example: "lessons", details: [], keywords: []),
        CommandEntry(name: "lesson", group: "notebook", usage: "lesson N | lesson off | lesson off keep",
                     summary: "start lesson N, or leave lesson mode", example: "lesson 1",
                     details: ["A lesson starts from an empty session and puts yours aside: 'lesson off' gives it back as it was; 'lesson off keep' keeps the lesson's net, data and settings instead.",
                               "In a lesson, Enter runs the offered command, 'next' skips it, and anything you type runs as usual."],
                     keywords: ["off", "keep"]),
        CommandEntry(name: "next", group: "notebook", usage: "next",
                     summary: "skip to the next cell of the lesson", example: "next", details: [], keywords: []),
        CommandEntry(name: "help", group: "notebook", usage: "help [COMMAND]",
                     summary: "list the commands, or explain one", example: "help step", details: [], keywords: []),
        CommandEntry(name: "quit", group: "notebook", usage: "quit",
                     summary: "leave Descent (Ctrl-D does too)", example: "quit", details: [], keywords: []),
    ]

    public static var names: [String] { entries.map(\.name) }

    public static func entry(named name: String) -> CommandEntry? {
        entries.first { $0.name == name } ?? (name == "exit" ? entries.first { $0.name == "quit" } : nil)
    }

    /// The `help expressions` text.
    /// `help expressions`: a heading, then (term, text) pairs, wrapped by the renderer.
    public static let expressionHelpTitle = "Expressions (expect, let, set, show, predict, train until):"
    public static let expressionHelp: [(term: String, text: String)] = [
        ("values", "numbers 0.5, -3, 1e-6; matrices [[1, 2], [3, 4]]; vectors [1, 2, 3]"),
        ("names", "loss (whole data set, now), losses (each step's batch loss so far), lr (the next step's rate), step, epoch, X, y, Wl, bl, dWl, dbl (l = layer, from 1), Al and Zl (layer l's activations and pre-activations on the whole data set; A0 is X), and your let variables"),
        ("operators", "+ - * / ^ entry by entry (a scalar or a row broadcasts), @ matrix product"),
        ("functions", FunctionCatalog.unary.keys.sorted().joined(separator: " ")),
        ("makers", FunctionCatalog.constructors.keys.sorted().map { "\($0)(…)" }.joined(separator: " ")),
    ]
}

import DescentCore

extension Activation {
    /// Activation names as completion offers them.
    public static var allNamesForCompletion: [String] { allNames + ["nobias"] }
}
