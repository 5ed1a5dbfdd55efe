import json

from exodus.evaluate import evaluate, format_report, quote_matches
from tests.fixtures.sample_dataset import make_sample_dataset


def test_quote_matching_is_token_containment_either_way():
    assert quote_matches("we were afraid", "We left at night because we were afraid of the summons")
    assert quote_matches("“We left at night because we were afraid of the summons,” he said",
                         "We left at night because we were afraid")
    assert not quote_matches("we were not afraid", "We left at night because we were afraid")


def _gold(tmp_path, articles):
    p = tmp_path / "gold.json"
    p.write_text(json.dumps({"corpus": "t", "articles": articles}))
    return p


def test_scores_against_a_small_gold_file(tmp_path):
    db = make_sample_dataset(tmp_path / "d.sqlite")
    gold = _gold(tmp_path, [{
        "file": "one.txt",
        "quotes": [
            {"text": "We left at night because we were afraid of the summons", "speaker": "Ivan Petrov",
             "speaker_aliases": ["Petrov"], "required": True},
            {"text": "A quote the dataset does not have at all", "speaker": None, "required": True},
        ],
        "figures": [
            {"value": 12, "unit": "km", "raw": "12 kilometres", "required": True},
            {"value": 5, "unit": "people", "raw": "five", "required": True},
        ],
        "not_figures": ["80%"],
        "destinations": [{"country": "GE", "required": True}, {"country": "TR", "required": True}],
    }])
    rep = evaluate(gold, db)
    assert (rep.quotes.found, rep.quotes.required) == (1, 2)
    assert (rep.quotes.right, rep.quotes.stored) == (1, 2)  # the colon quote is not in this gold
    assert (rep.speakers_right, rep.speakers_total) == (1, 1)
    assert (rep.figures.found, rep.figures.required) == (1, 2)
    assert rep.dates_as_figures == 1  # '80%' listed as not a figure in this gold
    assert (rep.destinations.found, rep.destinations.required) == (1, 2)
    assert (rep.destinations.right, rep.destinations.stored) == (1, 2)  # FI is not in this gold
    text = format_report(rep)
    assert "quote not found" in text and "destination not found" in text


def test_unnamed_quote_given_a_name_is_counted(tmp_path):
    db = make_sample_dataset(tmp_path / "d.sqlite")
    gold = _gold(tmp_path, [{
        "file": "two.html",
        "quotes": [{"text": "We left at night because we were afraid", "speaker": None, "required": True}],
        "figures": [], "not_figures": [], "destinations": [],
    }])
    assert evaluate(gold, db).unnamed_given_name == 1


def test_article_missing_from_dataset_is_reported(tmp_path):
    db = make_sample_dataset(tmp_path / "d.sqlite")
    gold = _gold(tmp_path, [{"file": "absent.txt", "quotes": [], "figures": [], "not_figures": [],
                             "destinations": [{"country": "AM", "required": True}]}])
    rep = evaluate(gold, db)
    assert rep.articles_missing == ["absent.txt"]
    assert rep.destinations.recall == 0.0
    assert rep.as_dict()["destinations"]["recall"] == 0.0


def test_quote_nested_in_a_named_quote_is_not_an_unnamed_quote(tmp_path):
    db = make_sample_dataset(tmp_path / "d.sqlite")
    gold = _gold(tmp_path, [{
        "file": "one.txt",
        "quotes": [
            {"text": "We left at night because we were afraid of the summons", "speaker": "Ivan Petrov",
             "required": True},
            {"text": "afraid of the summons", "speaker": None, "required": False},
        ],
        "figures": [], "not_figures": [], "destinations": [],
    }])
    assert evaluate(gold, db).unnamed_given_name == 0


def test_year_shaped_figure_counts_as_a_date_unless_gold_lists_it():
    from exodus.evaluate import _is_date_like

    assert _is_date_like("2021", [], is_gold_figure=False)
    assert not _is_date_like("2000", [], is_gold_figure=True)  # "over 2000 Russians"
    assert _is_date_like("24", ["February 24"], is_gold_figure=False)


def test_same_written_number_in_the_same_unit_matches_across_spellings():
    from exodus.evaluate import figure_matches

    gold = {"value": 300000, "unit": "roubles", "raw": "300,000 roubles"}
    assert figure_matches(gold, 300000.0, "300,000 rubles", "roubles")
    assert not figure_matches(gold, 300000.0, "300,000 rubles", "usd")
    assert not figure_matches(gold, 30000.0, "30,000 rubles", "roubles")


def test_a_listed_figure_is_not_a_date_because_its_digits_occur_in_a_listed_date():
    from exodus.evaluate import _is_date_like

    assert not _is_date_like("11", ["11pm", "3 October"], is_gold_figure=True)
    assert not _is_date_like("3", ["3 October"], is_gold_figure=True)
    assert _is_date_like("3", ["3 October"], is_gold_figure=False)
    assert _is_date_like("3 October", ["3 October"], is_gold_figure=True)
    assert not _is_date_like("13", ["3 October"], is_gold_figure=False)  # whole tokens only
