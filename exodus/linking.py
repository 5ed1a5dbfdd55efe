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
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

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


def _candidate_pairs(shingles: dict[str, set]) -> dict[tuple[str, str], int]:
    postings: dict[object, list[str]] = defaultdict(list)
    for doc_id in sorted(shingles):
        for sh in shingles[doc_id]:
            postings[sh].append(doc_id)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for docs in postings.values():
        if len(docs) < 2 or len(docs) > MAX_SHINGLE_DF:
            continue
        for i, a in enumerate(docs):
            for b in docs[i + 1:]:
                shared[(a, b)] += 1
    return shared


def link_rewrites(
    texts: dict[str, str], order_key: dict[str, tuple] | None = None
) -> dict[str, StoryLink]:
    """Group articles that are copies or rewrites of one story.

    ``order_key`` decides which article of a group is the original (earliest
    published first, then id); by default the smallest id.
    """
    order_key = order_key or {}
    shingles = {aid: content_bigrams(t) for aid, t in texts.items()}
    uf = _UnionFind(list(texts))
    pair_score: dict[tuple[str, str], float] = {}
    for (a, b), n in _candidate_pairs(shingles).items():
        smaller = min(len(shingles[a]), len(shingles[b])) or 1
        score = n / smaller
        if score >= REWRITE_CONTAINMENT:
            uf.union(a, b)
            pair_score[(a, b)] = pair_score[(b, a)] = score
    groups: dict[str, list[str]] = defaultdict(list)
    for aid in texts:
        groups[uf.find(aid)].append(aid)
    links: dict[str, StoryLink] = {}
    for members in groups.values():
        members.sort(key=lambda m: (order_key.get(m, ()), m))
        first = members[0]
        for m in members:
            if m == first:
                links[m] = StoryLink(first, None, None)
            else:
                score = pair_score.get((m, first))
                if score is None:  # linked through a third article: report the best direct overlap
                    score = max((pair_score.get((m, o), 0.0) for o in members if o != m), default=0.0)
                links[m] = StoryLink(first, first, round(score, 3))
    return links


def _normalise_quote(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def group_quote_variants(quotes: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Group quotes of the same words across articles.

    ``quotes`` maps quote id -> (article id, quote text). Returns quote id ->
    group id (the smallest quote id of its group) for quotes that have at least
    one variant in another article; quotes without variants are left out.
    """
    norm = {qid: _normalise_quote(t) for qid, (_, t) in quotes.items()}
    shingles: dict[str, set] = {}
    for qid, n in norm.items():
        w = n.split()
        if len(w) < 4:  # too short to tell a variant from a coincidence
            continue
        shingles[qid] = set(zip(w, w[1:], w[2:]))
    uf = _UnionFind(list(shingles))
    for (a, b), _ in _candidate_pairs(shingles).items():
        if quotes[a][0] == quotes[b][0]:
            continue  # the same article repeating itself is not a variant across outlets
        if fuzz.ratio(norm[a], norm[b]) >= VARIANT_RATIO or _contained(norm[a], norm[b]):
            uf.union(a, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for qid in shingles:
        groups[uf.find(qid)].append(qid)
    result: dict[str, str] = {}
    for root, members in groups.items():
        if len({quotes[m][0] for m in members}) > 1:
            for m in members:
                result[m] = root
    return result


def _contained(a: str, b: str) -> bool:
    """One quote is a partial of the other (at least 6 words long)."""
    short, long_ = sorted((a, b), key=len)
    return len(short.split()) >= 6 and f" {short} " in f" {long_} "
