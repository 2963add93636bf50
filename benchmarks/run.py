#!/usr/bin/env python3
"""Runs the three workloads in Descent, NumPy (W1) and PyTorch (when installed), side by
side, and prints Markdown tables: time per step (median of several runs), ratio to PyTorch
(the median of the ratios of runs taken in turn, so both see the same load of a shared machine),
GFLOP/s, peak memory against what the workload needs, and for W1 the whole process's wall
time and start-up.

Usage: benchmarks/run.py [--runs N]   (builds descent in release mode first)
PyTorch's CPU build: pip install torch --index-url https://download.pytorch.org/whl/cpu
(or a wheel file: pip install torch-*.whl). Not part of swift test.
"""
import os, re, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5


def dense_flops(rows, sizes):
    """Float operations per step: 2·m·n·k for every product of the forward pass, twice that
    for the backward pass, less the input layer's unused δ·Wᵀ."""
    forward = sum(2 * rows * a * b for a, b in zip(sizes, sizes[1:]))
    backward = 2 * forward - 2 * rows * sizes[0] * sizes[1]
    return forward + backward


def needed_bytes(rows, sizes, bias=True):
    """What a step cannot do without, in float64: the parameters, their gradients, and the
    activations (the input batch, and Z and A of every layer)."""
    parameters = sum(a * b + (b if bias else 0) for a, b in zip(sizes, sizes[1:]))
    activations = rows * sizes[0] + sum(2 * rows * b for b in sizes[1:])
    return 8 * (2 * parameters + activations)


W2_SIZES, W3_SIZES = [8] + [64] * 20 + [1], [784, 512, 512, 10]
WORKLOADS = [  # (name, Descent script, key for torch_workloads.py, flops per step, bytes needed)
    ("W1 article 1→1, 4 rows", "w1-article.descent", "w1", dense_flops(4, [1, 1]), needed_bytes(4, [1, 1], bias=False)),
    ("W2 deep sigmoid 8→64×20→1, 256 rows", "w2-deep-sigmoid.descent", "w2", dense_flops(256, W2_SIZES), needed_bytes(256, W2_SIZES)),
    ("W3 wide relu 784→512→512→10, 128 rows", "w3-wide-relu.descent", "w3", dense_flops(128, W3_SIZES), needed_bytes(128, W3_SIZES)),
]


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (seconds per step from its 'timing:' line, wall
    seconds of the whole process, peak RSS in MiB, MiB of anonymous data from a 'memory:' line
    or None)."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "maxrss %M"] + cmd, capture_output=True, text=True,
                       env={**os.environ, **(env or {})}, cwd=HERE)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{p.stderr}")
    m = re.search(r"timing: (\d+) steps? in ([0-9.e+-]+) s", p.stderr)
    rss = int(re.search(r"maxrss (\d+)", p.stderr).group(1)) / 1024
    data = re.search(r"([0-9.]+) MiB of data", p.stderr)
    return float(m.group(2)) / int(m.group(1)), wall, rss, float(data.group(1)) if data else None


def summary(results):
    data = [r[3] for r in results if r[3] is not None]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results), max(data) if data else None)


def median_of(cmd, env=None):
    return summary([timed(cmd, env) for _ in range(RUNS)])


def side_by_side(first, second, env):
    """Runs the two commands in turn, RUNS times each, so that both see the same state of a
    shared machine; returns both summaries and the median of the per-pair time ratios."""
    a, b = [], []
    for _ in range(RUNS):
        a.append(timed(first, env))
        b.append(timed(second, env))
    return summary(a), summary(b), statistics.median(x[0] / y[0] for x, y in zip(a, b))


def fmt_time(s):
    return f"{s * 1e6:.3g} µs" if s < 1e-3 else f"{s * 1e3:.3g} ms"


def idle_memory(descent):
    """Peak RSS and anonymous data of a descent that reads an empty script: the baseline."""
    empty = os.path.join(HERE, ".empty.descent")
    open(empty, "w").close()
    try:
        p = subprocess.run([descent, "run", "--timings", empty], capture_output=True, text=True)
    finally:
        os.remove(empty)
    m = re.search(r"peak RSS ([0-9.]+) MiB: ([0-9.]+) MiB of data", p.stderr)
    return (float(m.group(1)), float(m.group(2))) if m else (None, None)


def start_times(command):
    """The median wall time of starting `command`, over at least 20 runs."""
    starts = []
    for _ in range(max(RUNS, 20)):
        t = time.perf_counter()
        subprocess.run(command, capture_output=True)
        starts.append(time.perf_counter() - t)
    return statistics.median(starts)


def hello_world():
    """A statically linked Swift program that prints one line through Foundation: the floor
    for a Swift program's start-up on this machine. None when swiftc cannot build it."""
    folder = tempfile.mkdtemp()
    source, binary = os.path.join(folder, "main.swift"), os.path.join(folder, "hello")
    open(source, "w").write('import Foundation\nprint("hello \\(ProcessInfo.processInfo.processIdentifier > 0)")\n')
    built = subprocess.run(["swiftc", "-O", "-static-stdlib", source, "-o", binary], capture_output=True)
    return binary if built.returncode == 0 else None


def allocations_per_step(descent, script):
    """malloc calls per step once the loop runs: the workload for 10 and for 210 steps under
    malloc_count.c (LD_PRELOAD), the difference over 200. Printing the longer numbers of the
    summary line takes a few calls too, so 0.03 means none in the loop. None without cc."""
    library = os.path.join(HERE, ".malloc_count.so")
    if subprocess.run(["cc", "-O1", "-shared", "-fPIC", os.path.join(HERE, "malloc_count.c"), "-o", library, "-ldl"],
                      capture_output=True).returncode != 0:
        return None
    counts = []
    try:
        for steps in (10, 210):
            text = re.sub(r"^train \d+", f"train {steps}", open(os.path.join(HERE, script)).read(), flags=re.M)
            text = re.sub(r"^expect .*$", "", text, flags=re.M)
            path = os.path.join(HERE, ".alloc.descent")
            open(path, "w").write(text)
            p = subprocess.run([descent, "run", "-q", path], capture_output=True, text=True,
                               env={**os.environ, "LD_PRELOAD": library, "OPENBLAS_NUM_THREADS": "1"})
            counts.append(int(re.search(r"malloc calls: (\d+)", p.stderr).group(1)))
    finally:
        for f in (library, os.path.join(HERE, ".alloc.descent")):
            if os.path.exists(f):
                os.remove(f)
    return (counts[1] - counts[0]) / 200


def adam_update_alone():
    """adam_update.c's line (what bounds Adam's update), or None without cc or AVX2."""
    binary = os.path.join(HERE, ".adam_update")
    try:
        if subprocess.run(["cc", "-O2", "-mavx2", "-mfma", os.path.join(HERE, "adam_update.c"), "-o", binary],
                          capture_output=True).returncode != 0:
            return None
        p = subprocess.run([binary], capture_output=True, text=True)
        return p.stdout.strip().removeprefix("adam update alone, ") if p.returncode == 0 else None
    finally:
        if os.path.exists(binary):
            os.remove(binary)


def main():
    subprocess.run(["scripts/fresh-build", "release"], cwd=ROOT, check=True)  # see that script
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "descent"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["scripts/fresh-build", "release", "--done"], cwd=ROOT, check=True)
    descent = os.path.join(ROOT, ".build", "release", "descent")
    try:
        import torch
        have_torch = True
        try:
            numpy = f", NumPy {__import__('numpy').__version__}"
        except ImportError:
            numpy = " (no NumPy: W1's NumPy comparison is left out)"
        print(f"PyTorch {torch.__version__}{numpy}; one thread each; median of {RUNS} runs\n")
    except ImportError:
        have_torch = False
        print("PyTorch is not installed: its columns are empty. CPU build: "
              "pip install torch --index-url https://download.pytorch.org/whl/cpu\n", file=sys.stderr)
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    idle_rss, idle_data = idle_memory(descent)
    print("| workload | Descent per step | PyTorch per step | Descent / PyTorch | GFLOP/s Descent / PyTorch "
          "| Descent peak RSS (its data) | needed | PyTorch peak RSS |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, script, key, flops, needed in WORKLOADS:
        ours = [descent, "run", "-q", "--timings", script]
        if have_torch:
            (step, wall, rss, data), (torch_step, _, torch_rss, _), pair_ratio = side_by_side(
                ours, [sys.executable, "torch_workloads.py", key], env)
        else:
            (step, wall, rss, data), torch_step, torch_rss, pair_ratio = median_of(ours, env), None, None, None
        ratio = f"{pair_ratio:.3g}×" if pair_ratio else "—"
        gflops = f"{flops / step / 1e9:.1f} / " + (f"{flops / torch_step / 1e9:.1f}" if torch_step else "—")
        print(f"| {name} | {fmt_time(step)} | {fmt_time(torch_step) if torch_step else '—'} | {ratio} | {gflops} | "
              f"{rss:.0f} MiB ({data:.1f} MiB) | {needed / 2**20:.2f} MiB | "
              f"{f'{torch_rss:.0f} MiB' if torch_rss else '—'} |")
    starts = start_times([descent, "--version"])
    print()
    try:
        __import__("numpy")
        (_, w1_wall, _, _), (np_step, np_wall, _, _), _ = side_by_side(
            [descent, "run", "-q", "--timings", "w1-article.descent"], [sys.executable, "w1_numpy.py"], env)
        print(f"W1 whole process: descent run {w1_wall * 1e3:.0f} ms, NumPy script {np_wall * 1e3:.0f} ms "
              f"(NumPy {fmt_time(np_step)} per step; the whole script {np_wall / w1_wall:.0f}× slower); "
              f"descent --version {starts * 1e3:.1f} ms.")
    except ImportError:
        print(f"W1 whole process: no NumPy in {sys.executable}, so no comparison with the article's script.")
    hello = hello_world()
    if hello:
        floor = start_times([hello])
        print(f"Start-up: descent --version {starts * 1e3:.1f} ms, a static Swift hello world (Foundation) "
              f"{floor * 1e3:.1f} ms: {starts / floor:.2f}× (target: at most 2×).")
    for script, limit, what in [("w3-bn.descent", 1.3, "batch norm on every hidden layer"),
                                ("w3-adam.descent", 1.1, "adam instead of gd")]:
        _, _, ratio = side_by_side([descent, "run", "-q", "--timings", script],
                                   [descent, "run", "-q", "--timings", "w3-wide-relu.descent"], env)
        print(f"W3 with {what}: {ratio:.2f}× W3's step, pair by pair (target: at most {limit}×).")
    if have_torch:  # the same comparison in PyTorch, for scale
        (adam, _, _, _), (sgd, _, _, _), ratio = side_by_side([sys.executable, "torch_workloads.py", "w3", "adam"],
                                                              [sys.executable, "torch_workloads.py", "w3"], env)
        print(f"PyTorch's W3 with Adam: {ratio:.2f}× its SGD step, pair by pair ({fmt_time(adam)} against {fmt_time(sgd)}).")
    update = adam_update_alone()
    if update:
        print(f"Adam's update alone (adam_update.c): {update}.")
    allocations = [allocations_per_step(descent, script) for _, script, _, _, _ in WORKLOADS]
    if all(a is not None for a in allocations):
        print("malloc calls per step once running (10 vs 210 steps): " +
              ", ".join(f"{key.upper()} {a:.2f}" for (_, _, key, _, _), a in zip(WORKLOADS, allocations)) + ".")
    if idle_rss:
        print(f"An idle descent: peak RSS {idle_rss:.1f} MiB, of which {idle_data:.1f} MiB its own data "
              f"(the rest is the mapped executable and libraries).")


if __name__ == "__main__":
    main()
