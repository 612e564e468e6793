"""The JSON export: every field of every question and discussion, versioned. Each question is
serialize.to_json (the one JSON form of a question)."""
from __future__ import annotations

from collections.abc import Sequence

from ..model import Bank
from ..serialize import to_json

EXPORT_FORMAT = "coursekit-bank-export"
EXPORT_VERSION = 2  # 2 added each question's level and each perspective's sources


def to_bank_json(banks: Sequence[Bank]) -> dict:
    """A versioned, self-describing export of whole banks (questions and discussions)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "banks": [{
            "chapter": bank.chapter, "title": bank.title, "course": bank.course,
            "objectives": dict(bank.objectives),
            "questions": [to_json(q) for q in bank.questions],
            "discussions": [{
                "id": d.id, "prompt": d.prompt, "guiding_questions": list(d.guiding_questions),
                "suggested_words": d.suggested_words,
                "perspectives": [{"title": p.title, "text": p.text, "sources": list(p.sources)} for p in d.perspectives],
            } for d in bank.discussions],
        } for bank in banks],
    }


__all__ = ["to_bank_json", "EXPORT_FORMAT", "EXPORT_VERSION"]
