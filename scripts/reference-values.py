#!/usr/bin/env python3
"""Writes Descent scripts whose `expect` lines hold values computed here, independently, with
PyTorch (float64): torch.nn.Linear-shaped layers, torch.nn.BatchNorm1d, torch.optim.SGD, Adam
and RMSprop, with Descent's own rules written out where they differ from PyTorch's defaults
(the article's L2 term, clipping only above the threshold, ordered mini-batches that wrap).

    python scripts/reference-values.py Tests/DescentSessionTests/Scripts

Needs torch (a CPU build). Not run by the tests: its output is committed, and the tests replay
it (ScriptReplayTests)."""
import os, sys
import torch

torch.set_default_dtype(torch.float64)
X = [[-0.3293847729054067, -0.5668140856009911], [0.20530227667252032, -0.3675300521370206],
     [0.6608584796439188, 0.6564101114102219], [0.9142272509004143, -0.7862237048969274],
     [-0.9967131703527405, -0.947701578225085], [-0.32874543754350705, 0.4259778926096691]]
Y = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0]


def lit(t):
    rows = t.tolist() if t.dim() == 2 else [t.tolist()]
    return "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in r) + "]" for r in rows) + "]"


class Net(torch.nn.Module):
    """Layers as Descent builds them: (inputs, width, activation, bias, bn, res)."""
    def __init__(self, inputs, layers, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.specs, self.W, self.b, self.bn = layers, torch.nn.ParameterList(), [], torch.nn.ModuleList()
        width = inputs
        for i, (out, act, bias, bn, res) in enumerate(layers):
            self.W.append(torch.nn.Parameter((torch.rand(width, out, generator=g) - 0.5) * 1.2))
            b = torch.nn.Parameter((torch.rand(1, out, generator=g) - 0.5) * 0.4) if bias else None
            if b is not None: self.register_parameter(f"b{i}", b)
            self.b.append(b)
            norm = torch.nn.BatchNorm1d(out, eps=1e-5, momentum=0.1) if bn else torch.nn.Identity()
            if bn:
                with torch.no_grad():
                    norm.weight.copy_(1 + (torch.rand(out, generator=g) - 0.5) * 0.6)
                    norm.bias.copy_((torch.rand(out, generator=g) - 0.5) * 0.2)
            self.bn.append(norm)
            width = out

    def forward(self, x):
        for i, (out, act, bias, bn, res) in enumerate(self.specs):
            z = x @ self.W[i] + (self.b[i] if self.b[i] is not None else 0)
            z = self.bn[i](z)
            self.last_z = z
            h = {"linear": lambda v: v, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[act](z)
            x = x + h if res else h
        return x

    def sets(self):
        lines = []
        for i, (out, act, bias, bn, res) in enumerate(self.specs):
            lines.append(f"set W{i + 1} = {lit(self.W[i].detach())}")
            if self.b[i] is not None: lines.append(f"set b{i + 1} = {lit(self.b[i].detach())}")
            if bn:
                lines.append(f"set scale{i + 1} = {lit(self.bn[i].weight.detach())}")
                lines.append(f"set shift{i + 1} = {lit(self.bn[i].bias.detach())}")
        return lines

    def expects(self):
        lines = []
        for i, (out, act, bias, bn, res) in enumerate(self.specs):
            lines.append(f"expect W{i + 1} ~= {lit(self.W[i].detach())} tol=1e-9")
            if self.b[i] is not None: lines.append(f"expect b{i + 1} ~= {lit(self.b[i].detach())} tol=1e-9")
            if bn:
                for name, t in [("scale", self.bn[i].weight), ("shift", self.bn[i].bias),
                                ("runmean", self.bn[i].running_mean), ("runvar", self.bn[i].running_var)]:
                    lines.append(f"expect {name}{i + 1} ~= {lit(t.detach())} tol=1e-9")
        return lines


def spec_text(inputs, layers):
    parts = [str(inputs)]
    for out, act, bias, bn, res in layers:
        parts.append(" ".join([str(out)] + ([act] if act != "linear" else []) + (["bn"] if bn else []) +
                              (["res"] if res else []) + ([] if bias else ["nobias"])))
    return "net " + " -> ".join(parts)


def case(name, comment, layers, loss, optimizers, seed=3, l2=None, clip=None, gamma=None, batch=None):
    """optimizers: a list of (descent command, torch factory, steps); each command restarts the state."""
    x, y = torch.tensor(X), torch.tensor(Y).reshape(-1, 1)
    net = Net(2, layers, seed)
    lines = [f"# {comment}", "# Reference values from PyTorch float64 (scripts/reference-values.py).",
             "let X = " + lit(x), "let y = " + repr(Y), "data X, y", spec_text(2, layers), f"loss {loss}"]
    lines += net.sets()
    if l2: lines.append(f"l2 {l2}")
    if clip: lines.append(f"clip norm={clip}")
    if gamma: lines.append(f"schedule exp gamma={gamma}")
    t, position = 0, 0
    weights = sum(w.numel() for w in net.W)
    for command, factory, steps in optimizers:
        lines += [command + (f" batch={batch} shuffle=off" if batch else ""), f"step {steps}"]
        params = [p for p in net.parameters()]
        opt, base = factory(params)
        for _ in range(steps):
            rows = list(range(len(X)))
            if batch:
                rows = list(range(position, min(position + batch, len(X))))
                position = 0 if position + batch >= len(X) else position + batch
            net.train()
            out = net(x[rows])
            if loss == "mse": value = ((out - y[rows]) ** 2).mean()
            else: value = torch.nn.functional.binary_cross_entropy_with_logits(net.last_z, y[rows])
            if l2: value = value + l2 / (2 * weights) * sum((w ** 2).sum() for w in net.W)
            opt.zero_grad()
            value.backward()
            if clip:
                norm = torch.sqrt(sum((p.grad ** 2).sum() for p in params))
                if norm > clip:
                    for p in params: p.grad.mul_(clip / norm)
            for group in opt.param_groups: group["lr"] = base * (gamma ** t if gamma else 1)
            opt.step()
            t += 1
    net.eval()
    with torch.no_grad():
        out = net(x)
        if loss == "mse": final = ((out - y) ** 2).mean()
        else: final = torch.nn.functional.binary_cross_entropy_with_logits(net.last_z, y)
        if l2: final = final + l2 / (2 * weights) * sum((w ** 2).sum() for w in net.W)
    lines += net.expects()
    lines += [f"expect loss ~= {float(final)!r} tol=1e-9", f"expect forward(X) ~= {lit(out)} tol=1e-9", f"expect step == {t}"]
    return name, "\n".join(lines) + "\n"


def adam(lr, **kw): return lambda p: (torch.optim.Adam(p, lr=lr, **kw), lr)
def rmsprop(lr, **kw): return lambda p: (torch.optim.RMSprop(p, lr=lr, **kw), lr)
def sgd(lr, **kw): return lambda p: (torch.optim.SGD(p, lr=lr, **kw), lr)


CASES = [
    case("ref-own-adam-options", "adam with every option set", [(3, "tanh", True, False, False), (1, "sigmoid", True, False, False)],
         "bce", [("optimizer adam lr=0.05 beta1=0.8 beta2=0.99 eps=1e-6", adam(0.05, betas=(0.8, 0.99), eps=1e-6), 5)]),
    case("ref-own-rmsprop-options", "rmsprop with every option set", [(3, "tanh", True, False, False), (1, "linear", True, False, False)],
         "mse", [("optimizer rmsprop lr=0.02 alpha=0.9 eps=1e-6 momentum=0.5", rmsprop(0.02, alpha=0.9, eps=1e-6, momentum=0.5), 5)]),
    case("ref-own-adam-l2-clip-schedule-batches", "adam with L2, clipping, an exponential schedule and ordered mini-batches",
         [(4, "relu", True, False, False), (1, "linear", True, False, False)], "mse",
         [("optimizer adam lr=0.05", adam(0.05), 7)], l2=0.1, clip=0.5, gamma=0.9, batch=4),
    case("ref-own-bn-nobias-two-layers", "two bn layers, one without bias; eval-mode loss and forward",
         [(3, "tanh", False, True, False), (3, "relu", True, True, False), (1, "linear", True, False, False)], "mse",
         [("optimizer gd lr=0.1 momentum=0.9", sgd(0.1, momentum=0.9), 3)]),
    case("ref-own-res-stack", "a stack of residual layers", [(3, "tanh", True, False, False), (3, "tanh", True, False, True),
         (3, "relu", True, False, True), (1, "sigmoid", True, False, False)], "bce", [("optimizer gd lr=0.3", sgd(0.3), 4)]),
    case("ref-own-bn-res-adam-restart", "bn + res + adam, then a second optimizer command that restarts the state",
         [(3, "tanh", True, True, False), (3, "tanh", True, True, True), (1, "sigmoid", True, False, False)], "bce",
         [("optimizer adam lr=0.02", adam(0.02), 3), ("optimizer adam lr=0.01", adam(0.01), 2)], batch=3),
]

if __name__ == "__main__":
    folder = sys.argv[1] if len(sys.argv) > 1 else "."
    for name, text in CASES:
        with open(os.path.join(folder, name + ".descent"), "w") as f:
            f.write(text)
        print("wrote", name)
