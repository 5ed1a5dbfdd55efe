"""Start the dashboard in AppTest on a given dataset, as a user's `streamlit run` would."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def start_dashboard(db: Path, raw: Path, monkeypatch: pytest.MonkeyPatch, timeout: float = 60) -> AppTest:
    """Run dashboard.py once on dataset `db` with raw articles in `raw`; no run may raise."""
    monkeypatch.setenv("EXODUS_DB", str(db))
    monkeypatch.setenv("EXODUS_RAW", str(raw))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors_shown(at: AppTest) -> str:
    """All error boxes of a run, as one text."""
    return " ".join(e.value for e in at.error)
