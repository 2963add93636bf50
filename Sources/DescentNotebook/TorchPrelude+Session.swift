// The prelude's session: layers as Descent keeps them, what the commands set, the values
// expressions name (W1, dW1, A1, loss, …).

extension TorchPrelude {
    static let session = #"""
ACTIVATIONS = {"linear": lambda z, slope: z, "sigmoid": lambda z, slope: torch.sigmoid(z),
               "tanh": lambda z, slope: torch.tanh(z), "relu": lambda z, slope: torch.relu(z),
               "leakyrelu": lambda z, slope: F.leaky_relu(z, slope)}


class Layer:
    """A = f(A_prev·W + b), W in×out and b 1×out as Descent keeps them; with batch norm Z is
    normalised, scaled and shifted before f; a residual layer adds its input."""

    def __init__(self, W, b, activation, batchnorm=None, residual=False, slope=0.01):
        self.W = W.clone().requires_grad_(True)
        self.slope = slope
        self.b = None if b is None else b.clone().requires_grad_(True)
        self.activation, self.residual = activation, residual
        self.bn = batchnorm is not None
        if self.bn:
            scale, shift, runmean, runvar = batchnorm
            self.scale, self.shift = scale.clone().requires_grad_(True), shift.clone().requires_grad_(True)
            self.runmean, self.runvar = runmean.clone(), runvar.clone()

    def parameters(self):
        return [self.W] + ([self.b] if self.b is not None else []) + ([self.scale, self.shift] if self.bn else [])


class Session:
    """Descent's session in PyTorch: the data, the layers, the settings and the steps."""

    def __init__(self):
        self.X = self.y = self.Xtest = self.ytest = None
        self.layers = []
        self.loss_kind, self.base_lr, self.rule = "mse", 0.01, ("gd", 0.0)
        self.batch, self.shuffle, self.schedule, self.clip, self.l2 = None, False, ("fixed",), None, None
        self.optimizer = None
        self.step = self.epoch = self.position = 0
        self.order, self.orders = None, []
        self.grads, self.deltas = None, None
        self.losses_, self.testlosses_ = [], []
        self.snapshots = deque(maxlen=0)
        self.noisy = {}

    # --- what commands set -------------------------------------------------------------
    def data(self, X, y, Xtest=None, ytest=None, test_changed=False):
        self.X, self.y = X, y
        if test_changed:
            self.Xtest, self.ytest = Xtest, ytest

    def config(self, loss, lr, rule, batch, shuffle, schedule, clip, l2):
        if rule != self.rule:
            self.optimizer = None
        self.loss_kind, self.base_lr, self.rule = loss, lr, rule
        self.batch, self.shuffle, self.schedule, self.clip, self.l2 = batch, shuffle, schedule, clip, l2

    def sync(self, layers, step, position, epoch, restart, clear):
        """The network as a command (net, init, set, reset) left it."""
        same_shape = len(layers) == len(self.layers) and all(
            a.W.shape == b.W.shape and (a.b is None) == (b.b is None) and a.bn == b.bn for a, b in zip(layers, self.layers))
        if same_shape:
            # The same tensors keep their new values (the gradients of the last step stay
            # attached to them, as Descent's dW stays after `optimizer` or `set`).
            with torch.no_grad():
                for old, new in zip(self.layers, layers):
                    for p, q in zip(old.parameters(), new.parameters()):
                        p.copy_(q)
                    if old.bn:
                        old.runmean, old.runvar = new.runmean, new.runvar
                    old.activation, old.residual, old.slope = new.activation, new.residual, new.slope
        else:
            self.layers = layers
        if restart or not same_shape:
            self.optimizer = None
        if step != self.step or clear:
            self.snapshots.clear()
        self.step, self.position, self.epoch = step, position, epoch
        if position == 0:
            self.order = None
        if clear:
            self.losses_, self.testlosses_, self.grads, self.deltas = [], [], None, None

    def restore(self, losses, testlosses, rows):
        """A training state whose steps this script did not take (`run "file"` took them, or
        `lesson off` gave back another session): taken over as Descent left it, with the loss
        curves, the optimizer's buffers and the last gradients."""
        (_, params, stats, found, updates, position, epoch, _), = rows
        grads = found.pop("grad", None)
        self.load_state(params, stats, found, updates)
        self.grads = None if grads is None else {id(p): g.clone() for p, g in zip(self.parameters(), grads)}
        self.deltas, self.noisy = None, {}
        self.losses_, self.testlosses_ = losses.tolist(), testlosses.tolist()
        self.snapshots.clear()

    def keep_history(self, steps):
        self.snapshots = deque(self.snapshots, maxlen=steps)

    # --- the values expressions name ------------------------------------------------------
    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def weight_count(self):
        return sum(layer.W.numel() for layer in self.layers)

    def forward(self, x, training=False, keep=False):
        """Each layer's Z (after batch norm), A, batch norm's new running statistics, and
        (with keep) the tensors whose gradients are δ: Z, or for a bn layer A_prev·W + b."""
        a, zs, activations, stats, deltas = as_matrix(x), [], [], [], []
        for layer in self.layers:
            z = a @ layer.W
            if layer.b is not None:
                z = z + layer.b
            if keep and layer.bn:
                z.retain_grad()
                deltas.append(z)
            if layer.bn:
                runmean, runvar = layer.runmean.clone().view(-1), layer.runvar.clone().view(-1)
                z = F.batch_norm(z, runmean, runvar, layer.scale.view(-1), layer.shift.view(-1),
                                 training=training, momentum=0.1, eps=1e-5)
                stats.append((layer, runmean, runvar))
            if keep and not layer.bn:
                z.retain_grad()
                deltas.append(z)
            out = ACTIVATIONS[layer.activation](z, layer.slope)
            a = a + out if layer.residual else out
            zs.append(z)
            activations.append(a)
        if keep:
            self.delta_tensors = deltas
        return zs, activations, stats

    def criterion(self, z, a, y):
        if self.loss_kind == "mse":
            return ((a - y) ** 2).mean()
        if self.loss_kind == "bce":
            return F.binary_cross_entropy_with_logits(z, y)
        return F.cross_entropy(z, y.view(-1).long()) if y.shape[1] == 1 else F.cross_entropy(z, y)

    def objective(self, z, a, y):
        loss = self.criterion(z, a, y)
        if self.l2:
            loss = loss + self.l2 / (2 * self.weight_count()) * sum((layer.W ** 2).sum() for layer in self.layers)
        return loss

    def loss(self):
        return self.loss_on(self.X, self.y, with_l2=True)

    def rows_in(self, x):
        """Rows of inputs as Descent reads them: a flat vector, or one row, into a net of one
        input is a column of examples."""
        x = as_matrix(x)
        if x.shape[0] == 1 and self.layers[0].W.shape[0] == 1 and x.shape[1] != 1:
            x = x.T
        return x

    @staticmethod
    def targets(y):
        """y as a matrix: a flat vector is a column (one target, or one class index, a row)."""
        y = tensor(y)
        return y.reshape(-1, 1) if y.dim() < 2 else y

    def loss_on(self, x, y, with_l2=False):
        with torch.no_grad():
            zs, activations, _ = self.forward(self.rows_in(x))
            rule = self.objective if with_l2 else self.criterion
            return rule(zs[-1], activations[-1], self.targets(y))

    def accuracy_on(self, x, y):
        y = self.targets(y)
        with torch.no_grad():
            out = self.forward(self.rows_in(x))[1][-1]
            if self.loss_kind == "bce":
                return ((out >= 0.5).to(torch.float64) == y).to(torch.float64).mean()
            labels = y.view(-1) if y.shape[1] == 1 else y.argmax(1).to(torch.float64)
            return (out.argmax(1).to(torch.float64) == labels).to(torch.float64).mean()

    def accuracy(self):
        return self.accuracy_on(self.X, self.y)

    def predict(self, x):
        with torch.no_grad():
            return self.forward(self.rows_in(x))[1][-1]

    def A(self, l):
        with torch.no_grad():
            return self.X if l == 0 else self.forward(self.X)[1][l - 1]

    def Z(self, l):
        with torch.no_grad():
            return self.forward(self.X)[0][l - 1]

    # Copies, as Descent's values are: a `let` of W1 must not follow later steps.
    def W(self, l): return self.layers[l - 1].W.detach().clone()
    def b(self, l): return self.bias(self.layers[l - 1]).detach().clone()
    def scale(self, l): return self.layers[l - 1].scale.detach().clone()
    def shift(self, l): return self.layers[l - 1].shift.detach().clone()
    def runmean(self, l): return self.layers[l - 1].runmean.clone()
    def runvar(self, l): return self.layers[l - 1].runvar.clone()
    def dW(self, l): return self.grads[id(self.layers[l - 1].W)]
    def db(self, l):
        layer = self.layers[l - 1]
        if layer.bn:
            # A bias before batch norm has gradient 0 in exact arithmetic: what both programs
            # show is rounding noise at the scale of the layer's dW.
            seen(self.grads[id(layer.W)])
        return self.grads[id(layer.b)]
    def dscale(self, l): return self.grads[id(self.layers[l - 1].scale)]
    def dshift(self, l): return self.grads[id(self.layers[l - 1].shift)]
    def delta(self, l): return self.deltas[l - 1]
    def losses(self): return v(self.losses_)
    def testlosses(self): return v(self.testlosses_)

    @staticmethod
    def bias(layer):
        return layer.b if layer.b is not None else torch.zeros(1, layer.W.shape[1])

    def lr(self):
        return self.rate(self.step)

    def rate(self, t):
        kind = self.schedule[0]
        if kind == "exp":
            return self.base_lr * math.pow(self.schedule[1], t)
        if kind == "step":
            return self.base_lr * math.pow(self.schedule[2], t // self.schedule[1])
        return self.base_lr

"""#
}
