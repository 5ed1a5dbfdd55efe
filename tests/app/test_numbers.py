"""Numbers page: AppTest views from URLs, and unit tests of components/charts.py.

The sample dataset (tests/fixtures/sample_dataset.py) has three figures, each in a metric:
border_queue_km (12 km, article one), border_entries_change (80%, article one) and
border_entries (2,000 people, article two: outlet 'Other <i>Outlet</i>', destination KZ).
"""
from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from components import charts
from tests.app.conftest import no_exceptions

PAGE = "app_pages/numbers.py"
LABELS = {
    "border_queue_km": "Border queue length",
    "border_entries_change": "Change in border entries",
    "border_entries": "People crossing the border",
}


# ---------------------------------------------------------------- helpers

def figures_table(at) -> pd.DataFrame:
    tables = [d for d in at.dataframe if getattr(d, "key", None) == "figures-table"]
    assert len(tables) == 1, "the all-figures table is missing"
    return tables[0].value


def headings(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def warnings(at) -> str:
    return "\n".join(w.value for w in at.warning)


def plotly_specs(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.fixture
def downloads(monkeypatch):
    """Capture what st.download_button hands to the media file storage."""
    seen: list[dict] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        seen.append({"data": path_or_data, "mimetype": mimetype, "filename": filename})
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen


# ---------------------------------------------------------------- views from URLs

def test_default_view_lists_every_metric_and_all_figures(app):
    at = app(PAGE)
    no_exceptions(at)
    assert "what was counted" in at.title[0].value
    text = headings(at)
    for label in LABELS.values():
        assert label in text.replace("\\", "")
    table = figures_table(at)
    assert len(table) == 3
    assert set(table["metric"]) == set(LABELS)
    assert len(at.get("plotly_chart")) == 3  # one chart per metric
    assert not at.warning
    assert at.selectbox(key="metric").value is None


def test_metric_param_shows_only_that_metric(app):
    at = app(PAGE, metric="border_queue_km")
    no_exceptions(at)
    assert at.selectbox(key="metric").value == "border_queue_km"
    table = figures_table(at)
    assert list(table["metric"]) == ["border_queue_km"]
    assert list(table["value"]) == [12.0]
    assert list(table["unit"]) == ["km"]
    specs = plotly_specs(at)
    assert len(specs) == 1
    assert "(km)" in specs[0]["layout"]["yaxis"]["title"]["text"]
    text = headings(at).replace("\\", "")
    assert "Border queue length: 12 km" in text
    assert "People crossing the border" not in text and "Change in border entries" not in text
    assert not at.warning


@pytest.mark.parametrize("bad", ["nope", "<script>alert(1)</script>", "x" * 5000, "border_queue_km'--"])
def test_unknown_metric_gives_a_notice_and_the_full_view(app, bad):
    at = app(PAGE, metric=bad)
    no_exceptions(at)
    notice = warnings(at)
    assert "no metric called" in notice
    # The value is shown shortened and inside a code span, so it renders as text.
    assert "`" + bad[:40] in notice
    assert len(notice) < 400
    assert at.selectbox(key="metric").value is None
    assert len(figures_table(at)) == 3


def test_script_in_metric_param_is_never_markup(app):
    at = app(PAGE, metric="<script>alert(1)</script>")
    no_exceptions(at)
    for el in [*at.markdown, *at.caption, *at.info]:
        assert "<script" not in el.value
    notice = warnings(at)
    assert notice.count("`") == 2 and "`<script>alert(1)</script>`" in notice


def test_shared_country_narrows_to_article_two(app):
    at = app(PAGE, country="KZ")
    no_exceptions(at)
    table = figures_table(at)
    assert list(table["article_id"]) == ["two"]
    assert list(table["value"]) == [2000.0]
    assert list(table["metric"]) == ["border_entries"]
    assert len(at.get("plotly_chart")) == 1
    assert "destination Kazakhstan" in "\n".join(c.value for c in at.caption)


def test_filters_that_leave_nothing_say_what_to_clear(app):
    at = app(PAGE, country="KZ", metric="border_queue_km")
    no_exceptions(at)
    assert at.info, "expected an empty-state message"
    msg = at.info[0].value.replace("\\", "")
    assert "No figures for Border queue length with destination Kazakhstan (KZ)" in msg
    assert "Clear a filter" in msg
    assert not at.get("plotly_chart")
    assert not [d for d in at.dataframe if getattr(d, "key", None) == "figures-table"]


def test_download_is_the_shown_rows(app, downloads):
    at = app(PAGE, country="KZ")
    no_exceptions(at)
    button = at.download_button(key="download-figures")
    assert button.label == "Download CSV"
    csvs = [d for d in downloads if d["mimetype"] == "text/csv"]
    assert csvs, "no CSV handed to the download button"
    got = csvs[-1]
    assert got["filename"] == "exit-routes-figures-KZ.csv"
    frame = pd.read_csv(io.BytesIO(got["data"]), encoding="utf-8-sig")
    shown = figures_table(at)
    assert len(frame) == len(shown) == 1
    assert list(frame["Figure id"]) == list(shown["figure_id"])
    assert list(frame["Value"]) == list(shown["value"])
    assert list(frame["As written"]) == ["2,000"]


def test_download_of_the_default_view_has_all_rows(app, downloads):
    at = app(PAGE)
    csv = [d for d in downloads if d["mimetype"] == "text/csv"][-1]
    assert csv["filename"] == "exit-routes-figures-all.csv"
    frame = pd.read_csv(io.BytesIO(csv["data"]), encoding="utf-8-sig")
    assert sorted(frame["Figure id"]) == sorted(figures_table(at)["figure_id"])


def test_rows_link_to_their_sentence_in_sources(app):
    at = app(PAGE, metric="border_entries")
    table = figures_table(at)
    start, end = int(table["span"][0].split("-")[0]), int(table["span"][0].split("-")[1])
    assert table["link"][0] == f"sources?article=two&span={start}-{end}"
    assert end > start


def test_hostile_outlet_is_inert_everywhere(app):
    at = app(PAGE)
    no_exceptions(at)
    # Markdown (source lines): the outlet's tags are backslash-escaped, so they show literally.
    captions = "\n".join(c.value for c in at.caption)
    assert "Other <i>Outlet</i>" in re.sub(r"\\(.)", r"\1", captions)
    assert not re.search(r"(?<!\\)[<>]", captions)
    # Plotly (legend names, hover text): HTML-escaped, so plotly shows the tags as text.
    specs = json.dumps(plotly_specs(at))
    assert "Other &lt;i&gt;Outlet&lt;/i&gt;" in specs
    assert "<i>Outlet" not in specs


# ---------------------------------------------------------------- components/charts.py

def _frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "figure_id": None, "article_id": "a", "value": 1.0, "value_high": None, "unit": "km",
        "counts": "queue", "raw": "1 km", "metric": "border_queue_km", "approximate": 0,
        "start": 0, "end": 4, "rule": "t", "confidence": 0.9, "outlet": "Wire",
        "published": "2022-09-24", "title": "T", "story_id": None, "sentence": "A queue of 1 km.",
    }
    out = []
    for i, r in enumerate(rows):
        row = {**base, **r}
        row["figure_id"] = row["figure_id"] or f"f{i}"
        out.append(row)
    return charts.prepare(pd.DataFrame(out))


def test_metric_figure_traces_axes_and_units():
    df = _frame([
        {"value": 10, "outlet": "AP", "article_id": "x", "published": "2022-09-23"},
        {"value": 12, "outlet": "Wire", "article_id": "y"},
        {"value": 16, "outlet": "Reuters", "article_id": "z", "published": "2022-09-26"},
    ])
    colours = charts.outlet_colours(["Wire", "AP", "Reuters"])
    fig = charts.metric_figure(df, "border_queue_km", "km", colours)
    assert [t.name for t in fig.data] == ["AP", "Wire", "Reuters"]  # one trace per outlet, by date
    assert [list(t.y) for t in fig.data] == [[10], [12], [16]]  # every figure its own mark
    assert fig.data[1].marker.color == charts.OKABE_ITO[0]  # Wire keeps its dataset colour
    assert fig.layout.yaxis.title.text == "Border queue length (km)"
    assert fig.layout.xaxis.title.text == "Publication date"
    assert fig.layout.xaxis.type == "date"


@pytest.mark.parametrize("unit,shown", [("percent", "(%)"), ("fold", "(x-fold)"), ("people", "(people)"),
                                        ("roubles", "(roubles)")])
def test_y_axis_title_names_the_unit(unit, shown):
    df = _frame([{"unit": unit, "metric": "people_left"}])
    fig = charts.metric_figure(df, "people_left", unit, {})
    assert shown in fig.layout.yaxis.title.text.replace("<br>", " ")


def test_hover_text_is_escaped_and_wrapped():
    sentence = ("They said <script>alert(1)</script> and [click](javascript:alert(2)) while "
                "the queue stretched <b>far</b> along the road to the border for many hours.")
    df = _frame([{"sentence": sentence, "outlet": "Other <i>Outlet</i>", "raw": "<img src=x onerror=alert(1)>"}])
    fig = charts.metric_figure(df, "border_queue_km", "km", {})
    hover = fig.data[0].hovertext[0]
    assert "<script" not in hover and "<img" not in hover and "<i>" not in hover and "<b>far" not in hover
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hover
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover
    assert "Other &lt;i&gt;Outlet&lt;/i&gt; · 2022-09-24" in hover
    assert fig.data[0].name == "Other &lt;i&gt;Outlet&lt;/i&gt;"
    # Our own tags only: <b> around the raw string and <br> between lines.
    assert set(__import__("re").findall(r"<(/?\w+)", hover)) <= {"b", "/b", "br", "i", "/i"}
    quoted = hover.split("“", 1)[1]
    for line in quoted.split("<br>"):
        plain = line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert len(plain) <= charts.HOVER_WIDTH + 1


def test_missing_dates_fall_back_to_outlet_categories():
    df = _frame([{"published": None, "outlet": "Daily Express"}, {"published": "2022-09-24", "article_id": "b"}])
    fig = charts.metric_figure(df, "border_queue_km", "km", {})
    assert fig.layout.xaxis.type == "category"
    xs = [x for t in fig.data for x in t.x]
    assert "Daily Express<br>no date" in xs


def test_ranges_draw_an_error_bar_to_the_upper_bound():
    df = _frame([{"value": 200000, "value_high": 260000, "unit": "people", "metric": "people_left"}])
    fig = charts.metric_figure(df, "people_left", "people", {})
    assert list(fig.data[0].error_y.array) == [60000]
    assert fig.data[0].text[0] == "200k–260k"


def test_labels_are_dropped_only_where_marks_crowd():
    """A value label is left off a mark close to another in x (7% of the span) and in y (12%)."""
    day = pd.Timestamp
    xs = [day("2022-09-01"), day("2022-09-02"), day("2022-12-01"), day("2022-12-01")]
    span = (day("2022-12-31") - day("2022-09-01")).total_seconds()
    # 1 and 2: a day apart, values 10 and 11 of 100: crowded. 3 and 4: same day, 10 and 90: apart.
    assert charts._crowded(xs, [10, 11, 10, 90], "date", span, 100) == [True, True, False, False]
    assert charts._crowded(xs, [10, 50, 10, 90], "date", span, 100) == [False, False, False, False]
    cats = ["A<br>no date", "A<br>no date", "B<br>no date"]
    assert charts._crowded(cats, [5, 6, 5], "category", 1.0, 100) == [True, True, False]
    assert charts._crowded(xs[:1], [1], "date", span, 1) == [False]


def test_same_value_same_day_from_two_outlets_sit_side_by_side():
    df = _frame([{"outlet": "A", "article_id": "a"}, {"outlet": "B", "article_id": "b"}])
    fig = charts.metric_figure(df, "border_queue_km", "km", {})
    assert fig.layout.scattermode == "group"
    assert len(fig.data) == 2 and fig.data[0].offsetgroup != fig.data[1].offsetgroup


def test_conflicts_flag_same_month_different_values():
    df = _frame([
        {"value": 10, "article_id": "ap", "outlet": "AP", "published": "2022-09-23"},
        {"value": 16, "article_id": "rt", "outlet": "Reuters", "published": "2022-09-26"},
        {"value": 5, "article_id": "old", "outlet": "Old", "published": "2022-03-01"},
    ])
    c = charts.conflicts(df)
    assert sorted(c["article_id"]) == ["ap", "rt"]
    assert c["basis"].str.contains("same month").all()
    assert c["group"].nunique() == 1


def test_conflicts_flag_rewrites_of_one_story_across_months():
    df = _frame([
        {"value": 300000, "unit": "people", "metric": "mobilisation_callup", "article_id": "a", "story_id": "s",
         "published": "2022-09-21"},
        {"value": 200000, "unit": "people", "metric": "mobilisation_callup", "article_id": "b", "story_id": "s",
         "published": "2022-10-02"},
    ])
    c = charts.conflicts(df)
    assert len(c) == 2 and c["basis"].str.contains("same story").all()


@pytest.mark.parametrize("rows", [
    # same value in the same month: they agree
    [{"value": 12, "article_id": "a"}, {"value": 12, "article_id": "b"}],
    # different values within one article: not two reports
    [{"value": 12, "article_id": "a"}, {"value": 5, "article_id": "a"}],
    # different units are different quantities
    [{"value": 12, "article_id": "a"}, {"value": 5, "article_id": "b", "unit": "percent"}],
    # different months, different stories
    [{"value": 12, "article_id": "a"}, {"value": 5, "article_id": "b", "published": "2023-01-05"}],
    # no metric: never compared
    [{"value": 12, "article_id": "a", "metric": None}, {"value": 5, "article_id": "b", "metric": None}],
])
def test_conflicts_leave_agreeing_or_unrelated_reports_alone(rows):
    assert charts.conflicts(_frame(rows)).empty


def test_table_and_csv_hold_the_same_rows_with_flags():
    df = _frame([
        {"value": 10, "article_id": "ap", "outlet": "AP"},
        {"value": 16, "article_id": "rt", "outlet": "=HYPERLINK(\"http://evil\")"},
        {"value": 3, "article_id": "zz", "metric": None, "unit": "years"},
    ])
    differing = set(charts.conflicts(df)["figure_id"])
    table = charts.table_frame(df, differing)
    assert list(table["flag"]) == ["reports differ", "reports differ", ""]
    assert table["metric_label"].iloc[-1] == charts.OTHER_LABEL  # no metric: last
    back = pd.read_csv(io.BytesIO(charts.to_csv(table)), encoding="utf-8-sig")
    assert list(back["Figure id"]) == list(table["figure_id"])
    evil = back.loc[back["Figure id"] == "f1", "Outlet"].iloc[0]
    assert evil == "'=HYPERLINK(\"http://evil\")"  # no formula injection in spreadsheets


def test_csv_filename_says_what_it_is():
    from datetime import date

    assert charts.csv_filename(None) == "exit-routes-figures-all.csv"
    assert charts.csv_filename(None, "GE", None, date(2022, 9, 1), date(2022, 9, 30)) == \
        "exit-routes-figures-GE-2022-09.csv"
    assert charts.csv_filename("border_queue_km", "KZ", "Other <i>Outlet</i>", date(2022, 9, 21), None) == \
        "exit-routes-figures-border_queue_km-KZ-other-i-outlet-i-2022-09-21-to-now.csv"


def test_markdown_escape_neutralises_links_html_and_directives():
    out = charts.md_text("[click](javascript:alert(1)) <b>x</b> :red[alarm] *bold*")
    for raw in ("[click]", "](", "<b>", ":red[", "*bold*"):
        assert raw not in out


def test_empty_message_names_the_filters():
    msg = charts.empty_message("border_queue_km", "KZ", "Kazakhstan", "Reuters")
    assert msg.replace("\\", "") == (
        "No figures for Border queue length with destination Kazakhstan (KZ) from Reuters. "
        "Clear a filter in the sidebar or pick another metric."
    )


def test_finding_titles_state_the_spread():
    df = _frame([{"value": 10, "article_id": "a", "outlet": "AP"}, {"value": 16, "article_id": "b"}])
    assert charts.finding(df, "border_queue_km", "km", True) == (
        "Border queue length: 2 reports from 2 outlets, from 10 km to 16 km (reports differ)")
    one = _frame([{"value": 12}])
    assert charts.finding(one, "border_queue_km", "km") == "Border queue length: 12 km, 1 report from 1 outlet"


def test_metric_options_follow_the_catalogue_and_keep_unknown_ids():
    from exodus.metrics import CATALOGUE

    ids = charts.metric_ids(["border_queue_km", "future_metric"])
    assert ids[: len(CATALOGUE)] == [m.metric_id for m in CATALOGUE]
    assert ids[-1] == "future_metric"


def test_metrics_doc_lists_every_catalogue_metric_with_its_label():
    from pathlib import Path

    from exodus.metrics import CATALOGUE

    doc = (Path(__file__).resolve().parents[2] / "docs" / "METRICS.md").read_text(encoding="utf-8")
    rows = {line.split("|")[2].strip(" `"): line for line in doc.splitlines()
            if line.startswith("| ") and line.count("|") >= 6 and "`" in line.split("|")[2]}
    for m in CATALOGUE:
        assert m.metric_id in rows, f"{m.metric_id} is not documented in docs/METRICS.md"
        assert m.label in rows[m.metric_id], f"docs/METRICS.md has another label for {m.metric_id}"
    assert set(rows) == {m.metric_id for m in CATALOGUE}, "docs/METRICS.md lists metrics the catalogue lost"


def test_conflict_figure_has_one_row_per_source_side_by_side():
    df = _frame([
        {"value": 10, "article_id": "ap", "outlet": "AP", "published": "2022-09-23"},
        {"value": 16, "article_id": "rt", "outlet": "<b>Reuters</b>", "published": "2022-09-26"},
    ])
    group = charts.conflicts(df)
    fig = charts.conflict_figure(group, "km", charts.outlet_colours(["AP", "<b>Reuters</b>"]))
    assert len(fig.data) == 2
    assert [t.y[0] for t in fig.data] == ["AP<br>2022-09-23", "&lt;b&gt;Reuters&lt;/b&gt;<br>2022-09-26"]
    assert [t.x[0] for t in fig.data] == [10, 16]  # both values, neither merged
    assert fig.layout.xaxis.title.text == "Reported value (km)"


def test_only_metrics_reported_more_than_once_are_charted_in_the_overview():
    import pandas as pd

    from components import charts

    one, two = pd.DataFrame({"figure_id": ["a"]}), pd.DataFrame({"figure_id": ["b", "c"]})
    groups = [("m1", "km", one), ("m2", "km", two)]
    assert [g[0] for g in charts.charted_groups(groups, None)] == ["m2"]
    assert [g[0] for g in charts.charted_groups(groups, "m1")] == ["m1", "m2"]
    assert [g[0] for g in charts.charted_groups([groups[0]], None)] == ["m1"]  # nothing repeats: chart all


def test_every_drawn_chart_is_a_valid_plotly_figure(app):
    """Charts are built without plotly's validation (charts.figure_of): what the page draws must
    still pass it. Plotly raises ValueError on an unknown property or a bad value."""
    import plotly.graph_objects as go

    at = app(PAGE)
    no_exceptions(at)
    specs = plotly_specs(at)
    assert specs, "the default view draws no chart"
    for spec in specs:
        go.Figure({k: spec[k] for k in ("data", "layout") if k in spec})
    conflicts = charts.conflict_figure(_frame([
        {"value": 10, "value_high": 12, "article_id": "a", "outlet": "AP", "published": "2022-09-23"},
        {"value": 20, "article_id": "b", "outlet": None, "published": None}]).assign(
            value_label=["10–12", "20"]), "km", {})
    go.Figure(conflicts.to_dict())
