"""The build: articles in a folder -> one SQLite dataset.

list the input (parent) -> per file, in worker processes with ``jobs``: read +
clean, extract (people, quotes, figures, places, routes), derive (metrics,
distances, ids, sentence spans) and turn the result into ready-made rows plus
compact linking signatures -> parent, in file order: drop duplicates, stream the
rows into the temporary SQLite file -> link (rewrites, quote variants) on the
signatures and apply them with UPDATEs -> index and move into place atomically.

The parent keeps ids and order keys per article (a few hundred bytes) and spills the
shingle hashes to anonymous temporary files partitioned by hash (``ShingleSpill``),
so memory hardly grows with the corpus and its serial share stays small.
"""
from __future__ import annotations

import os
from array import array
from contextlib import ExitStack, closing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from exodus import __version__
from exodus.fingerprint import input_fingerprint
from exodus.figures import extract_figures
from exodus.ingest import dedup_key, duplicate_reason, list_corpus, read_article
from exodus.linking import (
    ShingleSpill,
    group_variant_signatures,
    link_rewrite_signatures,
    quote_signature,
    rewrite_signature,
)
from exodus.metrics import metric_for
from exodus.model import Article, Extraction, Place, Skipped
from exodus.people import find_people
from exodus.places import distance_km, find_places, load_gazetteer
from exodus.quotes import extract_quotes
from exodus.routes import extract_routes
from exodus.store import (
    ArticleLinks,
    ArticleRows,
    DatasetWriter,
    article_id_candidates,
    article_id_for,
    article_rows,
    figure_id_for,
    route_id_for,
)
from exodus.text import sentence_at, sentences

# What the dataset keeps: extractors also report low-confidence candidates
# (scare quotes, ages, vague amounts) that are not items in the contract's sense.
MIN_CONFIDENCE = 0.5
FIGURE_KINDS = ("quantity", "range")


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


@lru_cache(maxsize=8192)
def _distance(origin: Place, destination: Place) -> float:
    # Routes join a few hundred gazetteer places: the same pairs recur across articles.
    return round(distance_km(origin, destination), 1)


def derive_rows(aid: str, ex: Extraction, spans: list[tuple[int, int]] | None = None) -> ArticleRows:
    """One extraction's rows with the per-article derived values (metric of each figure,
    route distances) filled in; links and variant groups come later."""
    text = ex.article.text
    if spans is None:
        spans = sentences(text)
    metrics: dict[str, str | None] = {}
    for f in ex.figures:
        sent = sentence_at(spans, f.start)
        metrics[figure_id_for(aid, f)] = metric_for(f.unit, f.counts, text[sent[0]:sent[1]] if sent else "")
    distances = {
        route_id_for(aid, r): _distance(r.origin, r.destination)
        if r.origin and r.origin.place_id != r.destination.place_id else None
        for r in ex.routes
    }
    return article_rows(aid, ex, metrics, distances, spans=spans)


@dataclass(frozen=True)
class ArticleResult:
    """What a worker sends back for one usable file (plain data, cheap to pickle)."""

    file: str
    key: str  # dedup_key: identical cleaned content
    rows: dict[str, ArticleRows]  # by candidate article id (the parent picks one)
    order_key: tuple  # which article of a story is the original
    rewrite_sig: np.ndarray  # content-bigram hashes
    quote_sigs: np.ndarray  # every quote's trigram hashes, concatenated in quote order
    quote_sizes: list[int]


def process_file(task: tuple[str, dict[str, str] | None, tuple[str, ...]]) -> ArticleResult | Skipped:
    """Read, clean, extract and derive one input file (pure: runs in a worker process).

    ``task`` is (path, manifest cells, the article ids it may get).
    """
    path, meta, candidates = task
    article = read_article(Path(path), meta)
    if isinstance(article, Skipped):
        return article
    ex = extract_article(article)
    spans = sentences(article.text)
    qsigs = [quote_signature(q.text) for q in ex.quotes]
    return ArticleResult(
        file=article.file,
        key=dedup_key(article),
        rows={aid: derive_rows(aid, ex, spans) for aid in candidates},
        # The original of a story: earliest published; on a tie the longer text (rewrites
        # condense), then the file name.
        order_key=(article.published or "9999", -len(article.text), article.file),
        rewrite_sig=rewrite_signature(article.text),
        quote_sigs=np.concatenate(qsigs) if qsigs else np.empty(0, dtype=np.uint64),
        quote_sizes=[len(q) for q in qsigs],
    )


def _tasks(files: list[Path], manifest: dict[str, dict[str, str]]) -> list[tuple]:
    """One task per file. A file whose readable id another file shares may get either of
    its two candidate ids (it depends on which files turn out usable), so both are built."""
    bases: dict[str, int] = {}
    for p in files:
        base = article_id_candidates(p.name)[0]
        bases[base] = bases.get(base, 0) + 1
    tasks = []
    for p in files:
        cands = article_id_candidates(p.name)
        tasks.append((str(p), manifest.get(p.name), cands if bases[cands[0]] > 1 else cands[:1]))
    return tasks


def _process_all(tasks: list[tuple], jobs: int) -> Iterator[ArticleResult | Skipped]:
    if jobs <= 1 or len(tasks) < 2:
        yield from map(process_file, tasks)
        return
    chunk = max(1, min(16, len(tasks) // (jobs * 16)))
    with Pool(processes=jobs) as pool:
        # imap keeps input order, so the output is the same as with one job.
        yield from pool.imap(process_file, tasks, chunksize=chunk)


class _Collector:
    """The parent's per-article state: small, so memory stays flat as the corpus grows."""

    def __init__(self, rewrite_spill: ShingleSpill, quote_spill: ShingleSpill) -> None:
        self.ids: list[str] = []
        self.taken: set[str] = set()
        self.seen: dict[bytes, str] = {}
        self.order: dict[str, tuple] = {}
        # Signatures go to disk as they arrive (partitioned by hash), not into memory.
        self.rewrite_spill = rewrite_spill
        self.quote_spill = quote_spill
        self.quote_owner = array("q")  # machine ints, not a list of int objects: 100k articles hold ~700k quotes
        self.places: dict[str, tuple] = {}
        self.mention_places: set[str] = set()
        self.counts = {"quotes": 0, "figures": 0, "routes": 0}

    def add(self, aid: str, res: ArticleResult, rows: ArticleRows) -> None:
        self.taken.add(aid)
        self.order[aid] = res.order_key
        self.rewrite_spill.add(res.rewrite_sig)
        self.quote_spill.extend(res.quote_sigs, res.quote_sizes)
        self.quote_owner.extend([len(self.ids)] * len(res.quote_sizes))
        self.ids.append(aid)
        self.places.update((p[0], p) for p in rows.places)
        self.mention_places |= rows.mention_places
        self.counts["quotes"] += len(rows.quotes)
        self.counts["figures"] += len(rows.figures)
        self.counts["routes"] += len(rows.routes)


def build(
    input_dir: Path,
    output: Path,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Build the dataset; raises NothingToBuild when no article could be used.

    ``progress(done, total)`` is called after each input file.
    """
    input_dir, output = Path(input_dir), Path(output)
    files, manifest, skipped = list_corpus(input_dir)
    tasks = _tasks(files, manifest)
    # The listing holds ~1 KB per file (manifest cells): drop all but the tasks, and each task
    # once its result is in, so the memory it frees serves the per-article state that grows.
    del files, manifest
    with ExitStack() as stack:
        writer = stack.enter_context(DatasetWriter(output))
        # Spills beside the output (same disk as the dataset), closed (and so gone) on any exit.
        state = _Collector(*(stack.enter_context(ShingleSpill(writer.tmp.parent, f".{output.name}.{kind}."))
                             for kind in ("rewrites", "quotes")))
        # closing(): an error here stops the worker pool at once, not when garbage collected.
        results = stack.enter_context(closing(_process_all(tasks, max(1, jobs))))
        for i, res in enumerate(results, start=1):
            if isinstance(res, Skipped):
                skipped.append(res)
            else:
                key = bytes.fromhex(res.key)
                if key in state.seen:  # the first file (by name) wins
                    skipped.append(Skipped(res.file, duplicate_reason(state.seen[key])))
                else:
                    state.seen[key] = res.file
                    aid = article_id_for(res.file, state.taken)
                    if aid not in res.rows:  # pragma: no cover - a hashed id equal to another file's base
                        res = process_file((tasks[i - 1][0], tasks[i - 1][1], (aid,)))
                    writer.add(res.rows[aid])
                    state.add(aid, res, res.rows[aid])
            tasks[i - 1] = None  # already handed out (imap and map read the list in order)
            if progress:
                progress(i, len(tasks))
        if not state.ids:
            raise NothingToBuild(
                f"no usable article in {input_dir}"
                + (f" ({len(skipped)} file(s) skipped)" if skipped else "")
            )
        del state.seen, state.taken
        story = link_rewrite_signatures(state.ids, state.rewrite_spill, state.order)
        state.rewrite_spill.close()  # frees its disk space before the quotes are linked
        links = {aid: ArticleLinks(s.story_id, s.rewrite_of, s.similarity)
                 for aid, s in story.items() if s.rewrite_of}
        variants = group_variant_signatures(
            state.quote_spill,
            np.frombuffer(state.quote_owner, dtype=np.int64),
            lambda idx: {r - 1: v for r, v in writer.quote_texts([i + 1 for i in idx]).items()},
        )
        writer.finish(
            state.places.values(),
            skipped,
            meta={
                "input_fingerprint": input_fingerprint(input_dir),
                "exodus_version": __version__,
                "input_dir": os.path.basename(os.path.abspath(input_dir)),
            },
            links=links,
            variant_groups=variants,
        )
    return BuildSummary(
        output=output,
        articles=len(state.ids),
        quotes=state.counts["quotes"],
        figures=state.counts["figures"],
        places=len(state.mention_places),
        routes=state.counts["routes"],
        skipped=list(skipped),
        rewrites=len(links),
        variant_groups=len(set(variants.values())),
    )
