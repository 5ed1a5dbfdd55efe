"""AppTest fixtures: the app pointed at a known dataset through EXODUS_DB / EXODUS_RAW."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from exodus.pipeline import build
from tests.fixtures.sample_dataset import make_sample_dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    return make_sample_dataset(tmp_path_factory.mktemp("sample") / "sample.sqlite")


@pytest.fixture(scope="session")
def heldout_db(tmp_path_factory) -> Path:
    """The first held-out articles, built once per session (real extraction, not a fixture file)."""
    db = tmp_path_factory.mktemp("heldout") / "heldout.sqlite"
    build(ROOT / "tests" / "fixtures" / "heldout", db)
    return db


@pytest.fixture(params=["sample", "heldout"])
def dataset(request, sample_db, heldout_db, monkeypatch) -> Path:
    """The app pointed at the sample, then at the built held-out articles."""
    db = sample_db if request.param == "sample" else heldout_db
    monkeypatch.setenv("EXODUS_DB", str(db))
    return db


@pytest.fixture
def app(sample_db, monkeypatch, tmp_path):
    """A factory: app(page=None, **query_params) -> AppTest already run once."""
    monkeypatch.setenv("EXODUS_DB", str(sample_db))
    monkeypatch.setenv("EXODUS_RAW", str(tmp_path / "no-raw-folder"))  # never rebuild the sample

    def make(page: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        if page:
            at.switch_page(page)
        at.run()
        return at

    return make


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
