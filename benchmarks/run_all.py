"""Run every benchmark in this folder and print its figures (what `make benchmarks` runs).

Each benchmark is a separate process, run with this interpreter; this script prints the
machine first, then each benchmark's table, and exits non-zero only if a benchmark crashed.
A missed aim is reported in the tables, never as a failure.
"""
from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["asset_size.py", "page_weight.py", "page_interactive.py", "kernel_quiz.py", "content_report.py"]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{datetime.date.today()}  {os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.1f} GiB RAM, "
            f"Python {platform.python_version()}, load average {load}")


def main() -> int:
    print(f"coursekit benchmarks: {machine()}\n")
    failed = []
    for name in BENCHMARKS:
        print(f"=== {name} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / name)], cwd=HERE.parent)
        print(f"--- {name}: exit {code}, {time.perf_counter() - start:.1f} s\n", flush=True)
        if code:
            failed.append(name)
    if failed:
        print("crashed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
