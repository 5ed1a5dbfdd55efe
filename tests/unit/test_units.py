from pathlib import Path

from exodus.figures import extract_figures
from exodus.ingest import read_corpus
from exodus.units import MONEY_UNITS, UNITS, unit_forms, unit_label

ROOT = Path(__file__).resolve().parents[2]


def test_every_unit_the_extractor_emits_is_catalogued():
    seen = set()
    for folder in ("data/raw", "tests/fixtures/heldout", "tests/fixtures/heldout2"):
        articles, _ = read_corpus(ROOT / folder)
        for a in articles:
            seen |= {f.unit for f in extract_figures(a.text)}
    assert seen and seen <= set(UNITS), seen - set(UNITS)


def test_value_forms_and_labels():
    assert unit_forms("usd") == ("$", "")
    assert unit_forms("km") == ("", " km")
    assert unit_forms("furlongs") == ("", " furlongs")  # unknown units still read as words
    assert unit_label("kzt") == "tenge"
    assert {"roubles", "usd", "eur", "kzt"} <= MONEY_UNITS and "people" not in MONEY_UNITS
