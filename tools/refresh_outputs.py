"""Run notebooks and store their outputs, cleanly, so that nbval has something to compare.

    python tools/refresh_outputs.py chapters/*.ipynb exercises/*.ipynb

Run it after changing a chapter, its bank or the quiz rendering, then commit the result:
the stored quiz HTML is what makes nbval fail when a bank or the rendering changes.
Outputs are made reproducible: no widget state or widget-view output (their model ids are
random), no timings, execution counts numbered in order, progress kept in a throw-away
folder so nobody's saved answers leak into the files.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def clean(nb: nbformat.NotebookNode) -> None:
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output.execution_count = count
            output.get("data", {}).pop(WIDGET_MIME, None)
            output.get("metadata", {}).pop(WIDGET_MIME, None)


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["COURSEKIT_DATA_DIR"] = data_dir
        NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False, store_widget_state=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    clean(nb)
    nbformat.write(nb, path)
    print(f"refreshed {path}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for arg in sys.argv[1:]:
        refresh(Path(arg))
