"""Linking across articles: rewritten copies of one story, and variants of one quote.

Both use an inverted index of shingles with a document-frequency cap to find
candidate pairs (so the cost grows with the number of real overlaps, not with
the square of the corpus), then verify each candidate exactly and join the
confirmed pairs with union-find.

- Rewrites: content-word bigrams; two articles are copies of one story when the
  bigrams they share cover at least ``REWRITE_CONTAINMENT`` of the smaller
  article's bigrams. Machine-reworded wire copies keep names and key phrases,
  which is what the bigrams catch; articles that merely share the topic score
  far lower.
- Quote variants: word trigrams of each quote for candidates, verified with
  rapidfuzz ``ratio`` on normalised text (rewrites change punctuation and a
  word or two).

The build keeps only compact signatures per article (sorted 64-bit hashes of the
shingles, see ``rewrite_signature`` / ``quote_signature``) and finds candidate
pairs with one vectorised sort (``shared_shingle_counts``), so linking 100k
articles needs a few KB per article instead of every text.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

REWRITE_CONTAINMENT = 0.15
VARIANT_RATIO = 80.0
# Shingles present in more documents than this are topic words, not evidence of copying.
MAX_SHINGLE_DF = 50

_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our out over own said same says
    say she should so some such than that the their them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your told according""".split()
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class StoryLink:
    story_id: str  # id of the earliest article of the story
    rewrite_of: str | None  # None for the earliest article itself
    similarity: float | None  # containment with the story's earliest article


class _UnionFind:
    def __init__(self, items: Sequence[str]):
        self.parent = {i: i for i in items}

    def add(self, x: str) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller id wins, so groups are deterministic whatever the order.
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def content_bigrams(text: str) -> set[tuple[str, str]]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2]
    return set(zip(words, words[1:]))


def _hash_shingles(shingles: set[tuple[str, ...]]) -> np.ndarray:
    """Sorted unique 64-bit hashes of the shingles.

    blake2b, not ``hash()``: worker processes have different string hash seeds.
    Words are ``[a-z0-9]+``, so joining them with a space is unambiguous.
    """
    digests = b"".join(hashlib.blake2b(" ".join(sh).encode(), digest_size=8).digest() for sh in shingles)
    return np.unique(np.frombuffer(digests, dtype=np.uint64))


def rewrite_signature(text: str) -> np.ndarray:
    """What ``link_rewrites`` needs of one article: its content-bigram hashes."""
    return _hash_shingles(content_bigrams(text))


def _quote_words(text: str) -> list[str] | None:
    w = _normalise_quote(text).split()
    return w if len(w) >= 4 else None  # too short to tell a variant from a coincidence


def quote_signature(text: str) -> np.ndarray:
    """What ``group_quote_variants`` needs of one quote: its word-trigram hashes (empty when too short)."""
    w = _quote_words(text)
    if w is None:
        return np.empty(0, dtype=np.uint64)
    return _hash_shingles(set(zip(w, w[1:], w[2:])))


# Pair keys are counted in batches of about this many, so the transient memory of the
# candidate search does not grow with the corpus (only the distinct pairs are kept).
_PAIR_BATCH = 1 << 19


def _pair_keys(o: np.ndarray, starts: np.ndarray, lengths: np.ndarray, max_df: int, n_docs: int):
    """Batches of ``a * n_docs + b`` keys, one per (shingle, document pair a < b)."""
    for df in np.unique(lengths[(lengths >= 2) & (lengths <= max_df)]).tolist():
        run_starts = starts[lengths == df]
        i, j = np.triu_indices(df, 1)
        step = max(1, _PAIR_BATCH // len(i))
        for k in range(0, len(run_starts), step):
            members = o[run_starts[k:k + step][:, None] + np.arange(df)].astype(np.int64)
            yield (members[:, i] * n_docs + members[:, j]).ravel()


def _distinct_counts(keys: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys, summed weights) of sorted-or-not keys; a stable sort is linear on the
    two sorted runs a merge concatenates."""
    if weights is None:
        keys = np.sort(keys, kind="stable")
    else:
        order = np.argsort(keys, kind="stable")
        keys, weights = keys[order], weights[order]
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(first, len(keys))) if weights is None else np.add.reduceat(weights, first)
    return keys[first], counts


def _merge_counts(acc: tuple[np.ndarray, np.ndarray], keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Add a batch of keys to (distinct keys, counts)."""
    new, counts = _distinct_counts(np.concatenate(keys))
    if len(acc[0]) == 0:
        return new, counts
    return _distinct_counts(np.concatenate((acc[0], new)), np.concatenate((acc[1], counts)))


def shared_shingle_counts(
    hashes: np.ndarray, sizes: np.ndarray, max_df: int = MAX_SHINGLE_DF
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs: documents sharing shingles that at most ``max_df`` documents hold.

    ``hashes`` is every document's sorted unique signature concatenated in document
    order, ``sizes`` their lengths. Returns (a, b, shared) arrays with a < b document
    indexes; one stable sort instead of a dict of postings.
    """
    n_docs = len(sizes)
    empty = np.empty(0, dtype=np.int64)
    if len(hashes) == 0 or n_docs < 2:
        return empty, empty, empty
    # Memory: this is the build's peak (~6 bytes per shingle beyond the hashes), so the
    # temporaries are 32-bit where they can be and dropped as soon as possible.
    order = np.argsort(hashes, kind="stable")  # stable: owners stay ascending within a run
    o = np.repeat(np.arange(n_docs, dtype=np.int32), sizes)[order]
    h = hashes[order]
    del order
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    lengths = np.diff(np.append(starts, len(h)))
    del h
    acc: tuple[np.ndarray, np.ndarray] = (empty, empty)
    batch: list[np.ndarray] = []
    held = 0
    for keys in _pair_keys(o, starts, lengths, max_df, n_docs):
        batch.append(keys)
        held += len(keys)
        if held >= _PAIR_BATCH:
            acc, batch, held = _merge_counts(acc, batch), [], 0
    if batch:
        acc = _merge_counts(acc, batch)
    pairs, shared = acc
    return pairs // n_docs, pairs % n_docs, shared


def link_rewrites(
    texts: dict[str, str], order_key: dict[str, tuple] | None = None
) -> dict[str, StoryLink]:
    """Group articles that are copies or rewrites of one story.

    ``order_key`` decides which article of a group is the original (earliest
    published first, then id); by default the smallest id.
    """
    ids = list(texts)
    links = link_rewrite_signatures(ids, [rewrite_signature(texts[a]) for a in ids], order_key or {})
    return {aid: links.get(aid, StoryLink(aid, None, None)) for aid in ids}


def link_rewrite_signatures(
    ids: Sequence[str], signatures: Sequence[np.ndarray] | tuple[np.ndarray, np.ndarray],
    order_key: Mapping[str, tuple],
) -> dict[str, StoryLink]:
    """``link_rewrites`` on signatures; returns links only for articles of stories told more than once.

    ``signatures`` is one array per article, or (all hashes concatenated, sizes) as the
    build collects them. Articles left out are their own story (story_id = own id).
    """
    if isinstance(signatures, tuple):
        hashes, sizes = signatures
    else:
        sizes = np.array([len(s) for s in signatures], dtype=np.int64)
        hashes = np.concatenate(list(signatures)) if len(signatures) else np.empty(0, dtype=np.uint64)
    a, b, shared = shared_shingle_counts(hashes, sizes)
    smaller = np.minimum(sizes[a], sizes[b])
    score = shared / np.where(smaller == 0, 1, smaller)
    keep = score >= REWRITE_CONTAINMENT
    uf = _UnionFind([])
    pair_score: dict[tuple[str, str], float] = {}
    for x, y, sc in zip(a[keep].tolist(), b[keep].tolist(), score[keep].tolist()):
        ida, idb = ids[x], ids[y]
        uf.add(ida), uf.add(idb)
        uf.union(ida, idb)
        pair_score[(ida, idb)] = pair_score[(idb, ida)] = sc
    groups: dict[str, list[str]] = defaultdict(list)
    for aid in uf.parent:
        groups[uf.find(aid)].append(aid)
    links: dict[str, StoryLink] = {}
    for members in groups.values():
        members.sort(key=lambda m: (order_key.get(m, ()), m))
        first = members[0]
        for m in members:
            if m == first:
                links[m] = StoryLink(first, None, None)
            else:
                sc = pair_score.get((m, first))
                if sc is None:  # linked through a third article: report the best direct overlap
                    sc = max((pair_score.get((m, o), 0.0) for o in members if o != m), default=0.0)
                links[m] = StoryLink(first, first, round(sc, 3))
    return links


def _normalise_quote(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def group_quote_variants(quotes: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Group quotes of the same words across articles.

    ``quotes`` maps quote id -> (article id, quote text). Returns quote id ->
    group id (the smallest quote id of its group) for quotes that have at least
    one variant in another article; quotes without variants are left out.
    """
    qids = list(quotes)
    article_index: dict[str, int] = {}
    owners = np.array([article_index.setdefault(quotes[q][0], len(article_index)) for q in qids], dtype=np.int64)
    return group_variant_signatures(
        [quote_signature(quotes[q][1]) for q in qids], owners,
        lambda idx: {i: (qids[i], quotes[qids[i]][1]) for i in idx},
    )


def group_variant_signatures(
    signatures: Sequence[np.ndarray] | tuple[np.ndarray, np.ndarray],
    owners: np.ndarray,
    lookup: Callable[[list[int]], dict[int, tuple[str, str]]],
) -> dict[str, str]:
    """``group_quote_variants`` on signatures.

    ``owners`` gives each quote's article index; ``lookup`` returns (quote id, text) for
    the candidate quotes only, so the build need not hold every quote's text.
    """
    if isinstance(signatures, tuple):
        hashes, sizes = signatures
    else:
        sizes = np.array([len(s) for s in signatures], dtype=np.int64)
        hashes = np.concatenate(list(signatures)) if len(signatures) else np.empty(0, dtype=np.uint64)
    a, b, _ = shared_shingle_counts(hashes, sizes)
    other = owners[a] != owners[b]  # the same article repeating itself is not a variant across outlets
    a, b = a[other].tolist(), b[other].tolist()
    if not a:
        return {}
    found = lookup(sorted(set(a) | set(b)))
    norm = {i: _normalise_quote(t) for i, (_, t) in found.items()}
    uf = _UnionFind([])
    for x, y in zip(a, b):
        if fuzz.ratio(norm[x], norm[y]) >= VARIANT_RATIO or _contained(norm[x], norm[y]):
            qx, qy = found[x][0], found[y][0]
            uf.add(qx), uf.add(qy)
            uf.union(qx, qy)
    # Unions only join quotes of different articles, so every group spans more than one.
    return {qid: uf.find(qid) for qid in uf.parent}


def _contained(a: str, b: str) -> bool:
    """One quote is a partial of the other (at least 6 words long)."""
    short, long_ = sorted((a, b), key=len)
    return len(short.split()) >= 6 and f" {short} " in f" {long_} "
