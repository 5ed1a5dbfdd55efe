"""Property-based URL fuzzing: every page, random and hostile query strings.

People paste links that were truncated, edited by hand or crafted on purpose.
Whatever the query string holds (unknown keys, 10k-character values, unicode,
SQL, FTS syntax, script tags, repeated keys), a page must never raise, and a
value the page validates but cannot use must produce a visible notice.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app.conftest import no_exceptions

PAGES = {
    "overview": "app_pages/overview.py",
    "routes": "app_pages/routes.py",
    "numbers": "app_pages/numbers.py",
    "quotes": "app_pages/quotes.py",
    "sources": "app_pages/sources.py",
    "about": "app_pages/about.py",
}
PARAMS = ("country", "outlet", "from", "to", "q", "speaker", "quote", "article", "span", "dest",
          "layer", "metric")
SHARED_VALIDATED = {"country", "outlet", "from", "to"}
# Params a page checks against what exists and reports when it cannot use them
# (q is free search text: any value is a valid search, so no notice is due).
PAGE_VALIDATED = {
    "overview": set(),
    "routes": {"dest", "layer"},
    "numbers": {"metric"},
    "quotes": {"speaker", "quote"},
    "sources": {"article", "span"},
    "about": set(),
}

# Values that are never valid for any validated param (no country code, outlet,
# date, speaker, id, span, layer or metric looks like these).
HOSTILE = [
    "'; DROP TABLE quotes;--",
    "1 OR 1=1",
    "\" OR \"\"=\"",
    "NEAR(",
    'NEAR(border summons, 2)',
    '"unbalanced',
    "text:summons",
    "quote_text:border*",
    "*",
    "summons*^",
    "AND OR NOT",
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[x](javascript:window.__pwned=1)",
    "javascript:alert(1)",
    "`code` **bold** $x$ :red[red]",
    "Ж" * 10_000,
    "A" * 10_000,
    "GE" * 5_000,
    "2022-09-24" * 1_000,
    "2022-13-45",
    "9999-99-99",
    "-1-5",
    "5-1",
    "0-99999999999999999999",
    "🙂‍↔️ مرحبا 中文 \u202e RTL",
    "\x00\x01\x1f",
    "%00%27%22",
    "../../etc/passwd",
]

# No surrogates: they cannot travel in a URL (and the test harness cannot serialise them).
random_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
hostile = st.sampled_from(HOSTILE)
value = st.one_of(hostile, random_text)
unknown_key = st.text("abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=12).filter(
    lambda k: k not in PARAMS and k != "embed" and not k.startswith("embed"))

query = st.fixed_dictionaries(
    {},
    optional={
        **{p: st.one_of(value, st.lists(value, min_size=2, max_size=3)) for p in PARAMS},
    },
)

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _last(v: str | list[str]) -> str:
    return v[-1] if isinstance(v, list) else v


@pytest.mark.parametrize("page", sorted(PAGES))
@FUZZ
@given(params=query, extra=st.dictionaries(unknown_key, value, max_size=2))
def test_any_query_string_never_raises(app, page, params, extra):
    at = app(PAGES[page], **{**extra, **params})
    no_exceptions(at)
    # A hostile value (never valid) in a param this page validates: the page says so.
    checked = SHARED_VALIDATED | PAGE_VALIDATED[page]
    hostile_in = [k for k, v in params.items()
                  if k in checked and (_last(v) in HOSTILE or (k == "layer" and any(
                      x in HOSTILE for x in ([v] if isinstance(v, str) else v))))]
    if hostile_in:
        assert at.warning, f"no notice for hostile {hostile_in} on {page}"
        text = " ".join(w.value for w in at.warning)
        assert "ignored" in text


VALIDATED_PAIRS = [("overview", k) for k in sorted(SHARED_VALIDATED)] + [
    (page, k) for page, keys in sorted(PAGE_VALIDATED.items()) for k in sorted(keys)]
SAMPLE_BAD = ["'; DROP TABLE quotes;--", '"unbalanced NEAR(', "<script>window.__pwned=1</script>",
              "Ж" * 10_000, "\u202e\x00"]


@pytest.mark.parametrize(("page", "key"), VALIDATED_PAIRS)
@pytest.mark.parametrize("bad", SAMPLE_BAD, ids=["sql", "fts", "script", "huge", "control"])
def test_every_validated_param_reports_a_hostile_value(app, page, key, bad):
    """Each param a page validates, alone, with a value that cannot be valid: a notice, no error."""
    at = app(PAGES[page], **{key: bad})
    no_exceptions(at)
    assert at.warning, f"{page}: no notice for {key}={bad[:30]!r}"
    # The notice quotes the value inertly (as code, cut short), never at full length.
    assert all(len(w.value) < 2_000 for w in at.warning)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_repeated_keys_last_wins_and_nothing_breaks(app, page):
    """`?country=GE&country=<script>`: repeated keys neither raise nor slip past validation."""
    at = app(PAGES[page], country=["GE", "<script>x</script>"], outlet=["Example Wire", "'; DROP"],
             q=["border", "NEAR("], zzz=["1", "2"])
    no_exceptions(at)
    assert at.warning, "the last (invalid) country and outlet must be reported"
