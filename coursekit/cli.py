"""The `coursekit` command. Each group of subcommands lives in its own module, which
adds its parsers through register(subparsers)."""
from __future__ import annotations

import argparse
import sys

from pathlib import Path

from .bank import BankError, bibliography_keys, check_sources, find_banks, load_banks


def cmd_validate(args) -> int:
    paths = find_banks(args.paths)
    if not paths:
        print("coursekit validate: no bank files found in " + " ".join(args.paths), file=sys.stderr)
        return 1
    try:
        banks = load_banks(paths)
        bibliography = Path(args.bibliography)
        if bibliography.is_file():
            check_sources(banks, bibliography_keys(bibliography))
    except BankError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    count = sum(len(b.questions) for b in banks)
    print(f"ok: {len(banks)} bank(s), {count} questions")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import assign, editions, exports, gradebook  # each registers its subcommands

    parser = argparse.ArgumentParser(prog="coursekit", description="Course tools: banks, editions, assignments, grading.")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check question banks (files or folders)")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--bibliography", default="references.bib", metavar="FILE.bib",
                          help="perspectives' sources must be keys of this file (default: references.bib, if present)")
    validate.set_defaults(run=cmd_validate)
    editions.register(sub)
    assign.register(sub)
    exports.register(sub)
    gradebook.register(sub)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BankError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
