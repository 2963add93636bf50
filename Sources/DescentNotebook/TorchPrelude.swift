// TorchPrelude: the Python that every exported PyTorch script starts with: Descent's rules
// (layers, losses, the step, batches, clipping, the article's L2, `back`) written with torch,
// and the checks that compare PyTorch's numbers with the ones Descent showed.

enum TorchPrelude {
    /// The prelude's text. It defines `S` (the session: data, layers, optimizer, steps), `D`
    /// (the functions of Descent's expressions), `V` (the `let` variables), `check` and `show`.
    static let text = #"""
import ast
import math
import os
import sys
import zipfile
from collections import deque

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # the matrices are small: threads cost more than they give
CHECKS = [0]
# How far PyTorch's weights may be from Descent's after a stretch of steps between two of
# Descent's checkpoints, relative to the network's largest weight. The two programs sum in
# different orders, so they differ in the last bits from the first step, and a chaotic run
# (a high rate, batch norm in a deep net) amplifies that a thousand times in a few steps.
# So each stretch starts again from Descent's state, and may differ by 1e-9 or by CHAOS
# times the drift Descent measured between two of its own runs a few roundings apart over
# the same stretch, whichever is larger. Every other value is checked to 1e-9.
STRETCH = 1e-9
CHAOS = 1000


CELL = [""]


def fail(what, descent, pytorch):
    where = f" (cell {CELL[0]})" if CELL[0] else ""
    print(f"MISMATCH in {what}{where}: Descent {descent}, PyTorch {pytorch}", file=sys.stderr)
    sys.exit(1)


def cell(n):
    CELL[0] = n


def worst(a, b):
    """The entry where two matrices differ most, as text."""
    a, b = as_matrix(a), as_matrix(b)
    if a.shape != b.shape:
        return f"a {tuple(b.shape)} matrix", f"a {tuple(a.shape)} matrix"
    diff = torch.nan_to_num(torch.abs(a - b), nan=math.inf)
    i, j = divmod(int(diff.argmax()), a.shape[1])
    where = f"[{i + 1}, {j + 1}] of {a.shape[0]}×{a.shape[1]}, largest |entry| {torch.abs(b).max().item():.3g}"
    return f"{b[i, j].item()!r} at {where}", f"{a[i, j].item()!r}"


def m(rows):
    """A matrix as Descent writes it, row by row."""
    return torch.tensor(rows, dtype=torch.float64).reshape(len(rows), -1)


def v(values):
    """A flat vector: [1, 2, 3] in an expression, `losses`, `eigvals(…)`."""
    return torch.tensor(values, dtype=torch.float64)


def tensor(x):
    return x if torch.is_tensor(x) else torch.tensor(float(x), dtype=torch.float64)


def as_matrix(x):
    x = tensor(x)
    return x.reshape(1, 1) if x.dim() == 0 else x.reshape(1, -1) if x.dim() == 1 else x


def fit(a, b):
    """Descent's rule for a flat vector beside a matrix: it takes the matrix's shape when the
    counts agree (so [1, 2, 3] compares with a 3×1 column)."""
    a, b = tensor(a), tensor(b)
    if a.dim() == 1 and b.dim() == 2 and a.numel() == b.numel():
        a = a.reshape(b.shape)
    elif b.dim() == 1 and a.dim() == 2 and a.numel() == b.numel():
        b = b.reshape(a.shape)
    return a, b


def op(a, symbol, b):
    """An entry-by-entry operator with a flat vector on one side."""
    a, b = fit(a, b)
    return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
            "^": lambda: a ** b}[symbol]()


def close(a, b, tolerance):
    """|a − b| ≤ tolerance·(1 + |b|) entry by entry: Descent's `~=`."""
    return bool(torch.all(torch.abs(a - b) <= tolerance * (1 + torch.abs(b))))


def check(text, lhs, symbol, rhs, tolerance=1e-9):
    """An `expect`: the same comparison, computed from PyTorch's values. `==` allows
    1e-12·(1 + |b|): PyTorch sums products in its own order, so a value Descent computes
    exactly (W1 == [[-1023]]) can come out one rounding away here."""
    CHECKS[0] += 1
    a, b = fit(lhs, rhs)
    a, b = torch.broadcast_tensors(a.to(torch.float64), b.to(torch.float64))
    holds = {"<": lambda: bool(torch.all(a < b)), "<=": lambda: bool(torch.all(a <= b)),
             ">": lambda: bool(torch.all(a > b)), ">=": lambda: bool(torch.all(a >= b)),
             "==": lambda: close(a, b, 1e-12), "~=": lambda: close(a, b, tolerance)}[symbol]()
    if not holds:
        fail(f"expect {text}", f"held ({symbol} {as_list(rhs)})", as_list(lhs))


def as_list(x):
    x = tensor(x)
    return x.item() if x.numel() == 1 else x.tolist()


def agree(a, b, relative=1e-9, floor=0.0):
    """PyTorch's value a against Descent's b: |a − b| ≤ relative·(b's largest |entry|) + floor
    entry by entry, and the same nan and inf in the same places."""
    a, b = as_matrix(a), as_matrix(b)
    if a.shape != b.shape:
        return False
    finite = torch.isfinite(b)
    if not torch.equal(finite, torch.isfinite(a)) or not torch.equal(a[~finite], b[~finite]):
        return False
    if not bool(finite.any()):
        return True
    scale = torch.abs(b[finite]).max()
    return bool(torch.all(torch.abs(a[finite] - b[finite]) <= relative * scale + floor))


def show(text, value, descent):
    """A `show`: PyTorch's value, printed, and compared with what Descent printed."""
    CHECKS[0] += 1
    print(f"{text} = {as_list(value)}")
    if not agree(value, descent):
        ours, theirs = worst(value, descent)
        fail(f"show {text}", ours, theirs)


class Arrays:
    """NAME_data.npz beside the script, read with zipfile and torch alone (numpy.load reads
    it too): each member a 2-D float64 .npy array."""

    def __init__(self, path):
        self.path = path

    def __getitem__(self, name):
        with zipfile.ZipFile(self.path) as archive:
            raw = archive.read(name + ".npy")
        length = int.from_bytes(raw[8:10], "little")
        header = ast.literal_eval(raw[10:10 + length].decode("latin1"))
        values = torch.frombuffer(bytearray(raw[10 + length:]), dtype=torch.float64)
        return values.reshape(header["shape"]).clone()


class D:
    """The functions of Descent's expressions."""
    norm = staticmethod(lambda x: torch.linalg.vector_norm(tensor(x)))
    mean = staticmethod(lambda x: tensor(x).mean())
    max = staticmethod(lambda x: tensor(x).max())
    min = staticmethod(lambda x: tensor(x).min())
    sum = staticmethod(lambda x: tensor(x).sum())
    std = staticmethod(lambda x: tensor(x).std(correction=0))
    abs = staticmethod(lambda x: torch.abs(tensor(x)))
    sqrt = staticmethod(lambda x: torch.sqrt(tensor(x)))
    exp = staticmethod(lambda x: torch.exp(tensor(x)))
    log = staticmethod(lambda x: torch.log(tensor(x)))
    sigmoid = staticmethod(lambda x: torch.sigmoid(tensor(x)))
    tanh = staticmethod(lambda x: torch.tanh(tensor(x)))
    relu = staticmethod(lambda x: torch.relu(tensor(x)))
    transpose = staticmethod(lambda x: as_matrix(x).T)
    rows = staticmethod(lambda x: as_matrix(x).shape[0])
    cols = staticmethod(lambda x: as_matrix(x).shape[1])
    colmean = staticmethod(lambda x: as_matrix(x).mean(0, keepdim=True))
    colstd = staticmethod(lambda x: as_matrix(x).std(0, correction=0, keepdim=True))
    colmin = staticmethod(lambda x: as_matrix(x).min(0, keepdim=True).values)
    colmax = staticmethod(lambda x: as_matrix(x).max(0, keepdim=True).values)
    eigvals = staticmethod(lambda x: torch.linalg.eigvalsh(as_matrix(x)))
    eye = staticmethod(lambda n: torch.eye(int(n)))
    ones = staticmethod(lambda r, c=None: torch.ones(int(r), int(r if c is None else c)))
    zeros = staticmethod(lambda r, c=None: torch.zeros(int(r), int(r if c is None else c)))


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

    # --- what commands set -------------------------------------------------------------
    def data(self, X, y, Xtest=None, ytest=None, test_changed=False):
        self.X, self.y = X, y
        if test_changed:
            self.Xtest, self.ytest = Xtest, ytest
            self.testlosses_ = []

    def config(self, loss, lr, rule, batch, shuffle, schedule, clip, l2):
        if rule != self.rule:
            self.optimizer = None
        self.loss_kind, self.base_lr, self.rule = loss, lr, rule
        self.batch, self.shuffle, self.schedule, self.clip, self.l2 = batch, shuffle, schedule, clip, l2

    def sync(self, layers, step, position, epoch, restart, clear):
        """The network as a command (net, init, set, reset) left it."""
        same_shape = len(layers) == len(self.layers) and all(
            a.W.shape == b.W.shape and (a.b is None) == (b.b is None) and a.bn == b.bn for a, b in zip(layers, self.layers))
        if same_shape and not restart:
            with torch.no_grad():
                for old, new in zip(self.layers, layers):
                    for p, q in zip(old.parameters(), new.parameters()):
                        p.copy_(q)
                    if old.bn:
                        old.runmean, old.runvar = new.runmean, new.runvar
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

    def loss_on(self, x, y, with_l2=False):
        with torch.no_grad():
            zs, activations, _ = self.forward(x)
            rule = self.objective if with_l2 else self.criterion
            return rule(zs[-1], activations[-1], as_matrix(y) if y.dim() == 2 else y.reshape(-1, 1))

    def accuracy_on(self, x, y):
        with torch.no_grad():
            out = self.forward(x)[1][-1]
            if self.loss_kind == "bce":
                return ((out >= 0.5).to(torch.float64) == y).to(torch.float64).mean()
            labels = y.view(-1) if y.shape[1] == 1 else y.argmax(1).to(torch.float64)
            return (out.argmax(1).to(torch.float64) == labels).to(torch.float64).mean()

    def accuracy(self):
        return self.accuracy_on(self.X, self.y)

    def predict(self, x):
        with torch.no_grad():
            x = as_matrix(x)
            if x.shape[0] == 1 and self.layers[0].W.shape[0] == 1 and x.shape[1] != 1:
                x = x.T
            return self.forward(x)[1][-1]

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
    def db(self, l): return self.grads[id(self.layers[l - 1].b)]
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

    # --- the step -------------------------------------------------------------------------
    def make_optimizer(self):
        kind, params = self.rule[0], self.parameters()
        if kind == "gd":
            return torch.optim.SGD(params, lr=self.base_lr, momentum=self.rule[1])
        if kind == "adam":
            return torch.optim.Adam(params, lr=self.base_lr, betas=(self.rule[1], self.rule[2]), eps=self.rule[3])
        return torch.optim.RMSprop(params, lr=self.base_lr, alpha=self.rule[1], eps=self.rule[2], momentum=self.rule[3])

    def next_rows(self, m):
        """The next batch's rows (None: all of them) and the cursor after it; Descent's
        ordered batches wrap at the end of a pass, shuffled ones use the orders Descent drew."""
        if self.batch is None or self.batch >= m:
            return None, (0, self.epoch + 1, self.order, 0)
        position, order, used = self.position, self.order, 0
        if position == 0 or position >= m:
            position = 0
            order = self.orders[0] if self.shuffle else None
            used = 1 if self.shuffle else 0
        end = min(position + self.batch, m)
        rows = order[position:end] if order is not None else list(range(position, end))
        epoch = self.epoch
        if end >= m:
            end, epoch = 0, epoch + 1
        return rows, (end, epoch, order, used)

    def snapshot(self):
        optimizer = None if self.optimizer is None else self.optimizer.state_dict()
        return ([p.detach().clone() for p in self.parameters()],
                [(l.runmean.clone(), l.runvar.clone()) for l in self.layers if l.bn],
                clone_state(optimizer), self.rule, self.step, self.position, self.epoch, self.order)

    def back(self, n):
        for _ in range(n - 1):
            self.snapshots.pop()
        params, stats, optimizer, rule, self.step, self.position, self.epoch, self.order = self.snapshots.pop()
        with torch.no_grad():
            for p, q in zip(self.parameters(), params):
                p.copy_(q)
        for layer, (runmean, runvar) in zip([l for l in self.layers if l.bn], stats):
            layer.runmean, layer.runvar = runmean, runvar
        self.optimizer = None
        if optimizer is not None and rule == self.rule:
            self.optimizer = self.make_optimizer()
            self.optimizer.load_state_dict(optimizer)
        del self.losses_[self.step:]
        del self.testlosses_[self.step:]

    def steps(self, n, orders=(), ends_nonfinite=False, checkpoints=()):
        """n steps applied as Descent applied them; with ends_nonfinite one more is attempted,
        must come out non-finite, and is not applied. At each of Descent's checkpoints the
        state PyTorch reached is compared with Descent's, and the next stretch starts from
        Descent's: two programs that round in different orders drift apart over a long
        chaotic run, so each stretch is checked on its own."""
        self.orders.extend(orders)
        target = self.step + n
        for checkpoint in list(checkpoints) + [None]:
            until = target if checkpoint is None else checkpoint[0]
            while self.step < until:
                if not self.one_step():
                    fail(f"step {self.step + 1}", "a finite loss and gradient", "nan or inf")
            if checkpoint is not None:
                self.check_and_load(*checkpoint)
        if ends_nonfinite and self.one_step():
            fail(f"step {self.step}", "a loss or gradient that is not finite", "finite values")

    def rows(self, table, buffers):
        """Descent's checkpoints, one row each (see TorchCheckpoints in Descent): step, the
        optimizer's update count, the cursor, then the parameters, batch norm's running
        statistics and the optimizer's buffers, in the order of `parameters()`."""
        shapes = [p.shape for p in self.parameters()]
        stat_shapes = [l.runmean.shape for l in self.layers if l.bn]
        out = []
        for row in table:
            k, params, stats, found = 5, [], [], {}
            for shape in shapes:
                n = math.prod(shape)
                params.append(row[k:k + n].reshape(shape))
                k += n
            for shape in stat_shapes:
                n = math.prod(shape)
                stats.append((row[k:k + n].reshape(shape), row[k + n:k + 2 * n].reshape(shape)))
                k += 2 * n
            for name in buffers:
                found[name] = []
                for shape in shapes:
                    n = math.prod(shape)
                    found[name].append(row[k:k + n].reshape(shape))
                    k += n
            out.append((int(row[0]), params, stats, found, int(row[1]), int(row[2]), int(row[3]), float(row[4])))
        return out

    def check_and_load(self, step, params, stats, buffers, updates, position, epoch, drift=0.0):
        names = [f"{kind}{l}" for l, layer in enumerate(self.layers, 1)
                 for kind in ["W"] + (["b"] if layer.b is not None else []) + (["scale", "shift"] if layer.bn else [])]
        # Relative to the network's largest parameter (a layer that has shrunk towards 0 is
        # compared at the scale of the updates that produced it), and allowing CHAOS times
        # the drift Descent measured between two of its own runs a few roundings apart.
        scale = max(float(torch.abs(q).max()) for q in params if q.numel())
        allowed = max(STRETCH, CHAOS * drift) * scale
        for name, p, q in zip(names, self.parameters(), params):
            self.compare(f"{name} after step {step}", p.detach(), q, 0.0, allowed)
        for (l, layer), (runmean, runvar) in zip([(l, x) for l, x in enumerate(self.layers, 1) if x.bn], stats):
            self.compare(f"runmean{l} after step {step}", layer.runmean, runmean, max(STRETCH, CHAOS * drift))
            self.compare(f"runvar{l} after step {step}", layer.runvar, runvar, max(STRETCH, CHAOS * drift))
        if (self.position, self.epoch) != (position, epoch):
            fail(f"the batch cursor after step {step}", (position, epoch), (self.position, self.epoch))
        with torch.no_grad():
            for p, q in zip(self.parameters(), params):
                p.copy_(q)
        for layer, (runmean, runvar) in zip([x for x in self.layers if x.bn], stats):
            layer.runmean, layer.runvar = runmean.clone(), runvar.clone()
        self.load_optimizer(buffers, updates)

    def load_optimizer(self, buffers, updates):
        """Descent's optimizer buffers as torch.optim's state."""
        self.optimizer = self.make_optimizer()
        keys = {"velocity": "momentum_buffer", "first": "exp_avg", "second": "exp_avg_sq" if self.rule[0] == "adam" else "square_avg",
                "momentum": "momentum_buffer"}
        for i, p in enumerate(self.parameters()):
            state = {keys[name]: values[i].clone() for name, values in buffers.items()}
            if state and self.rule[0] != "gd":
                state["step"] = torch.tensor(float(updates))
            if state:
                self.optimizer.state[p] = state

    def one_step(self):
        if self.optimizer is None:
            self.optimizer = self.make_optimizer()
        before = self.snapshot() if self.snapshots.maxlen else None
        m = self.X.shape[0]
        rows, cursor = self.next_rows(m)
        x, y = (self.X, self.y) if rows is None else (self.X[rows], self.y[rows])
        test_loss = None if self.Xtest is None else self.loss_on(self.Xtest, self.ytest).item()
        self.optimizer.zero_grad(set_to_none=False)
        zs, activations, stats = self.forward(x, training=True, keep=True)
        loss = self.objective(zs[-1], activations[-1], y)
        loss.backward()
        params = self.parameters()
        self.grads = {id(p): p.grad.detach().clone() for p in params}
        self.deltas = [torch.linalg.vector_norm(z.grad) for z in self.delta_tensors]
        if not (math.isfinite(loss.item()) and all(bool(torch.isfinite(p.grad).all()) for p in params)):
            return False
        # ‖g‖ over all parameters, scaled first: entries of 1e200 are finite, their squares not.
        top = max(float(p.grad.abs().max()) for p in params)
        norm = top * math.sqrt(sum(float(((p.grad / top) ** 2).sum()) for p in params)) if top > 0 else 0.0
        if self.clip is not None and norm > self.clip:
            for p in params:
                p.grad.mul_(self.clip / norm)
        for group in self.optimizer.param_groups:
            group["lr"] = self.rate(self.step)
        self.optimizer.step()
        for layer, runmean, runvar in stats:
            layer.runmean, layer.runvar = runmean.view(1, -1), runvar.view(1, -1)
        self.position, self.epoch, self.order, used = cursor
        del self.orders[:used]
        self.step += 1
        if before is not None:
            self.snapshots.append(before)
        self.losses_.append(loss.item())
        if test_loss is not None:
            self.testlosses_.append(test_loss)
        return True

    # --- what `show` prints about the net ------------------------------------------------------
    def names(self):
        return [(f"{kind}{l}", p) for l, layer in enumerate(self.layers, 1)
                for kind, p in [("W", layer.W), ("b", layer.b), ("scale", getattr(layer, "scale", None)),
                                ("shift", getattr(layer, "shift", None))] if p is not None]

    def print_weights(self):
        for name, p in self.names():
            print(f"{name} = {p.detach().tolist()}")

    def print_grads(self):
        if self.grads is None:
            print("no step has been taken yet")
            return
        for name, p in self.names():
            print(f"d{name} = {self.grads[id(p)].tolist()}")

    def print_norms(self):
        for l, layer in enumerate(self.layers, 1):
            dW = "" if self.grads is None else f"  ‖dW‖ {torch.linalg.vector_norm(self.grads[id(layer.W)]).item():.6g}"
            delta = "" if self.deltas is None else f"  ‖δ‖ {self.deltas[l - 1].item():.6g}"
            print(f"layer {l}: ‖W‖ {torch.linalg.vector_norm(layer.W).item():.6g}{dW}{delta}")

    def print_activations(self):
        for l in range(1, len(self.layers) + 1):
            a = self.A(l)
            print(f"A{l}: mean {a.mean().item():.6g}, std {a.std(correction=0).item():.6g}")

    def print_losses(self):
        if self.losses_:
            print(f"losses: first {self.losses_[0]:.6g}, last {self.losses_[-1]:.6g}, min {min(self.losses_):.6g}")
        if self.testlosses_:
            print(f"test losses: first {self.testlosses_[0]:.6g}, last {self.testlosses_[-1]:.6g}, min {min(self.testlosses_):.6g}")

    def print_optimizer(self):
        if self.optimizer is None or not self.optimizer.state:
            print("the optimizer keeps nothing yet")
            return
        for name, p in self.names():
            for key, value in self.optimizer.state.get(p, {}).items():
                print(f"{name} {key} = {value.tolist()}")

    # --- the end ----------------------------------------------------------------------------
    def compare(self, name, value, descent, relative=1e-9, floor=1e-14):
        """A parameter against Descent's. Entries below 1e-14 are rounding noise of order-one
        sums (a bias before batch norm, whose gradient is 0 in exact arithmetic)."""
        CHECKS[0] += 1
        if not agree(value, descent, relative, floor=floor):
            ours, theirs = worst(value, descent)
            fail(name, ours, theirs)


def clone_state(state):
    if state is None:
        return None
    if torch.is_tensor(state):
        return state.clone()
    if isinstance(state, dict):
        return {k: clone_state(v) for k, v in state.items()}
    if isinstance(state, list):
        return [clone_state(v) for v in state]
    return state


S = Session()
V = {}
"""#
}
