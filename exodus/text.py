"""Small text helpers shared by the extractors: paragraphs, sentences, words.

All functions return character offsets into the text they were given, so that
extractors can report exact spans.
"""
from __future__ import annotations

import functools
import re

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "st", "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "gov",
        "sen", "rep", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "mt",
        "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "jan", "feb", "mar", "apr",
        "aug", "sep", "sept", "oct", "nov", "dec", "approx", "fig",
    }
)

_PARAGRAPH = re.compile(r"[^\n]+")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s)")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
# Characters of a possible abbreviation right before a full stop ("U.S", "St", "Jan").
_ABBREVIATION_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
# Every extractor (and the pipeline) splits the same article text, several times per article:
# the splits are memoised on the text. Small, so memory stays bounded; the cached spans are
# tuples (immutable, safe to share) and the public functions hand out fresh lists.
_CACHE_SIZE = 64


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of ``text``, trimmed of surrounding spaces."""
    return list(_paragraphs(text))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for m in _PARAGRAPH.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return tuple(spans)


def _ends_with_abbreviation(text: str, start: int, dot: int) -> bool:
    # The run of letters and dots that ends at the stop, read backwards from it (a regex
    # search for "[A-Za-z.]+$" would rescan the whole sentence for every full stop).
    end = dot
    if end > start and text[end - 1] == "\n":
        end -= 1  # "$" also matches before a final newline (paragraphs have none: defensive)
    i = end
    while i > start and text[i - 1] in _ABBREVIATION_CHARS:
        i -= 1
    if i == end:
        return False
    word = text[i:end].lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    # single initials: "J. Smith", "Jan M. Olsen"
    return len(word) == 1 and text[dot - 1].isupper()


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence; a paragraph break always ends a sentence."""
    return list(_sentences(text))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text):
        s = p_start
        for m in _SENTENCE_END.finditer(text, p_start, p_end):
            if m.group(0)[0] == "." and _ends_with_abbreviation(text, s, m.start()):
                continue
            nxt = m.end()
            while nxt < p_end and text[nxt].isspace():
                nxt += 1
            # Only split when the next sentence starts like one (capital, digit or quote mark).
            if nxt < p_end and not (text[nxt].isupper() or text[nxt].isdigit() or text[nxt] in "\"“‘'«"):
                continue
            spans.append((s, m.end()))
            s = nxt
        if s < p_end:
            spans.append((s, p_end))
    return tuple(spans)


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The sentence span containing ``offset`` (binary search over sorted spans)."""
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if offset < s:
            hi = mid - 1
        elif offset >= e:
            lo = mid + 1
        else:
            return spans[mid]
    return None


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, with inner hyphens/apostrophes)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]
