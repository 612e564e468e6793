"""Bytes of the static assets the book ships: coursekit.js and coursekit.css, raw and gzipped,
as written (the source) and as served (minified at build time by coursekit/sphinx_ext.py).

Aim: at most 12 KB (12 * 1024 bytes) gzipped, both files together.
Prints a table; never fails on a missed aim (exit 0).
"""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "coursekit" / "static"
FILES = ["coursekit.js", "coursekit.css"]
AIM_GZIP = 12 * 1024


def gz(data: bytes) -> int:
    # mtime=0 so the figure does not depend on the clock (the header is the same size anyway)
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from coursekit.sphinx_ext import served_static

    served = served_static()
    written = [(name + " as written", (STATIC / name).read_bytes()) for name in FILES]
    rows = []
    blobs = []
    for name in FILES:
        data = served[name]
        blobs.append(data)
        rows.append((name + " as served", len(data), gz(data)))
    together = b"".join(blobs)
    # "together" two ways: the sum of two separately gzipped files (what a server sends for
    # two requests) and one gzip stream of both (a lower bound)
    sum_raw = sum(r[1] for r in rows)
    sum_gz = sum(r[2] for r in rows)
    print("asset_size: coursekit static assets (gzip level 9)")
    print(f"{'file':<28}{'raw bytes':>12}{'gzip bytes':>12}{'ratio':>8}")
    for name, data in written:
        print(f"{name:<28}{len(data):>12,}{gz(data):>12,}{gz(data) / len(data):>8.2f}")
    for name, raw, g in rows:
        print(f"{name:<28}{raw:>12,}{g:>12,}{g / raw:>8.2f}")
    print(f"{'together (sum of files)':<28}{sum_raw:>12,}{sum_gz:>12,}{sum_gz / sum_raw:>8.2f}")
    print(f"{'together (one stream)':<28}{len(together):>12,}{gz(together):>12,}")
    verdict = "MET" if sum_gz <= AIM_GZIP else f"MISSED by {sum_gz - AIM_GZIP:,} bytes"
    print(f"aim: <= {AIM_GZIP:,} bytes (12 KB) gzipped together -> {sum_gz:,} bytes "
          f"({sum_gz / 1024:.1f} KB): {verdict}")


if __name__ == "__main__":
    main()
