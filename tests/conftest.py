"""Shared fixtures. Every test gets its own progress folder: no test touches a real user's data."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_progress(tmp_path, monkeypatch):
    data_dir = tmp_path / "coursekit-data"
    monkeypatch.setenv("COURSEKIT_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture(scope="session")
def cases_bank():
    from coursekit.bank import load_bank

    return load_bank(FIXTURES / "answer-cases.yml")


def answer_cases():
    return yaml.safe_load((Path(__file__).resolve().parent / "answer_cases.yml").read_text("utf-8"))
