#!/usr/bin/env python3
"""Runs the three workloads in Descent, NumPy (W1) and PyTorch (when installed), side by
side, and prints a Markdown table: time per step (median of several runs), ratio to PyTorch,
GFLOP/s, peak RSS, and for W1 the whole process's wall time.

Usage: benchmarks/run.py [--runs N]   (builds descent in release mode first)
PyTorch's CPU build: pip install torch --index-url https://download.pytorch.org/whl/cpu
"""
import os, re, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5

# (name, Descent script, steps, float operations per step: 2·m·n·k for every product of
# the forward pass, twice that for the backward pass, less the input layer's unused δ·Wᵀ)
def dense_flops(rows, sizes):
    forward = sum(2 * rows * a * b for a, b in zip(sizes, sizes[1:]))
    backward = 2 * forward - 2 * rows * sizes[0] * sizes[1]
    return forward + backward

WORKLOADS = [
    ("W1 article 1→1, 4 rows", "w1-article.descent", "w1", dense_flops(4, [1, 1])),
    ("W2 deep sigmoid 8→64×20→1, 256 rows", "w2-deep-sigmoid.descent", "w2", dense_flops(256, [8] + [64] * 20 + [1])),
    ("W3 wide relu 784→512→512→10, 128 rows", "w3-wide-relu.descent", "w3", dense_flops(128, [784, 512, 512, 10])),
]

def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (seconds per step from its 'timing:' line,
    wall seconds of the whole process, peak RSS in MiB)."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "maxrss %M"] + cmd, capture_output=True, text=True,
                       env={**os.environ, **(env or {})}, cwd=HERE)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{p.stderr}")
    m = re.search(r"timing: (\d+) steps? in ([0-9.e+-]+) s", p.stderr)
    rss = int(re.search(r"maxrss (\d+)", p.stderr).group(1)) / 1024
    return float(m.group(2)) / int(m.group(1)), wall, rss

def median_of(cmd, env=None):
    results = [timed(cmd, env) for _ in range(RUNS)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results))

def fmt_time(s):
    return f"{s * 1e6:.3g} µs" if s < 1e-3 else f"{s * 1e3:.3g} ms"

def main():
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "descent"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    descent = os.path.join(ROOT, ".build", "release", "descent")
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
        print("PyTorch is not installed: its column is empty. CPU build: "
              "pip install torch --index-url https://download.pytorch.org/whl/cpu\n", file=sys.stderr)
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    print(f"| workload | Descent per step | PyTorch per step | Descent / PyTorch | Descent GFLOP/s | Descent peak RSS |")
    print(f"| --- | --- | --- | --- | --- | --- |")
    w1_wall = None
    for name, script, key, flops in WORKLOADS:
        step, wall, rss = median_of([descent, "run", "-q", "--timings", script], env)
        if key == "w1":
            w1_wall = wall
        torch_step = median_of([sys.executable, "torch_workloads.py", key], env)[0] if have_torch else None
        ratio = f"{step / torch_step:.2f}×" if torch_step else "—"
        print(f"| {name} | {fmt_time(step)} | {fmt_time(torch_step) if torch_step else '—'} | {ratio} | "
              f"{flops / step / 1e9:.1f} | {rss:.0f} MiB |")
    np_step, np_wall, _ = median_of([sys.executable, "w1_numpy.py"], env)
    starts = []
    for _ in range(RUNS):
        t = time.perf_counter(); subprocess.run([descent, "--version"], capture_output=True); starts.append(time.perf_counter() - t)
    print()
    print(f"W1 whole process: descent run {w1_wall * 1e3:.0f} ms, NumPy script {np_wall * 1e3:.0f} ms "
          f"(NumPy {fmt_time(np_step)} per step); descent --version {statistics.median(starts) * 1e3:.0f} ms")

if __name__ == "__main__":
    main()
