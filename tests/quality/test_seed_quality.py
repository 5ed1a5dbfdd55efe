"""Extraction quality on the bundled articles, scored by `exodus evaluate` against the hand
annotation in data/gold/seeds.gold.json (the bar set in the dataset issue).

These five articles also guided the rules, so this is the optimistic end; the held-out
set in tests/fixtures/heldout measures generalisation.
"""
from pathlib import Path

import pytest

from exodus.evaluate import evaluate
from exodus.pipeline import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    db = tmp_path_factory.mktemp("quality") / "seeds.sqlite"
    build(ROOT / "data" / "raw", db)
    return evaluate(ROOT / "data" / "gold" / "seeds.gold.json", db)


def test_every_gold_article_is_in_the_dataset(report):
    assert report.articles_missing == []


def test_quotes(report):
    assert report.quotes.recall >= 0.95, report.misses
    assert report.quotes.precision >= 0.90, report.misses


def test_speaker_attribution(report):
    assert report.speaker_accuracy >= 0.90, report.misses
    assert report.unnamed_given_name == 0, report.misses


def test_figures(report):
    assert report.figures.recall >= 0.90, report.misses
    assert report.figures.precision >= 0.90, report.misses
    assert report.dates_as_figures == 0, report.misses


def test_destinations(report):
    assert report.destinations.recall >= 0.90, report.misses
    assert report.destinations.precision >= 0.85, report.misses
