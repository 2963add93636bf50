// TorchPrelude: the Python that every exported PyTorch script starts with: Descent's rules
// (layers, losses, the step, batches, clipping, the article's L2, `back`) written with torch,
// and the checks that compare PyTorch's numbers with the ones Descent showed.

enum TorchPrelude {
    /// The prelude's text. It defines `S` (the session: data, layers, optimizer, steps), `D`
    /// (the functions of Descent's expressions), `V` (the `let` variables), `check` and `show`.
    static let text = checks + "\n" + session + "\n" + steps

    /// Comparisons, literals, the functions of expressions, the data file.
    static let checks = #"""
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
    if not torch.equal(finite, torch.isfinite(a)) or not torch.equal(torch.isnan(a), torch.isnan(b)):
        return False
    infinite = torch.isinf(b)
    if not torch.equal(a[infinite], b[infinite]):
        return False
    if not bool(finite.any()):
        return True
    scale = torch.abs(b[finite]).max()
    return bool(torch.all(torch.abs(a[finite] - b[finite]) <= relative * scale + floor))


# The largest magnitude among the values an expression computed on its way (see `seen`).
SEEN = [0.0]
# Rounding noise of a sum, relative to its terms: a value that should be 0 in exact
# arithmetic (mean(X − colmean(X))) is noise of this size in both programs, differently.
NOISE = 1e-11


def seen(x):
    """x itself; its largest finite |entry| is kept in SEEN."""
    t = tensor(x)
    finite = t[torch.isfinite(t)] if t.numel() else t
    if finite.numel():
        SEEN[0] = max(SEEN[0], float(torch.abs(finite).max()))
    return x


def show(text, value, descent):
    """A `show`: PyTorch's value, printed, and compared with what Descent printed, allowing
    rounding noise at the scale of the values the expression went through."""
    CHECKS[0] += 1
    print(f"{text} = {as_list(value)}")
    if not agree(value, descent, floor=NOISE * SEEN[0]):
        ours, theirs = worst(value, descent)
        fail(f"show {text}", ours, theirs)


class Arrays:
    """NAME_data.npz beside the script, read with zipfile and torch alone (numpy.load reads
    it too): each member a 2-D float64 .npy array."""

    def __init__(self, path):
        self.path = path  # written only when the session has large arrays: read when needed

    def __getitem__(self, name):
        if not os.path.exists(self.path):
            sys.exit(f"{os.path.basename(self.path)} is missing: it holds this script's data (the "
                     f"weights and rows Descent drew) and must stay beside {os.path.basename(sys.argv[0])}")
        with zipfile.ZipFile(self.path) as archive:
            raw = archive.read(name + ".npy")
        length = int.from_bytes(raw[8:10], "little")
        header = ast.literal_eval(raw[10:10 + length].decode("latin1"))
        values = torch.frombuffer(bytearray(raw[10 + length:]), dtype=torch.float64)
        return values.reshape(header["shape"]).clone()


def scaled_norm(x):
    """‖x‖ scaled by its largest entry first, as Descent computes it: entries of 1e200 are
    finite, their squares are not."""
    x = tensor(x)
    top = torch.abs(x).max() if x.numel() else torch.tensor(0.0)
    if not torch.isfinite(top) or top == 0:
        return torch.linalg.vector_norm(x)
    return top * torch.linalg.vector_norm(x / top)


class D:
    """The functions of Descent's expressions."""
    norm = staticmethod(scaled_norm)
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


"""#
}
