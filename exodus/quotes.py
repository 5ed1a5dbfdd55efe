"""Direct quotations with speaker attribution.

A quote is the words inside quotation marks: “curly”, "straight", «guillemets»
and „low-high“ doubles (one line each in _DOUBLE_STYLES; the opening mark fixes
which marks close it), and ‘single’/‹single› quotes only at top level, e.g. in
headlines. Marks nested in a quote belong to it; apostrophes are never marks. A
quote mostly in another script («...», — сказал он) is a low-confidence candidate.
Each quote's span is contiguous text without the marks, so
``text[q.start:q.end] == q.text``.

Marks are paired per paragraph so an unbalanced mark never swallows the article:
an unclosed quote ends at its paragraph, continues into the next paragraph when
that one opens with a mark (news convention), or ends before a reporting clause
("...brothers. He said that...").

Attribution rules, tried in order (the rule id is stored on the quote):
``said-X-after`` / ``X-said-after`` (right after the closing mark),
``X-said-colon`` / ``X-said-that`` / ``X-saying`` / ``according-to`` (before the
quote in its sentence), ``trailing-attribution`` (later in the sentence),
``continuation`` (multi-paragraph quote), ``same-paragraph`` (an earlier quote of
the paragraph), ``paragraph-speaker`` (another sentence of the paragraph names the
speaker), ``bare-continuation`` (a paragraph that is only a quote continues the
previous paragraph's quote), ``colon-intro`` / ``previous-paragraph`` (a quote-only
paragraph after a quote-less paragraph ending in a colon, or whose last sentence's
speech verb names someone). The chunks of a multi-paragraph quote share the speaker any
chunk finds. A name in apposition ("the town's mayor, X, said") is the speaker; people
named inside quotation marks are never antecedents. Pronouns and definite descriptions ("he", "the man")
resolve to the last person who was the subject of a sentence, skipping people the
article marks as the other gender ("a woman", "because she ..."); unnamed people
("a man", "a Russian man in his 30s") give speaker None with a description,
unless a naming phrase follows ("a cook who gave only his first name, Timur").
Organisations speak through their spokespeople ("a spokesperson for X", "an X
spokesman" -> X) and definite descriptions ("the company" -> the last company named).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from exodus.model import Person, Quote
from exodus.people import (
    ORG_REFERENCE_KINDS,
    SPEECH_VERBS,
    TITLE_WORDS,
    country_adjectives,
    find_people,
    finditer_near,
    organisation_kinds,
)
from exodus.text import paragraphs, sentences, words

# Inverted order "“...,” said X": verbs that take the speaker after them.
_VERB_FIRST = frozenset(
    """said says stated states added adds asked asks wrote writes explained explains continued
    continues recalled recalls insisted insists replied replies noted notes warned warns
    shouted recounted concluded agreed argued admitted declared announced whispered cried
    remarked""".split()
)
_SPEECH_RE = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_PARTICIPLES = frozenset(v for v in SPEECH_VERBS if v.endswith("ing"))
_ADV = r"(?:has|have|had|also|then|later|once|again|repeatedly|previously|recently|just|further|\w+ly)"

_PERSON_NOUNS = (
    "man|woman|boy|girl|guy|student|conscript|soldier|serviceman|activist|lawyer|resident|mother|"
    "father|wife|husband|son|daughter|brother|sister|reservist|deserter|official|spokesman|"
    "spokeswoman|spokesperson|worker|driver|officer|teacher|doctor|nurse|source|refugee|emigre|"
    "émigré|volunteer|veteran|person|friend|relative|journalist|artist|programmer|developer|"
    "engineer|businessman|businesswoman|entrepreneur|protester|prosecutor|pensioner|retiree|"
    "grandmother|grandfather|farmer|priest|musician|designer|manager|analyst|economist|expert|"
    "researcher|scientist|photographer|citizen|native|local|passenger|traveller|traveler|tourist|"
    "migrant|mobilised|mobilized|recruit|veteran|diplomat|lawmaker|deputy|colleague|neighbour|neighbor|"
    "governor|mayor|minister|president|senator|ambassador|commander|general|chief|head|director|"
    "chairman|chairwoman|founder|leader|coordinator|representative|aide|adviser|advisor|envoy|"
    "translator|interpreter|mechanic|welder|electrician|cook|chef|waiter|waitress|barista|courier|"
    "accountant|architect|builder|miner|plumber|pilot|surgeon|dentist|cleaner|receptionist|landlord|"
    "landlady|owner|shopkeeper|vendor|seller|lecturer|professor|tutor|carpenter|baker|salesman|"
    "saleswoman|widow|grandson|granddaughter|uncle|aunt|nephew|niece|fiancée|fiancé|girlfriend|boyfriend|"
    "reader|listener|viewer|caller|subscriber|follower|blogger"
)
# Words that fix a person's gender, so that "he" never refers back to "a woman" (and "she" to "a man").
_FEMALE = frozenset(
    """woman girl mother wife daughter sister grandmother granddaughter spokeswoman businesswoman
    chairwoman saleswoman waitress landlady widow aunt niece fiancée girlfriend she her herself""".split()
)
_MALE = frozenset(
    """man boy guy father husband son brother grandfather grandson spokesman businessman chairman
    salesman landlord uncle nephew fiancé boyfriend he him his himself""".split()
)
_GENERIC_PERSON = frozenset({"man", "woman", "boy", "girl", "guy", "person"})
_PLURAL_NOUNS = (
    "men|women|people|students|conscripts|soldiers|activists|lawyers|residents|mothers|wives|"
    "officials|workers|officers|sources|refugees|volunteers|friends|relatives|journalists|"
    "protesters|lobbyists|analysts|experts|critics|authorities|advocates|campaigners|observers|"
    "reservists|deserters|diplomats|lawmakers|locals|citizens|passengers|travellers|tourists|"
    "migrants|families|parents|guys|others|police|guards"
)


@dataclass(frozen=True)
class _MarkStyle:
    """One style of double quotation marks; adding a style is one line in _DOUBLE_STYLES."""

    open: str  # the opening mark
    close: str  # marks that close it
    reopen: str  # marks that, while it is open, mean it was never closed and a new quote starts
    tight: bool  # opens only right before a word ("« Previous" in a nav line is not a quote)


# Marks of another style inside an open quote are nested and belong to it (“...«...»...”).
_DOUBLE_STYLES: tuple[_MarkStyle, ...] = (
    _MarkStyle("“", "”\"", "“", tight=False),  # English curly; a stray straight mark closes too
    _MarkStyle('"', "”\"", "“", tight=True),  # straight marks
    _MarkStyle("«", "»", "«", tight=True),  # guillemets: French, Russian, many European outlets
    _MarkStyle("„", "“”", "„", tight=True),  # low-high: German, Polish, Czech, Russian nested
)
_STYLE_BY_OPEN = {st.open: st for st in _DOUBLE_STYLES}
# Single marks: (open, close). Only top-level single quotes are quotes; nested ones are part of
# the outer quote. ’ is also an apostrophe, which _is_apostrophe tells apart.
_SINGLE_STYLES: tuple[tuple[str, str], ...] = (("‘", "’"), ("‹", "›"), ("‚", "‘"))
_QUOTE_CHARS = "".join(dict.fromkeys(c for st in _DOUBLE_STYLES for c in st.open + st.close))
_QUOTE_CHAR = re.compile(f"[{re.escape(_QUOTE_CHARS)}]")
_OPENERS = "".join(dict.fromkeys(st.open for st in _DOUBLE_STYLES))
_CLOSERS = "".join(dict.fromkeys(c for st in _DOUBLE_STYLES for c in st.close))
# Not a comma or a mark: an appositive ("X, ..., said") never crosses a quote.
# A thousands separator ("1,400 employees") does not end an appositive.
_NO_MARK = "(?:[^," + re.escape(_QUOTE_CHARS) + r"]|(?<=\d),(?=\d))"
_NBSP = "\u00a0\u202f"  # French typography puts a no-break space inside « »
# A modifier inside a person NP ("a young Russian man"): not a function word or verb.
_MOD = (r"(?!(?:of|and|or|to|that|who|whom|which|with|for|by|in|on|at|from|as|is|was|were|are|"
        r"has|had|have|said|says|told|tells|the|a|an|his|her|their|among|between|against|about|into|over|"
        r"under|than|like|after|before|during|amid|while|when|where)\b)")


@dataclass(frozen=True)
class _Raw:
    """One quotation found by the mark scanner, before attribution."""

    open: int  # position of the opening mark
    start: int  # content span (trimmed)
    end: int
    close: int | None  # position of the closing mark, None when unclosed
    para: int  # paragraph index
    single: bool = False  # top-level single quotes
    cont_of: int | None = None  # index of the quote this one continues (multi-paragraph)
    cut: bool = False  # ended early before a reporting clause


@dataclass(frozen=True)
class _Who:
    """A resolved speaker: a name, or no name with a description."""

    name: str | None
    desc: str | None
    start: int
    end: int
    how: str  # named | unnamed | pronoun | definite | org


@dataclass(frozen=True)
class _Np:
    """A noun phrase for a person: named mention, unnamed ('a man') or definite ('the man')."""

    start: int
    end: int
    name: str | None
    desc: str | None
    kind: str  # named | org | unnamed | definite | plural


# ---------------------------------------------------------------- marks


def _is_apostrophe(text: str, i: int) -> bool:
    """’ inside a word (don’t), after a plural s (Russians’), or before digits (’90s)."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isalnum() and nxt.isalpha()) or nxt.isdigit()


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim spaces and the trailing comma/colon of a quote ("...,” he said")."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
        e -= 1
    return s, e


def _opens(text: str, i: int, pe: int, style: _MarkStyle) -> bool:
    """Does the mark at ``i`` open a quote? Tight styles need a word right after the mark."""
    if not style.tight:
        return True
    nxt = text[i + 1] if i + 1 < pe else " "
    return not nxt.isspace() or nxt in _NBSP


def _pair_doubles(text: str, ps: int, pe: int) -> tuple[list[tuple[int, int | None]], int | None]:
    """Pair double marks in text[ps:pe]: ([(open, close or None when never closed)], still-open mark).

    The opening mark fixes the style, so only its own closers close it: „...“ and «...» work
    next to “...”, and marks of another style inside a quote are nested in it.
    """
    pairs: list[tuple[int, int | None]] = []
    open_at: int | None = None
    style: _MarkStyle | None = None
    for mark in _QUOTE_CHAR.finditer(text, ps, pe):  # only the marks, not every character
        i = mark.start()
        ch = text[i]
        if style is None:
            st = _STYLE_BY_OPEN.get(ch)
            if st is not None and _opens(text, i, pe, st):
                open_at, style = i, st
            continue
        if ch in style.close:
            pairs.append((open_at, i))
            open_at, style = None, None
        elif ch in style.reopen:  # a new opening mark: the previous quote was never closed
            pairs.append((open_at, None))
            open_at = i
            style = _STYLE_BY_OPEN[ch]
    return pairs, open_at


def _scan_doubles(text: str, ps: int, pe: int, para: int) -> list[_Raw]:
    """Pair double marks inside one paragraph (see _pair_doubles)."""
    out: list[_Raw] = []
    pairs, open_at = _pair_doubles(text, ps, pe)
    if open_at is not None:
        pairs.append((open_at, None))
    for o, c in pairs:
        s, e = _trim(text, o + 1, c if c is not None else pe)
        if e > s:
            out.append(_Raw(o, s, e, c, para))
    return out


def _scan_singles(text: str, ps: int, pe: int, para: int, inside: list[tuple[int, int]]) -> list[_Raw]:
    """Top-level ‘...’ / ‹...› quotes (headlines, link lines); nested ones belong to their outer quote."""
    out: list[_Raw] = []
    taken = list(inside)
    for op, cl in _SINGLE_STYLES:
        i = ps
        while True:
            i = text.find(op, i, pe)
            if i < 0:
                break
            if any(a <= i < b for a, b in taken) or (i > ps and not _SINGLE_OPEN_BEFORE.match(text[i - 1])):
                i += 1
                continue
            j = i + 1
            close = None
            while True:
                j = text.find(cl, j, pe)
                if j < 0:
                    break
                nxt = text[j + 1] if j + 1 < pe else " "
                if not (cl == "’" and _is_apostrophe(text, j)) and (nxt.isspace() or nxt in ".,:;!?)]–—-"):
                    close = j
                    break
                j += 1
            if close is None or close - i > 300:
                i += 1
                continue
            s, e = _trim(text, i + 1, close)
            if e > s:
                out.append(_Raw(i, s, e, close, para, single=True))
                taken.append((i, close + 1))
            i = close + 1
    return out


def _find_raw_quotes(text: str, paras: list[tuple[int, int]]) -> list[_Raw]:
    raws: list[_Raw] = []
    for k, (ps, pe) in enumerate(paras):
        doubles = _scan_doubles(text, ps, pe, k)
        inside = [(q.open, (q.close if q.close is not None else q.end) + 1) for q in doubles]
        raws += doubles + _scan_singles(text, ps, pe, k, inside)
    raws.sort(key=lambda q: q.start)
    # multi-paragraph quotes: unclosed at the end of a paragraph, next paragraph opens with a mark
    linked: list[_Raw] = []
    for idx, q in enumerate(raws):
        prev = linked[-1] if linked else None
        if (
            prev is not None
            and not q.single
            and prev.close is None
            and not prev.single
            and q.para == prev.para + 1
            and q.open == paras[q.para][0]
            and _runs_to_paragraph_end(text, prev, paras)
        ):
            q = replace(q, cont_of=len(linked) - 1)
        linked.append(q)
    return linked


def _runs_to_paragraph_end(text: str, q: _Raw, paras: list[tuple[int, int]]) -> bool:
    return q.close is None and text[q.end:paras[q.para][1]].strip(" ,;:") == ""


_REPORT_AFTER_CUT = re.compile(
    rf"^\s*(?:(?:he|she|they)\s+(?:{_ADV}\s+)*(?:{'|'.join(sorted(SPEECH_VERBS, key=len, reverse=True))})\b)",
    re.I,
)


def _cut_unclosed(text: str, q: _Raw, is_continued: bool) -> _Raw:
    """End an unclosed quote before a reporting clause: “...brothers. He said that..."""
    if q.close is not None or q.single or is_continued:
        return q
    for m in _STOP_BEFORE_SPACE.finditer(text[q.start:q.end]):
        cut = q.start + m.end()
        if _REPORT_AFTER_CUT.match(text[cut:q.end]):
            return replace(q, end=cut, cut=True)
    return q


# ---------------------------------------------------------------- precompiled patterns
# Compiled once here: re.search(pattern_string, ...) pays a regex-cache lookup on every call.
_PERSON_NOUN_SET = frozenset(_PERSON_NOUNS.split("|"))
_SINGLE_OPEN_BEFORE = re.compile(r"[\s(\[–—-]")
_STOP_BEFORE_SPACE = re.compile(r"[.!?](?=\s)")
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
# A definite description of an organisation: "the company", "the airline".
_ORG_REFERENCE = re.compile(rf"[Tt](?<!\w.)he[ \t]+(?P<head>{'|'.join(sorted(ORG_REFERENCE_KINDS, key=len, reverse=True))})\b(?![’'-])")
_ROLE = r"spokes(?:man|woman|person)|representative|press[ \t]+(?:secretary|officer)"
# "a spokesperson for X"; the anchor (for finditer_near) is the role word, at most three runs in
_ROLE_FOR = re.compile(rf"\b(?:[Aa]n?|[Tt]he|[Oo]ne)[ \t]+(?:[\w-]+[ \t]+){{0,2}}?(?:{_ROLE})[ \t]+(?:for|of|at|from)[ \t]+")
_ROLE_ANCHOR = re.compile(r"spokes|representative|press")
# "an Interior Ministry spokeswoman" after the organisation's name
_ROLE_AFTER_ORG = re.compile(rf"(?:[’']s)?[ \t]+(?:(?:chief|senior|deputy|official|press)[ \t]+)?(?:{_ROLE})\b(?![’'])")
_THE_BLANKS = re.compile(r"the[ \t]+")
_DET_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he)[ \t]+$")
# A naming phrase after a person NP: "a man named Yuri", "..., who identified himself only as"
_NAMING_AFTER = re.compile(
    r"\s*,?\s*(?:called|named|nicknamed|known\s+as)\s+|"
    r"\s*,\s*who\s+(?:identified|introduced)\s+(?:himself|herself)\s+(?:only\s+)?as\s+|"
    r"\s*,?\s*who\s+gave\s+(?:only\s+)?(?:his|her)\s+(?:first\s+)?name(?:\s+only)?(?:\s+as\s+|\s*,\s*)|"
    r"\s*,?\s*(?:who\s+was\s+)?identified\s+only\s+(?:by\s+(?:his|her)\s+first\s+name\s*,?\s*)?(?:as\s+)?|"
    r"\s*,?\s*who\s+(?:asked|wished|requested)\s+to\s+be\s+identified\s+only\s+(?:by\s+(?:his|her)\s+first\s+name,?\s*)?(?:as\s+)?|"
    # "a reader, who asked us to identify him only as Ilya"
    r"\s*,?\s*who\s+(?:asked|wished|requested)\s+(?:us|me|the\s+\w+)\s+to\s+(?:identify|name|call)\s+(?:him|her)\s+"
    r"(?:only\s+)?(?:by\s+(?:his|her)\s+first\s+name,?\s*)?(?:as\s+|by\s+)?|"
    # "a hostel owner near the bazaar, Ivan Petrov, said": a short place phrase, then the name
    r"\s+(?:near|in|at|from|outside)\s+[^,.;:\n“”\"«»]{1,50}?,\s*(?=[A-Z][^,]{1,40},)|"
    r"\s*,\s*(?=[A-Z])",
)
_PLACE_PHRASE = re.compile(r"\s+(?:near|in|at|from|outside)\s")
_COMMA_OR_BRACKET = re.compile(r"\s*[,(]")
_CAPITAL_WORD = re.compile(r"[A-ZÀ-ÞА-Я][\w’'-]+")
# Determiner, titles and capitalised words before a person NP (np_at).
_NP_PREFIX = re.compile(r"(?:(?:the|a|an)\s+)?(?:(?:[A-Z][\w’'.-]*|" + "|".join(sorted(TITLE_WORDS, key=len, reverse=True))
    + r"|of|for|and|house)\s+){0,6}")
# What may stand between a subject NP and its verb (np_ending_before).
_SUBJECT_GAP = re.compile(
    # an acronym/bracket, then a relative clause: "the Service (FSB), which runs ..., said"
    rf"^(?:’s?)?\s*(?:\([^)]*\)\s*,{_NO_MARK}{{1,160}},\s*|\([^)]*\)\s*|,{_NO_MARK}{{1,160}},\s*|\s+(?:close\s+to|from|of|at|for|with|in)\s+"
    rf"(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){{0,4}}?\s+)?(?:{_ADV}\s+)*$"
)
_COMMA_ADVERBS = re.compile(rf",\s*(?:{_ADV}\s+)*")
_WORD_COMMA_BEFORE = re.compile(r"[\w’'],[ \t]*$")
_AND_OR_BEFORE = re.compile(r"\b(?:and|or)\s*,?[ \t]*$")
_APPOSITION_GAP = re.compile(r"\s*[,(]\s*")
_NEXT_LOWER_WORD = re.compile(r"[ \t]*([a-z]+)?")
_PREPOSITION_BEFORE = re.compile(r"\b(?:to|of|from|at|for|with|near|by|in|on|about|than)\s+(?:the\s+)?$")
_PRONOUN_BEFORE = re.compile(rf"\b(he|she|they|it|we|i)\s+(?:{_ADV}\s+)*$", re.I)
_PERSONAL_PRONOUN = re.compile(r"\b(he|she|him|her)\b", re.I)
_SUBORDINATOR = re.compile(r"\b(?:whether|if|when|because|although|though|after|before|while|as|since|that|who|whom|until)\b", re.I)
_GENDERED_PRONOUN = re.compile(r"(?<!\bthan )(?<!\bas )(?<!\blike )\b(he|him|his|himself|she|her|herself)\b", re.I)
_WHO_BEFORE = re.compile(r"\bwho\s+(?:" + _ADV + r"\s+)*$")
_RELATIVE_GAP = re.compile(r"^\s*(?:(?:from|in|of)\s+(?:St\.?\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)?\s*,?\s*$")
_SUBJECT_PRONOUN = re.compile(r"\b(he|she|it|they)\b", re.I)
_BLANKS = re.compile(r"[ \t]+")
_VERB_CANDIDATE = re.compile(r"\b(?:[Aa]ccording\s+to|[A-Za-z]+)\b")
_OBJECT_PRONOUN_AFTER = re.compile(r"\s*(him|her|them|it)\b", re.I)
_PARTICIPLE_INTRO = re.compile(r"(?:,|\bbefore|\bafter|\bwhile|\bwhen)\s*$")
# A subject, a short clause, then "and/then/but" before a second verb.
_COORDINATED = re.compile(rf"\s*(?P<subj>[^\W\d_][\w’'.-]*(?:[ \t]+[^\W\d_][\w’'-]*){{0,2}}?)[ \t]+"
    rf"(?:[a-z]+[ \t,]+){{1,4}}?(?:and|then|but)[ \t]+(?:then[ \t]+)?(?:{_ADV}[ \t]+)*")
_DASH_GAP = re.compile(r"\s*,?\s*(?:[–—-]\s*)?")
_ASCII_WORD = re.compile(r"([A-Za-z]+)\b")
_PRONOUN_AFTER = re.compile(r"\s+(he|she|they|it)\b", re.I)
_PRONOUN_VERB = re.compile(rf"(he|she|they|it|we)\s+(?:{_ADV}\s+)*([A-Za-z]+)\b", re.I)
_ROLE_WORDS = re.compile(r"(?:[\w’'-]+[ \t]+){0,5}[\w’'-]+,[ \t]*")
_COMMA_SPEECH_VERB = re.compile(rf",\s*(?:{_ADV}\s+)*(?:{_SPEECH_RE})\b")
_NP_THEN_VERB = re.compile(rf"(?:’s?)?\s*(?:,{_NO_MARK}{{1,100}},\s*|\s+(?:for|of|at|from|with|in)\s+(?:the\s+)?"
    rf"[\w’'-]+(?:\s+[\w’'-]+){{0,3}}?\s+)?(?:{_ADV}\s+)*({_SPEECH_RE})\b")
_PHRASE_THEN_VERB = re.compile(rf"((?:[\w’'-]+\s+){{1,7}}?)(?:{_ADV}\s+)*({_SPEECH_RE})\b")
_CLAUSE_PUNCT = re.compile(r"[.;:]")
_COLON_GAP = re.compile(rf"[^.{re.escape(_QUOTE_CHARS)}]{{0,60}}?[:,]\s*")
_THAT = re.compile(r"\bthat\b")
_COMMA_WORDS_BEFORE = re.compile(r",\s*(?:[\w’'-]+\s+){0,6}$")


# ---------------------------------------------------------------- noun phrases


# What an ASCII letter matches under re.IGNORECASE besides its two cases ("ı" for "i", the
# Kelvin sign for "k", the long "ſ" for "s").
_IGNORECASE_EXTRA = {"i": "İı", "k": "\u212a", "s": "ſ"}


def _fold(ch: str) -> str:
    """Regex for one character as re.IGNORECASE matches it, spelled as a character class: a
    branch starting with a class is skipped at C speed, one starting with a case-insensitive
    letter is not."""
    if not ("a" <= ch.lower() <= "z"):
        raise ValueError(f"only ASCII letters fold: {ch!r}")
    low = ch.lower()
    return f"[{low}{low.upper()}{_IGNORECASE_EXTRA.get(low, '')}]"


def _word_trie(words: list[str], fold: bool = False) -> str:
    """Regex source matching exactly ``words``, branching letter by letter ("m(?:an|other)")
    instead of trying each word in turn: much faster for long word lists. Use it only where a
    word boundary follows, so that at most one word can match at a place and the order of the
    alternatives does not matter. ``fold``: match the (ASCII) words as re.IGNORECASE would.
    """
    if fold:
        words = [w.lower() for w in words]
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [(_fold(ch) if fold else re.escape(ch)) + emit(sub) for ch, sub in node.items() if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{emit(tree)})"


@lru_cache(maxsize=1)
def _np_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(person NP, plural NP, plural anchor) patterns of _Context._unnamed_nps, compiled once.

    A person NP is a determiner, up to four modifiers and a person noun or country adjective
    ("a young Russian man", "the Georgian"); a plural NP is up to three words ending in a
    plural noun ("many Russian men"). The anchor (for finditer_near) finds the plural noun (or
    the "group" of "a group of"), at most three runs of text after the NP's start."""
    adjs = [a.capitalize() for a in country_adjectives() if a.isalpha()]
    head = _word_trie(_PERSON_NOUNS.split("|") + adjs)
    person = re.compile(
        # \b(?P<det>[Aa]n?|[Oo]ne|[Aa]nother|[Tt]he|[Tt]his|[Tt]hat), written to start with the
        # determiner's first letter so that the regex engine skips other characters at C speed
        rf"(?P<det>[AaOoTt](?<!\w.)(?:(?<=[Aa])n?|(?<=[Oo])ne|(?<=[Aa])nother|(?<=[Tt])he|(?<=[Tt])his|(?<=[Tt])hat))"
        # (possessive ++: a shorter word is never followed by a blank, so no need to retry one)
        rf"[ \t]+(?P<mods>(?:{_MOD}[\w’'-]++[ \t]+){{0,4}})(?P<head>{head})(?![\w’'-])"
        rf"(?P<post>\s+in\s+(?:his|her|their)\s+(?:early\s+|late\s+|mid-)?\d0s"
        rf"|\s+(?:from|in|near)\s+(?:the\s+)?(?:St\.?\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?(?![\w’'-]))?"
    )
    nouns = _word_trie(_PLURAL_NOUNS.split("|"))
    plural = re.compile(
        rf"\b(?:(?:[Ss]ome|[Mm]any|[Tt]he|[Tt]hose|[Tt]hese|[Tt]wo|[Tt]hree|[Ss]everal|[Oo]ther)\s+)?"
        rf"(?:[\w’'-]++[ \t]+){{0,2}}?{nouns}\b|\b[Aa]\s+group\s+of\s+\w+",
        re.I,
    )
    anchor = re.compile(rf"(?<!\w){_word_trie(_PLURAL_NOUNS.split('|') + ['group'], fold=True)}\b")
    return person, plural, anchor


def _union_of_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted disjoint spans covering exactly the positions the given spans cover."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(sp for sp in spans if sp[0] < sp[1]):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


class _Context:
    """Everything attribution needs about one article (built once per call)."""

    def __init__(self, text: str, people: list[Person]):
        self.text = text
        self.paras = paragraphs(text)
        self.sents = sentences(text)
        self.para_starts = [s for s, _ in self.paras]
        self.sent_starts = [s for s, _ in self.sents]
        self.people = people
        self.mentions: list[_Np] = []
        for p in people:
            kind = "org" if p.kind == "organisation" else "named"
            for s, e in p.mentions:
                self.mentions.append(_Np(s, e, p.canonical, None, kind))
        self.mentions.sort(key=lambda n: n.start)
        self.mention_cover = _union_of_spans([(n.start, n.end) for n in self.mentions])
        self.nps = self._unnamed_nps()
        self.org_nps = self._organisation_nps()
        # a person NP inside "a spokesperson for the ministry" is the organisation's voice, not a person
        self.nps = [n for n in self.nps if not any(o.start <= n.start and n.end <= o.end for o in self.org_nps)]
        self.all_nps = sorted(self.mentions + self.nps + self.org_nps, key=lambda n: (n.start, -n.end))
        self.np_starts = [n.start for n in self.all_nps]  # for bisect: the NPs starting in a range
        # does each paragraph end like a sentence? (asked for every sentence and every quote)
        self.sentence_paras = [self._ends_like_sentence(k) for k in range(len(self.paras))]
        self.skip_sentence = self._non_narrative()
        # spans of the article's quotations (set by extract_quotes): a person named inside a quote
        # ("a woman gave him her tablet") is never the antecedent of the reporting pronoun
        self.quote_spans: list[tuple[int, int]] = []

    def in_mention(self, pos: int) -> bool:
        """Is ``pos`` inside a named mention? (a binary search over the merged mention spans)"""
        k = bisect_right(self.mention_cover, (pos, float("inf"))) - 1
        return k >= 0 and pos < self.mention_cover[k][1]

    def in_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quote_spans)

    # people without a name -------------------------------------------------
    def _unnamed_nps(self) -> list[_Np]:
        pat, plural, plural_anchor = _np_patterns()
        out: list[_Np] = []
        for m in pat.finditer(self.text):
            if self.in_mention(m.start("head")):
                continue
            if m.group("head").lower() not in _PERSON_NOUN_SET and not _adjective_is_person(
                self.text, m.end("head")
            ):
                continue  # "the Baltic states", "a Russian court": the adjective qualifies a noun
            # "the man" / "the 22-year-old" refer back; "the governor" is just an unnamed role
            definite = m.group("det").lower() in {"the", "this", "that"} and (
                m.group("head").lower() in _GENERIC_PERSON or _DIGIT.search(m.group("mods")) is not None
            )
            name = self._naming_after(m.end())
            desc = _SPACES.sub(" ", self.text[m.start():m.end()])
            desc = desc[0].lower() + desc[1:]
            kind = "named" if name else ("definite" if definite else "unnamed")
            out.append(_Np(m.start(), m.end(), name, None if name else desc, kind))
        for m in finditer_near(plural, plural_anchor, self.text, 3):
            desc = _SPACES.sub(" ", m.group(0))
            out.append(_Np(m.start(), m.end(), None, desc[0].lower() + desc[1:], "plural"))
        return out

    # organisations speaking ------------------------------------------------
    def _organisation_nps(self) -> list[_Np]:
        """Organisations as speakers, following the gold convention that an organisation's
        spokesperson or a definite description of it speaks for the organisation:
        "the company" / "the airline" (the last organisation of that kind named before it),
        "a spokesperson for X" and "an X spokesman" (X an organisation; a person's name after
        the role, as in "Kremlin spokesman Dmitry Peskov", makes it that person's quote).
        """
        text = self.text
        orgs = [p for p in self.people if p.kind == "organisation"]
        kinds = {p.canonical: organisation_kinds(text, p) for p in orgs}
        out: list[_Np] = []
        for m in _ORG_REFERENCE.finditer(text):
            if self.in_mention(m.start("head")):
                continue  # part of a name ("the Moscow Helsinki Group")
            want = ORG_REFERENCE_KINDS[m.group("head").lower()]
            fits = [p for p in orgs if kinds[p.canonical] & want]
            before = [(s, p.canonical) for p in fits for s, e in p.mentions if e <= m.start()]
            name = max(before)[1] if before else (fits[0].canonical if len(fits) == 1 else None)
            desc = None if name else text[m.start():m.end()].lower()
            out.append(_Np(m.start(), m.end(), name, desc, "org" if name else "unnamed"))
        named_orgs = [n for n in self.mentions if n.kind == "org"] + [n for n in out if n.name]
        # "a spokesperson for the Ministry of Defence"
        for m in finditer_near(_ROLE_FOR, _ROLE_ANCHOR, text, 3):
            org = next((n for n in named_orgs if n.start == m.end() or
                        (n.start > m.end() and _THE_BLANKS.fullmatch(text[m.end():n.start]))), None)
            if org is not None:
                out.append(self._org_voice(m.start(), org.end, org.name))
        # "an Interior Ministry spokeswoman", "the Kremlin spokesman" (not "... spokesman Dmitry Peskov")
        for org in named_orgs:
            m = _ROLE_AFTER_ORG.match(text[org.end:org.end + 40])
            if not m:
                continue
            end = org.end + m.end()
            if any(n.kind == "named" and n.start - end in (0, 1) for n in self.mentions):
                continue
            det = _DET_BEFORE.search(text[max(0, org.start - 5):org.start])
            start = org.start - (len(det.group(0)) if det else 0)
            out.append(self._org_voice(start, end, org.name))
        return out

    def _org_voice(self, start: int, end: int, org: str | None) -> _Np:
        """An organisation's spokesperson; a name given right after ("..., Ivan Petrov,") wins."""
        name = self._naming_after(end)
        if name:
            return _Np(start, end, name, None, "named")
        return _Np(start, end, org, None, "org")

    def _naming_after(self, pos: int) -> str | None:
        """"a man named Yuri", "the man, who identified himself only as Yevgeny", "a Russian, Ivan Petrov,"."""
        after = self.text[pos:pos + 120]
        m = _NAMING_AFTER.match(after)
        if not m:
            return None
        at = pos + m.end()
        appositive = m.group(0).strip() == "," or _PLACE_PHRASE.match(m.group(0))
        for n in self.mentions:
            if n.start == at and n.kind == "named":
                if appositive:
                    # bare appositive name must be closed by a comma/bracket ("a Russian, Ivan Petrov, said")
                    if not _COMMA_OR_BRACKET.match(self.text[n.end:n.end + 3]):
                        return None
                return n.name
        if not appositive:
            tok = _CAPITAL_WORD.match(self.text[at:at + 40])
            if tok:
                return tok.group(0)
        return None

    # sentences that are not narrative (headline, captions, link lines) ----
    def _non_narrative(self) -> set[int]:
        skip = set()
        for k, (s, e) in enumerate(self.sents):
            para = self.para_of(s)
            if para == 0 or not self.is_sentence_para(para):
                skip.add(k)
        return skip

    def para_of(self, pos: int) -> int:
        """Index of the paragraph containing ``pos`` (or ending right at it), -1 when none.
        Paragraphs are sorted and separated by line breaks, so only the last one starting at
        or before ``pos`` can contain it."""
        k = bisect_right(self.para_starts, pos) - 1
        return k if k >= 0 and pos <= self.paras[k][1] else -1

    def is_sentence_para(self, k: int) -> bool:
        return self.sentence_paras[k]

    def nps_starting_in(self, start: int, end: int) -> list[_Np]:
        """The NPs of all_nps (in its order) that start at or after ``start`` and before ``end``."""
        return self.all_nps[bisect_left(self.np_starts, start):bisect_left(self.np_starts, end)]

    def _ends_like_sentence(self, k: int) -> bool:
        s, e = self.paras[k]
        tail = self.text[s:e].rstrip(" ')]’›‘" + _CLOSERS)
        return bool(tail) and tail[-1] in ".!?…"

    def sent_index(self, pos: int) -> int:
        """The sentence containing ``pos``, else the last one starting before it (0 if none).
        Sentences are sorted and disjoint: both are the last sentence starting at or before pos."""
        return max(0, bisect_right(self.sent_starts, pos) - 1)

    def np_at(self, pos: int) -> _Np | None:
        """The person NP starting at ``pos`` (after optional titles/determiner)."""
        head = _NP_PREFIX.match(self.text[pos:pos + 120])
        limit = pos + (head.end() if head else 0)
        best = None
        for n in self.nps_starting_in(pos, limit + 1):
            if best is None or n.start < best.start:
                if n.kind in ("named", "org") or n.start == pos:
                    best = n
        return best

    def np_ending_before(self, pos: int) -> _Np | None:
        """The person NP that is the subject of a verb at ``pos`` (appositives skipped)."""
        gap = _SUBJECT_GAP
        best = None
        for n in self.all_nps:
            # "a source close to the ministry told": the ministry is not the subject
            if n.end > pos or pos - n.end >= 200 or _after_preposition(self.text, n.start):
                continue
            if gap.match(self.text[n.end:pos]):
                if best is None or n.end > best.end or (n.end == best.end and n.start < best.start):
                    best = n
        # a name set off by commas right before the verb is the subject it renames ("the town's
        # mayor, Ivan Petrov, said"; "a driver from Omsk, Yuri Sokolov, told"), unless the
        # commas close a list ("Anna, Boris and Yuri Sokolov, said" has "and" before the name)
        if best is None or best.kind in ("unnamed", "definite", "plural"):
            for n in self.all_nps:
                if (n.kind == "named" and n.end <= pos and _COMMA_ADVERBS.fullmatch(self.text[n.end:pos])
                        and _WORD_COMMA_BEFORE.search(self.text[max(0, n.start - 40):n.start])
                        and not _AND_OR_BEFORE.search(self.text[max(0, n.start - 8):n.start])):
                    best = n
        # an appositive description after a name ("Kirill, a 26 year-old worker,") is the same person
        if best is not None and best.kind in ("unnamed", "definite"):
            named = [n for n in self.all_nps if n.kind in ("named", "org") and n.end <= best.start
                     and _APPOSITION_GAP.fullmatch(self.text[n.end:best.start])]
            if named:
                best = named[-1]
        return best


def _adjective_is_person(text: str, end: int) -> bool:
    """A country adjective used as a person ("a Russian who fled", "a Georgian, 40, said"): the
    next word is not a noun it qualifies. Only clause material may follow: punctuation, a
    relative or preposition, an auxiliary or a speech verb."""
    m = _NEXT_LOWER_WORD.match(text[end:end + 30])
    nxt = m.group(1) if m else None
    if nxt is None:
        return True
    # a past-tense speech verb, or says/tells ("Baltic states", "Russian reports" are nouns)
    if nxt in SPEECH_VERBS and (nxt.endswith("ed") or nxt in {"said", "told", "wrote", "says", "tells"}):
        return True
    return nxt in {
        "who", "whose", "whom", "that", "in", "from", "living", "working", "with", "at", "on", "for",
        "has", "had", "have", "is", "was", "will", "would", "can", "could", "also", "then", "later",
        "now", "still", "recently", "and", "or", "aged", "named", "called", "by"}


def _after_preposition(text: str, pos: int) -> bool:
    """Is the NP at ``pos`` the object of a preposition ("close to the ministry", "of the Guard")?"""
    return _PREPOSITION_BEFORE.search(text[max(0, pos - 12):pos]) is not None


def _pronoun_before(text: str, pos: int) -> tuple[str, int] | None:
    m = _PRONOUN_BEFORE.search(text[max(0, pos - 40):pos])
    if not m:
        return None
    return m.group(1).lower(), max(0, pos - 40) + m.start(1)


# ---------------------------------------------------------------- resolution


def _who_from_np(ctx: _Context, n: _Np, resolved: list[tuple[Quote, int]]) -> _Who | None:
    if n.kind in ("named", "org"):
        return _Who(n.name, None, n.start, n.end, n.kind)
    if n.kind == "definite":
        ante = _antecedent(ctx, n.start, "he", resolved)
        if ante is not None:
            return replace(ante, how="definite")
        return _Who(None, n.desc, n.start, n.end, "unnamed")
    return _Who(None, n.desc, n.start, n.end, "unnamed")


def _antecedent(ctx: _Context, pos: int, pronoun: str, resolved: list[tuple[Quote, int]]) -> _Who | None:
    """The person a pronoun at ``pos`` refers to: the subject of the nearest earlier sentence.

    he/she/the man: first named or unnamed person of the sentence (earlier text first);
    a sentence whose subject is itself he/she just continues the chain. it: the last
    organisation. they: None (groups are not named speakers).
    """
    text = ctx.text
    if pronoun in ("they", "we", "i"):
        plural = [n for n in ctx.nps if n.kind == "plural" and n.end <= pos and pos - n.end < 400]
        return _Who(None, plural[-1].desc if plural else None, pos, pos, "pronoun")
    if pronoun == "it":
        orgs = [n for n in ctx.mentions if n.kind == "org" and n.end <= pos and pos - n.end < 600]
        return _Who(orgs[-1].name, None, orgs[-1].start, orgs[-1].end, "pronoun") if orgs else None
    k = ctx.sent_index(pos)
    steps = 0
    while k >= 0 and steps < 15:
        s, e = ctx.sents[k]
        upto = min(e, pos)
        if k in ctx.skip_sentence and not (s <= pos < e):
            k -= 1
            continue
        cands: list[tuple[int, str, object]] = []
        for n in ctx.nps_starting_in(s, upto):
            if n.kind in ("named", "unnamed", "definite"):
                cands.append((n.start, "np", n))
        for q, qpos in resolved:
            if s <= q.start < e and q.start < pos and (q.speaker or q.speaker_desc):
                cands.append((q.start - 1, "quote", q))
        for m in _PERSONAL_PRONOUN.finditer(text[s:upto]):
            if not _inside_quote_marks(text, s + m.start(), s):
                cands.append((s + m.start(), "pron", None))
        cands.sort(key=lambda c: c[0])
        for at, kind, obj in cands:
            if kind != "quote" and (_inside_quote_marks(text, at, s) or ctx.in_quote(at)):
                continue
            if kind in ("np", "quote") and _gender_clash(ctx, pronoun, kind, obj, e):
                continue  # "he" does not refer back to "a woman": keep looking
            if kind == "np" and _late_role(text, s, obj):
                continue
            if kind == "pron":
                if _SUBORDINATOR.search(text[s:at]):
                    continue  # "Asked whether he would return, X paused": not the subject
                break  # the sentence is about "him" again: look further back
            if kind == "quote":
                return _Who(obj.speaker, obj.speaker_desc, obj.speaker_start or obj.start,
                            obj.speaker_end or obj.start, "pronoun")
            if obj.kind == "definite":
                break  # "the man" also refers back
            return _Who(obj.name, obj.desc, obj.start, obj.end, "pronoun")
        k -= 1
        steps += 1
    return None


def _late_role(text: str, sent_start: int, n: _Np) -> bool:
    """A definite role ("the landlord", "the governor") deep in a sentence ("Their rent is high,
    and the landlord wanted ...") is a side character, not the topic a pronoun chain follows."""
    if n.kind != "unnamed" or not (n.desc or "").startswith(("the ", "this ", "that ")):
        return False
    before = text[sent_start:n.start]
    return "," in before or len(words(before)) >= 4


def _gender_of_words(desc: str | None) -> str | None:
    toks = set(words(desc or ""))
    fem, mal = bool(toks & _FEMALE), bool(toks & _MALE)
    return "f" if fem and not mal else "m" if mal and not fem else None


def _gender_clash(ctx: _Context, pronoun: str, kind: str, obj, sent_end: int) -> bool:
    """Does a he/she pronoun disagree with the gender the article gives this person?

    The gender comes from the description ("a woman", "a father of two") or, failing that, from
    the first personal pronoun after the mention in its own sentence, with no other person in
    between ("a developer, who asked not to be named because she ..."). Unknown never clashes.
    """
    want = {"he": "m", "she": "f"}.get(pronoun)
    if want is None:
        return False
    if kind == "quote":
        if obj.speaker:
            return False
        np = next((n for n in ctx.all_nps if n.start == obj.speaker_start and n.end == obj.speaker_end), None)
        if np is None:
            got = _gender_of_words(obj.speaker_desc)
            return got is not None and got != want
        obj, sent_end = np, ctx.sents[ctx.sent_index(np.start)][1]
    got = _gender_of_words(obj.desc)
    if got is None:
        nxt = [n.start for n in ctx.nps_starting_in(obj.end, sent_end) if n.kind != "plural"]
        stop = min(nxt, default=sent_end)
        # not a comparison ("X remembers it better than he does": he is someone else)
        m = _GENDERED_PRONOUN.search(ctx.text[obj.end:stop])
        if m and not _inside_quote_marks(ctx.text, obj.end + m.start(), obj.end):
            got = _gender_of_words(m.group(1))
    return got is not None and got != want


def _inside_quote_marks(text: str, pos: int, sent_start: int) -> bool:
    """Is ``pos`` inside quotation marks opened earlier in its sentence?"""
    return _pair_doubles(text, sent_start, pos)[1] is not None


def _subject_of_verb(ctx: _Context, vstart: int, resolved) -> _Who | None:
    """Subject of a finite speech verb at ``vstart``: a pronoun or a person NP right before it."""
    text = ctx.text
    pro = _pronoun_before(text, vstart)
    n = ctx.np_ending_before(vstart)
    if pro and (n is None or pro[1] >= n.end):
        return _pronoun_who(ctx, pro[0], pro[1], resolved)
    if n is not None:
        return _who_from_np(ctx, n, resolved)
    # relative clause: "a man named Yuri from Moscow who said"
    m = _WHO_BEFORE.search(text[max(0, vstart - 40):vstart])
    if m:
        wpos = max(0, vstart - 40) + m.start()
        rel = _RELATIVE_GAP
        # "Captain X of the Border Guard, who said": the organisation after "of" is not the subject
        cands = [c for c in ctx.all_nps if c.end <= wpos and wpos - c.end < 60 and rel.match(text[c.end:wpos])
                 and not _after_preposition(text, c.start)]
        if cands:
            c = max(cands, key=lambda c: (c.end, -c.start))
            if c.kind != "plural":
                return _who_from_np(ctx, c, resolved)
    return None


def _pronoun_who(ctx: _Context, pronoun: str, pos: int, resolved) -> _Who | None:
    ante = _antecedent(ctx, pos, pronoun, resolved)
    if ante is None:
        return _Who(None, None, pos, pos + len(pronoun), "pronoun")
    return replace(ante, how="pronoun")


def _sentence_subject(ctx: _Context, s: int, limit: int, resolved) -> _Who | None:
    """Subject of a sentence: its first person NP or pronoun (for ', saying: “...”')."""
    text = ctx.text
    first_np = next((n for n in ctx.all_nps if s <= n.start < limit and n.kind != "plural"), None)
    pm = _SUBJECT_PRONOUN.search(text[s:limit])
    if pm and (first_np is None or s + pm.start() < first_np.start):
        return _pronoun_who(ctx, pm.group(1).lower(), s + pm.start(), resolved)
    if first_np is not None:
        # "the union's lawyer Marta Kowalska wrote:": a role right before a name is that person
        named = next((n for n in ctx.mentions if n.kind == "named" and first_np.kind in ("unnamed", "definite")
                      and n.start > first_np.end and _BLANKS.fullmatch(ctx.text[first_np.end:n.start])), None)
        return _who_from_np(ctx, named or first_np, resolved)
    return None


def _verbs_in(text: str, s: int, e: int) -> list[re.Match]:
    """Speech verbs (and 'according to') between s and e, outside quotation marks."""
    out = []
    for m in _VERB_CANDIDATE.finditer(text[s:e]):
        w = m.group(0).lower()
        if w.startswith("according") or w in SPEECH_VERBS:
            if not _inside_quote_marks(text, s + m.start(), s):
                out.append((s + m.start(), s + m.end(), w))
    return out


def _attribute_verb(ctx: _Context, vs: int, ve: int, verb: str, sent_start: int, resolved) -> _Who | None:
    """Who does this speech verb attribute words to?"""
    text = ctx.text
    if verb.startswith("according"):
        m = _OBJECT_PRONOUN_AFTER.match(text[ve:ve + 10])
        if m:
            return _pronoun_who(ctx, {"him": "he", "her": "she", "them": "they", "it": "it"}[m.group(1).lower()],
                                ve + m.start(1), resolved)
        n = ctx.np_at(ve + len(text[ve:]) - len(text[ve:].lstrip()))
        return _who_from_np(ctx, n, resolved) if n else None
    if verb in _PARTICIPLES:
        if _PARTICIPLE_INTRO.search(text[max(sent_start, vs - 10):vs]):
            return _sentence_subject(ctx, sent_start, vs, resolved)
        return None
    who = _subject_of_verb(ctx, vs, resolved)
    if who is not None:
        return who
    who = _coordinated_subject(ctx, vs, sent_start, resolved)
    if who is not None:
        return who
    if verb in _VERB_FIRST:
        n = ctx.np_at(ve + 1)
        if n is not None and n.kind != "plural" and n.start - ve < 80:
            return _who_from_np(ctx, n, resolved)
    return None


def _coordinated_subject(ctx: _Context, vs: int, sent_start: int, resolved) -> _Who | None:
    """The sentence subject of a second, coordinated verb: "She pauses, then adds that ...",
    "Petrov shrugs and says ...". Only a short run of lower-case words may separate them."""
    text = ctx.text
    m = _COORDINATED.fullmatch(text[sent_start:vs])
    if not m:
        return None
    subj = m.group("subj")
    if subj.lower() in ("he", "she"):
        return _pronoun_who(ctx, subj.lower(), sent_start + m.start("subj"), resolved)
    n = next((n for n in ctx.mentions if n.start == sent_start + m.start("subj") and n.end == sent_start + m.end("subj")
              and n.kind == "named"), None)
    return _who_from_np(ctx, n, resolved) if n else None


def _after_adjacent(ctx: _Context, q: _Raw, resolved) -> tuple[str, _Who] | None:
    """“...,” said X  /  “...,” X said  /  “...?” he asked."""
    text = ctx.text
    last = text[q.end - 1] if q.end > q.start else ""
    after_close = (q.close + 1) if q.close is not None else q.end
    raw_tail = text[after_close:ctx.paras[q.para][1]]
    comma_after = raw_tail.lstrip().startswith(",")
    if not (text[q.end:after_close + 1].strip(" ’›" + _CLOSERS).startswith(",") or last in ",?!–—-" or comma_after
            or (q.close is not None and text[q.close - 1] == ",")):
        return None
    m = _DASH_GAP.match(raw_tail)
    p = after_close + m.end()
    vm = _ASCII_WORD.match(text[p:p + 20])
    if vm and vm.group(1).lower() in _VERB_FIRST:
        ve = p + vm.end()
        n = ctx.np_at(ve + len(text[ve:ve + 5]) - len(text[ve:ve + 5].lstrip()))
        if n is not None and n.start - ve < 80:
            return "said-X-after", _who_from_np(ctx, n, resolved)
        pro = _PRONOUN_AFTER.match(text[ve:ve + 8])
        if pro:
            return "said-X-after", _pronoun_who(ctx, pro.group(1).lower(), ve + pro.start(1), resolved)
        return None
    pm = _PRONOUN_VERB.match(text[p:p + 40])
    if pm and pm.group(2).lower() in SPEECH_VERBS:
        return "X-said-after", _pronoun_who(ctx, pm.group(1).lower(), p, resolved)
    # “...,” its research director, Anna Petrova, told me: a role, then the name it renames
    for n in ctx.mentions:
        if n.kind == "named" and p < n.start < p + 80 and _ROLE_WORDS.fullmatch(
                text[p:n.start]) and _COMMA_SPEECH_VERB.match(text[n.end:n.end + 40]):
            return "X-said-after", _who_from_np(ctx, n, resolved)
    n = ctx.np_at(p)
    if n is not None and n.start - p < 60:
        vm = _NP_THEN_VERB.match(text[n.end:n.end + 160])
        if vm:
            return "X-said-after", _who_from_np(ctx, n, resolved)
    # an unnamed short phrase: “...,” lobbyists said
    fm = _PHRASE_THEN_VERB.match(text[p:p + 100])
    if fm and not _CLAUSE_PUNCT.search(fm.group(1)):
        desc = fm.group(1).strip()
        return "X-said-after", _Who(None, desc[0].lower() + desc[1:], p, p + len(desc), "unnamed")
    return None


def _before_in_sentence(ctx: _Context, q: _Raw, resolved) -> tuple[str, _Who] | None:
    """X said: “...”  /  X told Reuters that he “...”  /  X, ..., saying: “...”  /  according to X, “...”."""
    text = ctx.text
    k = ctx.sent_index(q.open)
    s = ctx.sents[k][0]
    if s > q.open:
        return None
    for vs, ve, verb in reversed(_verbs_in(text, s, q.open)):
        who = _attribute_verb(ctx, vs, ve, verb, s, resolved)
        if who is None:
            continue
        between = text[ve:q.open]
        if verb.startswith("according"):
            rule = "according-to"
        elif verb in _PARTICIPLES:
            rule = "X-saying"
        elif _COLON_GAP.fullmatch(between):
            rule = "X-said-colon"
        elif _THAT.search(between):
            rule = "X-said-that"
        else:
            rule = "X-verb-before"
        return rule, who
    return None


def _trailing(ctx: _Context, q: _Raw, resolved) -> tuple[str, _Who] | None:
    """“...” of these fields, the agency reported: an attribution later in the same sentence."""
    text = ctx.text
    after = (q.close + 1) if q.close is not None else q.end
    k = ctx.sent_index(after - 1)
    e = ctx.sents[k][1]
    for vs, ve, verb in _verbs_in(text, after, e):
        if verb.startswith("according") or verb in _PARTICIPLES:
            continue
        if not _COMMA_WORDS_BEFORE.search(text[after:vs]):
            continue
        who = _attribute_verb(ctx, vs, ve, verb, after, resolved)
        if who is not None:
            return "trailing-attribution", who
    return None


def _sentence_attribution(ctx: _Context, k: int, resolved) -> _Who | None:
    """A speaker named by any speech verb of sentence k (outside quotes)."""
    s, e = ctx.sents[k]
    for vs, ve, verb in _verbs_in(ctx.text, s, e):
        who = _attribute_verb(ctx, vs, ve, verb, s, resolved)
        if who is not None and (who.name or who.desc):
            return who
    return None


def _paragraph_speaker(ctx: _Context, q: _Raw, resolved) -> tuple[str, _Who] | None:
    ps, pe = ctx.paras[q.para]
    own = ctx.sent_index(q.open)
    ks = [k for k, (s, e) in enumerate(ctx.sents) if ps <= s < pe and k != own]
    before = sorted((k for k in ks if k < own), reverse=True)
    after = [k for k in ks if k > own]
    for k in before + after:
        s, e = ctx.sents[k]
        if s < q.end and e > q.start:
            continue  # a sentence inside this very quote
        who = _sentence_attribution(ctx, k, resolved)
        if who is not None:
            return "paragraph-speaker", who
    return None


def _introduced_by_previous_paragraph(ctx: _Context, q: _Raw, raws: list[_Raw], resolved) -> tuple[str, _Who] | None:
    """A paragraph that is only a quote, right after a paragraph with no quote of its own that
    introduces it: one ending in a colon ("A reader in Omsk sent us this message:") gives its
    last sentence's subject; otherwise the speaker a speech verb of its last sentence names
    ("Anna had worked there for years, she says, ..."), and only a name: an unnamed
    description there may well be someone else."""
    if q.para < 1 or any(r.para == q.para - 1 for r in raws):
        return None
    ps, pe = ctx.paras[q.para - 1]
    body = ctx.text[ps:pe].rstrip()
    if not body or q.para - 1 == 0:
        return None
    k = ctx.sent_index(ps + len(body) - 1)
    s = max(ctx.sents[k][0], ps)
    if body.endswith(":"):
        who = _sentence_subject(ctx, s, ps + len(body), resolved)
        if who is not None and (who.name or who.desc):
            return "colon-intro", who
        return None
    if not ctx.is_sentence_para(q.para - 1):
        return None
    who = _sentence_attribution(ctx, k, resolved)
    if who is not None and who.name:
        return "previous-paragraph", who
    return None


def _share_run_speakers(quotes: list[Quote], raws: list[_Raw]) -> list[Quote]:
    """The chunks of one multi-paragraph quote share one speaker: when the opening chunks had
    no attribution of their own, they take the one a later chunk found ("...,” he said")."""
    out = list(quotes)
    runs: dict[int, list[int]] = {}
    for i, q in enumerate(raws):
        root = i
        while raws[root].cont_of is not None:
            root = raws[root].cont_of
        runs.setdefault(root, []).append(i)
    for members in runs.values():
        if len(members) < 2:
            continue
        named = [out[i] for i in members if out[i].speaker or out[i].speaker_desc]
        if not named:
            continue
        src = named[0]
        for i in members:
            if out[i].rule == "unattributed":
                out[i] = replace(out[i], speaker=src.speaker, speaker_desc=src.speaker_desc,
                                 speaker_start=src.speaker_start, speaker_end=src.speaker_end,
                                 rule="continuation", confidence=max(out[i].confidence, _BASE_CONFIDENCE["continuation"] - 0.1))
    return out


# ---------------------------------------------------------------- public API

_BASE_CONFIDENCE = {
    "said-X-after": 0.95,
    "X-said-after": 0.93,
    "X-said-colon": 0.92,
    "X-saying": 0.88,
    "according-to": 0.85,
    "X-said-that": 0.88,
    "X-verb-before": 0.8,
    "trailing-attribution": 0.75,
    "continuation": 0.85,
    "same-paragraph": 0.85,
    "paragraph-speaker": 0.75,
    "bare-continuation": 0.75,
    "colon-intro": 0.8,
    "previous-paragraph": 0.7,
    "unattributed": 0.55,
}


def _usable(who: _Who) -> bool:
    """An attribution that settles the speaker: a name, a description, or an explicit pronoun."""
    return bool(who.name or who.desc or who.how == "pronoun")


_ABOVE_LATIN = re.compile("[\u0250-\U0010ffff]")


def _foreign_script(qtext: str) -> bool:
    """Mostly letters outside the Latin script (Cyrillic, Greek, Georgian, Armenian...)."""
    if not any(c.isalpha() for c in _ABOVE_LATIN.findall(qtext)):
        return False  # no letter outside Latin: the usual case, without a loop over every character
    letters = [c for c in qtext if c.isalpha()]
    latin = sum(1 for c in letters if c < "\u0250")  # Basic Latin to Latin Extended-B
    return bool(letters) and latin < len(letters) / 2


def _is_bare_paragraph(text: str, q: _Raw, paras: list[tuple[int, int]]) -> bool:
    ps, pe = paras[q.para]
    return q.open == ps and text[(q.close + 1) if q.close is not None else q.end:pe].strip(" .,!?") == ""


def extract_quotes(text: str, people: list[Person] | None = None) -> list[Quote]:
    """Direct quotations of ``text`` with speakers, sorted by start."""
    if people is None:
        people = find_people(text)
    ctx = _Context(text, people)
    raws = _find_raw_quotes(text, ctx.paras)
    continued = {q.cont_of for q in raws if q.cont_of is not None}
    raws = [_cut_unclosed(text, q, i in continued) for i, q in enumerate(raws)]
    ctx.quote_spans = [(q.start, q.end) for q in raws]
    out: list[Quote] = []
    resolved: list[tuple[Quote, int]] = []  # quotes attributed so far (for pronoun chains)
    for i, q in enumerate(raws):
        quote = _attribute(ctx, q, i, raws, out, resolved)
        out.append(quote)
        resolved.append((quote, i))
    out = _share_run_speakers(out, raws)
    return sorted(out, key=lambda x: x.start)


def _attribute(ctx: _Context, q: _Raw, i: int, raws: list[_Raw], done: list[Quote], resolved) -> Quote:
    text = ctx.text
    qtext = text[q.start:q.end]
    n_words = len(words(qtext))
    headline = q.para == 0
    narrative = ctx.is_sentence_para(q.para)
    bare = _is_bare_paragraph(text, q, ctx.paras)
    caption = bare and not narrative

    rule, who = None, None
    if not headline:
        if q.cont_of is not None:
            prev = done[q.cont_of]
            rule, who = "continuation", _Who(prev.speaker, prev.speaker_desc, prev.speaker_start or 0,
                                            prev.speaker_end or 0, "named" if prev.speaker else "unnamed")
            if not (prev.speaker or prev.speaker_desc):
                rule, who = None, None
        finders = [_after_adjacent, _before_in_sentence, _trailing]
        if rule is None and qtext[:1].islower():
            # a partial quote inside reporting ("X said that ... “words”, the agency reported"):
            # the reporting verb before it names the speaker, a trailing clause names the source
            got = _before_in_sentence(ctx, q, resolved)
            if got is not None and got[0] != "X-said-colon" and _usable(got[1]):
                rule, who = got
        for finder in finders:
            if rule is not None:
                break
            got = finder(ctx, q, resolved)
            if got is not None and _usable(got[1]):
                rule, who = got
        if rule is None and not caption:
            same = [d for j, d in enumerate(done) if raws[j].para == q.para and (d.speaker or d.speaker_desc)]
            if same:
                d = same[-1]
                rule, who = "same-paragraph", _Who(d.speaker, d.speaker_desc, d.speaker_start or 0,
                                                   d.speaker_end or 0, "named")
        if rule is None and not caption:
            got = _paragraph_speaker(ctx, q, resolved)
            if got is not None:
                rule, who = got
        if rule is None and bare and narrative:
            prev = [d for j, d in enumerate(done) if raws[j].para == q.para - 1]
            if prev and (prev[-1].speaker or prev[-1].speaker_desc):
                d = prev[-1]
                rule, who = "bare-continuation", _Who(d.speaker, d.speaker_desc, d.speaker_start or 0,
                                                      d.speaker_end or 0, "named")

        if rule is None and bare and narrative and q.cont_of is None:
            got = _introduced_by_previous_paragraph(ctx, q, raws, resolved)
            if got is not None:
                rule, who = got

    speaker = who.name if who else None
    desc = who.desc if who and not who.name else None
    if rule is None:
        rule = "unattributed"
    conf = _BASE_CONFIDENCE.get(rule, 0.6)
    if who is not None and who.how in ("pronoun", "definite"):
        conf -= 0.08
    if q.cut or (q.close is None and q.cont_of is None and rule != "continuation"):
        conf -= 0.05
    # low-confidence kinds: headline words, captions, short scare quotes, unattributed single quotes
    if headline:
        rule, conf, speaker, desc, who = "headline", 0.2, None, None, None
    elif caption:
        rule, conf = "caption", 0.3
        if who is None:
            speaker = desc = None
    elif _foreign_script(qtext):
        # «Я не пойду», — сказал он: a quote in another script is not English reporting; kept
        # as a low-confidence candidate without a speaker
        rule, conf, speaker, desc, who = "foreign-script", 0.3, None, None, None
    elif n_words < 4:
        rule, conf = "scare-quote", 0.3
    elif q.single and rule == "unattributed":
        conf = 0.3
    elif not narrative and rule == "unattributed":
        conf = 0.3
    return Quote(
        start=q.start,
        end=q.end,
        text=qtext,
        speaker=speaker,
        rule=rule,
        confidence=round(max(0.0, min(1.0, conf)), 3),
        speaker_desc=desc,
        speaker_start=who.start if who and who.end > who.start else None,
        speaker_end=who.end if who and who.end > who.start else None,
    )
