"""Re-executes notebooks that Descent exported with the descent kernel (nbclient, as
"Run All" in Jupyter does) and checks that every code cell prints the same stream output
and shows the same charts (as SVG) as in the export. Usage: roundtrip.py NOTEBOOK.ipynb …
Exit 1 naming the first cell that differs."""

import sys

import nbclient
import nbformat


def outputs(cell):
    streams = "".join(o.get("text", "") for o in cell.get("outputs", []) if o["output_type"] == "stream")
    charts = [o["data"].get("image/svg+xml") for o in cell.get("outputs", [])
              if o["output_type"] == "display_data" and "image/svg+xml" in o.get("data", {})]
    return streams, charts


def main(paths):
    for path in paths:
        exported = nbformat.read(path, as_version=4)
        executed = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(executed, timeout=600, kernel_name="descent", allow_errors=False).execute()
        code = [(a, b) for a, b in zip(exported.cells, executed.cells) if a.cell_type == "code"]
        for n, (a, b) in enumerate(code, 1):
            if outputs(a) != outputs(b):
                print(f"{path}: code cell {n} ({a.source!r}) differs:\n  exported: {outputs(a)[0]!r}\n  executed: {outputs(b)[0]!r}",
                      file=sys.stderr)
                return 1
        print(f"{path}: {len(code)} code cells, the same outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
