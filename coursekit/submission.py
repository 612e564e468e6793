"""The submission file: one versioned JSON format, from Jupyter and from the book alike.

The schema is coursekit/schemas/submission-v1.schema.json and is documented in
docs/submission-format.md; `coursekit grade` reads these files.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from .grading import strip_accents
from .progress import now_iso

SUBMISSION_FORMAT = "coursekit-submission"
SUBMISSION_VERSION = 1


@lru_cache(maxsize=1)
def submission_schema() -> dict:
    text = resources.files("coursekit").joinpath("schemas/submission-v1.schema.json").read_text("utf-8")
    return json.loads(text)


def build_submission(*, course: str, chapter: str, student: str, answers: dict, responses: dict,
                     source: str = "jupyter", mode: str = "practice", created: str | None = None) -> dict:
    data = {
        "format": SUBMISSION_FORMAT,
        "version": SUBMISSION_VERSION,
        "course": course,
        "chapter": chapter,
        "student": student.strip(),
        "created": created or now_iso(),
        "source": source,
        "mode": mode,
        "answers": answers,
        "responses": responses,
    }
    validate_submission(data)
    return data


def schema_errors(data) -> list[str]:
    """Every way `data` breaks the schema, as readable lines (empty when valid)."""
    import jsonschema  # imported here: it takes most of a second, and only exports need it

    validator = jsonschema.Draft202012Validator(submission_schema())
    errors = []
    for error in sorted(validator.iter_errors(data), key=lambda err: list(err.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        errors.append(f"{where}: {error.message}")
    return errors


def validate_submission(data) -> None:
    errors = schema_errors(data)
    if errors:
        raise ValueError("not a valid submission: " + "; ".join(errors[:5]))


def submission_filename(chapter: str, student: str) -> str:
    """Same rule as slug() in static/coursekit.js: accents folded, safe on every file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", strip_accents(student).lower()).strip("-")[:40].rstrip("-") or "student"
    return f"submission-{chapter}-{slug}.json"


__all__ = ["build_submission", "validate_submission", "schema_errors", "submission_schema",
           "submission_filename", "SUBMISSION_FORMAT", "SUBMISSION_VERSION"]
