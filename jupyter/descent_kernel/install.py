"""Installs the kernelspec `descent` for the Jupyter of this Python, as
`python -m ipykernel install` does for IPython: a user kernelspec by default, or into
sys.prefix (--sys-prefix) or another prefix (--prefix DIR)."""

import argparse
import json
import os
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpecManager


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m descent_kernel.install", description=__doc__)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="install for this user (the default)")
    where.add_argument("--sys-prefix", action="store_true", help="install into sys.prefix (a venv or conda env)")
    where.add_argument("--prefix", metavar="DIR", help="install into DIR/share/jupyter/kernels")
    parser.add_argument("--descent", metavar="PATH", required=True, help="the descent binary the kernel runs")
    args = parser.parse_args(argv)
    binary = os.path.abspath(args.descent)
    if not os.access(binary, os.X_OK):
        parser.error(f"{binary} is not an executable descent binary")
    spec = {
        "argv": [sys.executable, "-m", "descent_kernel", "-f", "{connection_file}"],
        "display_name": "Descent",
        "language": "descent",
        "interrupt_mode": "signal",
        "env": {"DESCENT_BINARY": binary},
        "metadata": {"debugger": False},
    }
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "kernel.json"), "w") as f:
            json.dump(spec, f, indent=2)
        prefix = sys.prefix if args.sys_prefix else args.prefix
        path = KernelSpecManager().install_kernel_spec(folder, "descent", user=prefix is None, prefix=prefix)
    print(f"installed the kernelspec 'descent' in {path} (it runs {binary})")


if __name__ == "__main__":
    main()
