"""The build: articles in a folder -> one SQLite dataset.

ingest -> extract (people, quotes, figures, places, routes; per article, in
parallel with ``jobs``) -> link (rewrites, quote variants) -> derive (metrics,
distances) -> store (atomic write).
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from exodus import __version__
from exodus.figures import extract_figures
from exodus.ingest import read_corpus
from exodus.linking import group_quote_variants, link_rewrites
from exodus.metrics import metric_for
from exodus.model import Article, Extraction, Skipped
from exodus.people import find_people
from exodus.places import distance_km, find_places, load_gazetteer
from exodus.quotes import extract_quotes
from exodus.routes import extract_routes
from exodus.store import (
    ArticleLinks,
    article_id_for,
    figure_id_for,
    quote_id_for,
    route_id_for,
    write_dataset,
)
from exodus.text import sentence_at, sentences

# What the dataset keeps: extractors also report low-confidence candidates
# (scare quotes, ages, vague amounts) that are not items in the contract's sense.
MIN_CONFIDENCE = 0.5
FIGURE_KINDS = ("quantity", "range")
INPUT_SUFFIXES = (".txt", ".md", ".html", ".htm")


class NothingToBuild(Exception):
    """No usable article was read."""


@dataclass
class BuildSummary:
    output: Path
    articles: int = 0
    quotes: int = 0
    figures: int = 0
    places: int = 0
    routes: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    rewrites: int = 0
    variant_groups: int = 0

    def lines(self) -> list[str]:
        out = [f"skipped {s.file}: {s.reason}" for s in self.skipped]
        out.append(
            f"built {self.output}: {self.articles} articles, {self.quotes} quotes, {self.figures} figures, "
            f"{self.places} places, {self.routes} routes, {len(self.skipped)} skipped "
            f"({self.rewrites} rewritten copies, {self.variant_groups} quote variant groups)"
        )
        return out


def extract_article(article: Article) -> Extraction:
    """Run every extractor on one article (pure: safe to run in a worker process)."""
    text = article.text
    people = find_people(text)
    quotes = [q for q in extract_quotes(text, people) if q.confidence >= MIN_CONFIDENCE]
    figures = [
        f for f in extract_figures(text) if f.confidence >= MIN_CONFIDENCE and f.kind in FIGURE_KINDS
    ]
    mentions = find_places(text, load_gazetteer())
    routes = [r for r in extract_routes(text, mentions, people) if r.confidence >= MIN_CONFIDENCE]
    return Extraction(article=article, people=people, quotes=quotes, figures=figures,
                      places=mentions, routes=routes)


def _extract_all(articles: list[Article], jobs: int) -> Iterator[Extraction]:
    if jobs <= 1 or len(articles) < 2:
        yield from map(extract_article, articles)
        return
    chunk = max(1, min(64, len(articles) // (jobs * 8) or 1))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # map keeps input order, so the output is the same as with one job.
        yield from pool.map(extract_article, articles, chunksize=chunk)


def input_fingerprint(input_dir: Path) -> str:
    """A hash of the input files' names and contents and of the pipeline version.

    The app compares it with the one stored in the dataset to decide whether to
    rebuild (file times are useless after a git clone).
    """
    h = hashlib.sha256(f"exodus {__version__}\n".encode())
    folder = Path(input_dir)
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and (path.suffix.lower() in INPUT_SUFFIXES or path.name == "manifest.csv"):
                h.update(path.name.encode() + b"\0")
                with open(path, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        h.update(block)
                h.update(b"\0")
    return h.hexdigest()


def build(
    input_dir: Path,
    output: Path,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Build the dataset; raises NothingToBuild when no article could be used."""
    input_dir, output = Path(input_dir), Path(output)
    articles, skipped = read_corpus(input_dir)
    if not articles:
        raise NothingToBuild(
            f"no usable article in {input_dir}"
            + (f" ({len(skipped)} file(s) skipped)" if skipped else "")
        )
    taken: set[str] = set()
    ids: list[str] = []
    for a in articles:
        aid = article_id_for(a.file, taken)
        taken.add(aid)
        ids.append(aid)

    extractions: list[tuple[str, Extraction]] = []
    for i, ex in enumerate(_extract_all(articles, max(1, jobs)), start=1):
        extractions.append((ids[i - 1], ex))
        if progress:
            progress(i, len(articles))

    texts = {aid: ex.article.text for aid, ex in extractions}
    # The original of a story: earliest published; on a tie the longer text (rewrites
    # condense), then the file name.
    order = {aid: (ex.article.published or "9999", -len(ex.article.text), ex.article.file)
             for aid, ex in extractions}
    story = link_rewrites(texts, order)
    links = {aid: ArticleLinks(s.story_id, s.rewrite_of, s.similarity) for aid, s in story.items()}

    quote_rows = {
        quote_id_for(aid, q): (aid, q.text) for aid, ex in extractions for q in ex.quotes
    }
    variants = group_quote_variants(quote_rows)

    metrics: dict[str, str | None] = {}
    distances: dict[str, float | None] = {}
    for aid, ex in extractions:
        spans = sentences(ex.article.text)
        for f in ex.figures:
            sent = sentence_at(spans, f.start)
            sentence = ex.article.text[sent[0]:sent[1]] if sent else ""
            metrics[figure_id_for(aid, f)] = metric_for(f.unit, f.counts, sentence)
        for r in ex.routes:
            distances[route_id_for(aid, r)] = (
                round(distance_km(r.origin, r.destination), 1)
                if r.origin and r.origin.place_id != r.destination.place_id else None
            )

    write_dataset(
        output,
        extractions,
        links,
        variants,
        metrics,
        distances,
        skipped,
        meta={
            "input_fingerprint": input_fingerprint(input_dir),
            "exodus_version": __version__,
            "input_dir": os.path.basename(os.path.abspath(input_dir)),
        },
    )
    return BuildSummary(
        output=output,
        articles=len(extractions),
        quotes=sum(len(ex.quotes) for _, ex in extractions),
        figures=sum(len(ex.figures) for _, ex in extractions),
        places=len({m.place.place_id for _, ex in extractions for m in ex.places}),
        routes=sum(len(ex.routes) for _, ex in extractions),
        skipped=list(skipped),
        rewrites=sum(1 for s in story.values() if s.rewrite_of),
        variant_groups=len(set(variants.values())),
    )
