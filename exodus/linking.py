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

Each article is reduced to a compact signature (sorted 64-bit hashes of its
shingles, see ``rewrite_signature`` / ``quote_signature``); candidate pairs come
from a vectorised stable sort of the hashes (``shared_shingle_counts``). The build
streams the signatures into a ``ShingleSpill``, which partitions them by hash on
disk and sorts one partition group at a time, so linking memory does not grow
with the corpus (only the distinct candidate pairs and 8 bytes per document are held).
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from array import array
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


def _distinct_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct keys, how often each occurs)."""
    keys = np.sort(keys)
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[first], np.diff(np.append(first, len(keys)))


def _merge_counts(acc: tuple[np.ndarray, np.ndarray], keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Add a batch of keys to (sorted distinct keys, counts).

    Keys already held get their counts added in place; new ones are inserted at their sorted
    places. No re-sort of the accumulator: memory ~2x the accumulator, not ~5x, and the same result.
    """
    new, counts = _distinct_counts(np.concatenate(keys))
    acc_keys, acc_counts = acc
    if len(acc_keys) == 0:
        return new, counts
    at = np.searchsorted(acc_keys, new)
    held = at < len(acc_keys)
    held[held] = acc_keys[at[held]] == new[held]
    acc_counts[at[held]] += counts[held]  # distinct keys: no index repeats
    fresh = ~held
    # Equal insertion points keep the order given (ascending), so the result stays sorted.
    return np.insert(acc_keys, at[fresh], new[fresh]), np.insert(acc_counts, at[fresh], counts[fresh])


class _PairCounts:
    """Distinct pair keys and how often each was seen, merged in batches of about
    ``_PAIR_BATCH`` keys, so only the distinct pairs are held (they grow with real overlaps)."""

    def __init__(self) -> None:
        empty = np.empty(0, dtype=np.int64)
        self.acc: tuple[np.ndarray, np.ndarray] = (empty, empty)
        self.batch: list[np.ndarray] = []
        self.held = 0

    def add_runs(self, h: np.ndarray, o: np.ndarray, max_df: int, n_docs: int) -> None:
        """Count the pairs of one hash-sorted stretch of (hash, owner) records; every hash
        must have all its records in one stretch, owners ascending within a run."""
        if len(h) == 0:
            return
        starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
        lengths = np.diff(np.append(starts, len(h)))
        for keys in _pair_keys(o, starts, lengths, max_df, n_docs):
            self.batch.append(keys)
            self.held += len(keys)
            if self.held >= _PAIR_BATCH:
                self.acc, self.batch, self.held = _merge_counts(self.acc, self.batch), [], 0

    def result(self, n_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self.batch:
            self.acc, self.batch, self.held = _merge_counts(self.acc, self.batch), [], 0
        pairs, shared = self.acc
        return pairs // max(n_docs, 1), pairs % max(n_docs, 1), shared


def shared_shingle_counts(
    hashes: np.ndarray, sizes: np.ndarray, max_df: int = MAX_SHINGLE_DF
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs: documents sharing shingles that at most ``max_df`` documents hold.

    ``hashes`` is every document's sorted unique signature concatenated in document
    order, ``sizes`` their lengths. Returns (a, b, shared) arrays with a < b document
    indexes, sorted by (a, b); one stable sort instead of a dict of postings. Everything
    is in memory: the build streams signatures through ``ShingleSpill`` instead.
    """
    n_docs = len(sizes)
    empty = np.empty(0, dtype=np.int64)
    if len(hashes) == 0 or n_docs < 2:
        return empty, empty, empty
    order = np.argsort(hashes, kind="stable")  # stable: owners stay ascending within a run
    o = np.repeat(np.arange(n_docs, dtype=np.int32), sizes)[order]
    h = hashes[order]
    del order
    counter = _PairCounts()
    counter.add_runs(h, o, max_df, n_docs)
    return counter.result(n_docs)


# One spilled record: a shingle hash and the index of the document holding it.
_RECORD = np.dtype([("h", "<u8"), ("d", "<u4")])


class ShingleSpill:
    """``shared_shingle_counts`` for signatures that arrive one document at a time, with
    memory that does not grow with the corpus (bar 8 bytes of size per document).

    Each (hash, document) record goes to one of ``2**part_bits`` partitions by the
    hash's low bits (blake2b bits are uniform) and is written to an anonymous temporary
    file in chunks; ``counts`` then sorts a few partitions at a time (about
    ``group_records`` records). Every shingle lives in exactly one partition, so the
    per-pair counts simply add up, and the result equals ``shared_shingle_counts``
    on the concatenated signatures. The file has no name on disk (unlinked at
    creation), so even a SIGKILLed build leaves nothing behind.
    """

    def __init__(self, folder: str | os.PathLike | None = None, prefix: str = "shingles.",
                 max_df: int = MAX_SHINGLE_DF, part_bits: int = 8,
                 buffer_records: int = 1 << 18, group_records: int = 1 << 19) -> None:
        self.max_df = max_df
        self.n_parts = 1 << part_bits
        self.buffer_records = buffer_records
        self.group_records = group_records
        self._sizes = array("q")
        self._pending: list[np.ndarray] = []  # signatures not yet written, in document order
        self._pending_docs = 0
        self._pending_records = 0
        # Per write, in write (= document) order: its byte offset and where each partition's
        # records start in it (records are grouped by partition within a write).
        self._writes: list[tuple[int, np.ndarray]] = []
        self._part_records = np.zeros(self.n_parts, dtype=np.int64)
        self._end = 0
        # The suffix matches the writer's stale-temporary pattern should the platform
        # lack O_TMPFILE and a kill land between creating and unlinking the file.
        self._file = tempfile.TemporaryFile(prefix=prefix, suffix=".tmp", dir=folder, buffering=0)

    def __enter__(self) -> "ShingleSpill":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    @property
    def sizes(self) -> np.ndarray:
        """Each document's signature length, in document order (a copy: the buffer keeps growing)."""
        return np.array(self._sizes, dtype=np.int64)

    def add(self, hashes: np.ndarray) -> None:
        """One more document (index = documents added so far) with its unique hashes."""
        self.extend(hashes, (len(hashes),))

    def extend(self, hashes: np.ndarray, sizes: Sequence[int]) -> None:
        """Several documents at once: their signatures concatenated, and their lengths."""
        self._sizes.extend(sizes)
        self._pending_docs += len(sizes)
        if len(hashes):
            self._pending.append(np.asarray(hashes, dtype=np.uint64))
            self._pending_records += len(hashes)
        if self._pending_records >= self.buffer_records:
            self._flush()

    def _flush(self) -> None:
        """Write the pending records, grouped by partition (stable: document order kept)."""
        first_doc = len(self._sizes) - self._pending_docs
        sizes = np.frombuffer(self._sizes, dtype=np.int64)[first_doc:]
        if self._pending_records:
            h = np.concatenate(self._pending)
            rec = np.empty(len(h), dtype=_RECORD)
            part = (h & np.uint64(self.n_parts - 1)).astype(np.intp)
            order = np.argsort(part, kind="stable")
            rec["h"] = h[order]
            rec["d"] = np.repeat(np.arange(first_doc, first_doc + len(sizes), dtype=np.uint32), sizes)[order]
            del h, order
            per_part = np.bincount(part, minlength=self.n_parts)
            bounds = np.concatenate(([0], np.cumsum(per_part)))
            data = memoryview(rec).cast("B")
            done = 0
            while done < len(data):  # unbuffered writes may be partial
                done += self._file.write(data[done:])
            self._writes.append((self._end, bounds))
            self._part_records += per_part
            self._end += len(data)
        self._pending, self._pending_docs, self._pending_records = [], 0, 0

    def _read(self, first: int, stop: int) -> np.ndarray:
        """Every record of partitions ``first`` to ``stop - 1``, writes in document order
        (the partitions are one contiguous stretch of each write)."""
        size = _RECORD.itemsize
        rec = np.empty(int(self._part_records[first:stop].sum()), dtype=_RECORD)
        view, at = memoryview(rec).cast("B"), 0
        fd = self._file.fileno()
        for offset, bounds in self._writes:
            start, end = at, at + int(bounds[stop] - bounds[first]) * size
            where = offset + int(bounds[first]) * size
            while at < end:  # reads may be partial
                got = os.preadv(fd, [view[at:end]], where + at - start)
                if got <= 0:
                    raise OSError("the shingle spill file ended early")
                at += got
        return rec

    def counts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(a, b, shared) exactly as ``shared_shingle_counts`` returns them."""
        self._flush()
        n_docs = len(self._sizes)
        empty = np.empty(0, dtype=np.int64)
        if self._end == 0 or n_docs < 2:
            return empty, empty, empty
        counter = _PairCounts()
        p = 0
        while p < self.n_parts:
            # Consecutive partitions up to about group_records records (at least one).
            q, held = p + 1, int(self._part_records[p])
            while q < self.n_parts and held + self._part_records[q] <= self.group_records:
                held += int(self._part_records[q])
                q += 1
            rec = self._read(p, q)
            order = np.argsort(rec["h"], kind="stable")  # stable: documents stay ascending in a run
            h = rec["h"][order]
            o = rec["d"][order]
            del rec, order
            counter.add_runs(h, o, self.max_df, n_docs)
            del h, o
            p = q
        return counter.result(n_docs)


Signatures = Sequence[np.ndarray] | tuple[np.ndarray, np.ndarray] | ShingleSpill


def _candidates(signatures: Signatures) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, shared, sizes) of signatures in any of the accepted forms: one array per
    document, (all hashes concatenated, sizes), or a ``ShingleSpill`` (the build's)."""
    if isinstance(signatures, ShingleSpill):
        return (*signatures.counts(), signatures.sizes)
    if isinstance(signatures, tuple):
        hashes, sizes = signatures
    else:
        sizes = np.array([len(s) for s in signatures], dtype=np.int64)
        hashes = np.concatenate(list(signatures)) if len(signatures) else np.empty(0, dtype=np.uint64)
    return (*shared_shingle_counts(hashes, sizes), sizes)


def _containing_pairs(
    a: np.ndarray, b: np.ndarray, shared: np.ndarray, sizes: np.ndarray, step: int = 1 << 20
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, containment) of the pairs whose shared shingles cover ``REWRITE_CONTAINMENT`` of the
    smaller document; in slices, so the temporaries stay small however many candidates there are."""
    kept = [np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)]
    for lo in range(0, len(a), step):
        sa, sb = a[lo:lo + step], b[lo:lo + step]
        smaller = np.minimum(sizes[sa], sizes[sb])
        score = shared[lo:lo + step] / np.where(smaller == 0, 1, smaller)
        keep = score >= REWRITE_CONTAINMENT
        kept = [np.concatenate((k, x[keep])) for k, x in zip(kept, (sa, sb, score))]
    return kept[0], kept[1], kept[2]


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
    ids: Sequence[str], signatures: Signatures,
    order_key: Mapping[str, tuple],
) -> dict[str, StoryLink]:
    """``link_rewrites`` on signatures; returns links only for articles of stories told more than once.

    ``signatures`` is one array per article, (all hashes concatenated, sizes), or the
    ``ShingleSpill`` the build streams them into. Articles left out are their own story (story_id = own id).
    """
    a, b, score = _containing_pairs(*_candidates(signatures))
    uf = _UnionFind([])
    pair_score: dict[tuple[str, str], float] = {}
    for x, y, sc in zip(a.tolist(), b.tolist(), score.tolist()):
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
    signatures: Signatures,
    owners: np.ndarray,
    lookup: Callable[[list[int]], dict[int, tuple[str, str]]],
) -> dict[str, str]:
    """``group_quote_variants`` on signatures.

    ``owners`` gives each quote's article index; ``lookup`` returns (quote id, text) for
    the candidate quotes only, so the build need not hold every quote's text.
    """
    a, b, _, _ = _candidates(signatures)
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
