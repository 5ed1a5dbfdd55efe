"""About page: method, extraction quality against the gold annotation, contract, rebuild, licence.

Two datasets: the hand-made sample (no gold articles in it: the page must say so, never
show zeros) and the real one built from data/raw with exodus.pipeline.build (the table
must show the same numbers as `python -m exodus evaluate`).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import quality
from tests.app.conftest import ROOT, no_exceptions

RAW = ROOT / "data" / "raw"
GOLD = ROOT / "data" / "gold" / "seeds.gold.json"
ABOUT = "app_pages/about.py"


def _build(raw: Path, out: Path) -> Path:
    try:
        from exodus.pipeline import build
    except ImportError as exc:  # the extractors are written in parallel; tell, don't fail
        pytest.skip(f"exodus.pipeline cannot be imported yet ({exc}); the real-dataset About test needs it")
    build(raw, out)
    return out


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    if not GOLD.is_file() or not RAW.is_dir():
        pytest.skip("data/gold/seeds.gold.json or data/raw is missing")
    return _build(RAW, tmp_path_factory.mktemp("real") / "real.sqlite")


def run_about(db: Path, monkeypatch, tmp_path, **params) -> AppTest:
    monkeypatch.setenv("EXODUS_DB", str(db))
    monkeypatch.setenv("EXODUS_RAW", str(tmp_path / "no-raw-folder"))  # never rebuild
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(ABOUT)
    at.run()
    return at


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [c.value for c in at.caption]
    return "\n".join(parts)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_sample_dataset_says_gold_articles_are_absent(app):
    at = app(ABOUT)
    no_exceptions(at)
    assert any("does not contain the 5 hand-annotated articles" in i.value for i in at.info)
    # No score is shown instead of a score of zero.
    assert not at.table
    assert not any("recall" in label.lower() for label in metrics(at))
    assert "0.0%" not in texts(at)


def test_about_has_method_contract_rebuild_citation_licence(app):
    at = app(ABOUT)
    no_exceptions(at)
    headers = [h.value for h in at.header]
    assert headers == ["Method", "Extraction quality", "Add articles and rebuild", "Data contract", "Cite",
                       "Licence"]
    code = [c.value for c in at.code]
    assert "python -m exodus build --input data/raw --output data/exodus.sqlite" in code
    assert any(c.startswith("Exit Routes contributors.") and "version test" in c for c in code)
    body = texts(at)
    for needle in ("EXODUS_DB", "EXODUS_RAW", "`published`", "GeoNames (CC BY 4.0)", "Natural Earth",
                   "MIT licence", "rebuilds the dataset on its next start"):
        assert needle in body, needle
    # The data contract is rendered from the repository's docs/DATA_CONTRACT.md.
    contract = (ROOT / "docs" / "DATA_CONTRACT.md").read_text(encoding="utf-8")
    assert any(m.value.strip() == contract.strip() for m in at.markdown)


def test_about_counts_and_skipped_files(app):
    at = app(ABOUT)
    m = metrics(at)
    assert (m["Articles"], m["Quotes"], m["Skipped files"]) == ("2", "4", "1")
    skipped = next(d.value for d in at.dataframe if "Reason" in d.value.columns)
    assert list(skipped["File"]) == ["broken.bin"]


def test_about_malformed_params_notice(app):
    at = app(ABOUT, country="<script>alert(1)</script>", to="2022-02-30")
    no_exceptions(at)
    assert at.warning and "ignored" in at.warning[0].value
    # The bad value is quoted inside a code span (rendered as text), and the page still renders.
    assert "`<script>alert(1)</script>`" in at.warning[0].value
    assert [h.value for h in at.header][0] == "Method"


def test_real_dataset_quality_table_matches_evaluate(real_db, monkeypatch, tmp_path):
    from exodus.evaluate import evaluate

    at = run_about(real_db, monkeypatch, tmp_path)
    no_exceptions(at)
    assert not at.info or not any("does not contain" in i.value for i in at.info)
    table = at.table[0].value
    assert list(table.index) == ["Quotes", "Speaker attribution", "Figures", "Destinations"]
    rep = evaluate(GOLD, real_db)
    assert table.loc["Quotes", "Recall"] == f"{rep.quotes.recall * 100:.1f}%"
    assert table.loc["Quotes", "Precision"] == f"{rep.quotes.precision * 100:.1f}%"
    assert table.loc["Figures", "Recall"] == f"{rep.figures.recall * 100:.1f}%"
    assert table.loc["Destinations", "Precision"] == f"{rep.destinations.precision * 100:.1f}%"
    assert table.loc["Speaker attribution", "Precision"] == f"{rep.speaker_accuracy * 100:.1f}%"
    assert table.loc["Speaker attribution", "Recall"] == "–"
    assert f"{rep.figures.stored} stored" in table.loc["Figures", "Counts"]
    assert metrics(at)["Dates stored as figures"] == str(rep.dates_as_figures)
    assert any("How matching works" in c.value for c in at.caption)
    # Built from exactly data/raw: no "not the bundled corpus" note.
    assert not any("not the bundled corpus" in i.value for i in at.info)


def test_partial_corpus_says_recall_understated(tmp_path_factory, monkeypatch, tmp_path):
    if not GOLD.is_file() or not RAW.is_dir():
        pytest.skip("data/gold/seeds.gold.json or data/raw is missing")
    raw = tmp_path_factory.mktemp("partial-raw")
    files = sorted(quality.gold_files(GOLD))[:2]
    for name in files:
        shutil.copy(RAW / name, raw / name)
    (raw / "extra.txt").write_text(
        "Queues at the border\n\nMany men crossed into Mongolia at Altanbulag this week, "
        "border guards said.\n", encoding="utf-8")
    db = _build(raw, tmp_path_factory.mktemp("partial") / "partial.sqlite")
    at = run_about(db, monkeypatch, tmp_path)
    no_exceptions(at)
    assert at.table  # scored on the two annotated articles present
    assert any("Only 2 of the 5 annotated articles" in w.value for w in at.warning)
    assert any("not the bundled corpus" in i.value and "3 articles" in i.value for i in at.info)


def test_quality_view_handles_missing_gold(tmp_path):
    # assess() is pure apart from the dataset: a missing gold file gives "no_gold", not an error.
    assert quality.assess(tmp_path / "nope.json").status == "no_gold"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert quality.assess(bad).status == "unreadable"
