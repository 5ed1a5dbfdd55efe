"""Tests for exodus.ingest: reading files, manifest, encodings, HTML, furniture removal, titles."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exodus import ingest
from exodus.ingest import CorpusError, clean_text, read_article, read_corpus
from exodus.model import Article, Skipped
from exodus.text import paragraphs

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
GOLD = ROOT / "tests" / "fixtures" / "seeds.gold.json"

SEED_001 = "001_dd14ec6a833584ba.txt"
SEED_000 = "000_9c96ff0c06d1bfe2.txt"
SEED_002 = "002_7501461184289b5b.txt"
SEED_003 = "003_ca40efc24df1c48b.txt"
SEED_004 = "004_aa80568b4da406dd.txt"


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    articles, skipped = read_corpus(RAW)
    assert skipped == []
    return {a.file: a for a in articles}


def _paras(text: str) -> list[str]:
    return [text[s:e] for s, e in paragraphs(text)]


# --------------------------------------------------------------------------- seed articles


def test_all_five_seeds_are_read(seeds: dict[str, Article]) -> None:
    assert sorted(seeds) == sorted(p.name for p in RAW.glob("*.txt"))


def test_seed_titles(seeds: dict[str, Article]) -> None:
    assert seeds[SEED_001].title == "More Russian men look to avoid military service, some lawyers and rights groups say"
    assert seeds[SEED_003].title == "‘If I have to, I’ll go to jail’: Russians who refuse to fight in Putin’s war"
    assert seeds[SEED_000].title == (
        "Vladimir Putin left embarrassed as Russian men continue to refuse military service order"
    )
    assert seeds[SEED_002].title == "Putin humiliated as over 2000 Russians desert country to flee war duties"
    assert seeds[SEED_004].title == "Russian men join exodus, fearful of being called up to fight in Ukraine"


def test_seed_text_starts_with_title_then_blank_line(seeds: dict[str, Article]) -> None:
    for a in seeds.values():
        assert a.text.startswith(a.title + "\n\n"), a.file
        assert "\n\n\n" not in a.text
        # the title appears once: it is not repeated as the first body paragraph
        assert _paras(a.text)[1] != a.title


def test_seed_furniture_is_gone(seeds: dict[str, Article]) -> None:
    furniture = [
        "Connect with us", "Hi, what are you looking for?", "We use your sign-up", "unsubscribe at any time",
        "READ MORE:", "Don’t miss", "[INSIGHT]", "[ANALYSIS]", "[INTERVIEW]", "Support fearless journalism",
        "Read The Daily Express online", "Get super-fast page loading", "Source: Read Full Article",
        "Source link", "Share this article", "You May Also Like", "Leave a Reply", "Your email address",
        "Comments are closed", "About Author", "Please use Chrome browser", "Youtube video thumbnail",
        "Image:", "Read more:", "latest updates", "malek", "GreenLeaf",
        # link headlines swallowed by "Read more:" / "Don't miss" headers
        "Putin managed to mobilize a Russian army", "Risk of nuclear attack",
        "Russians scramble to stockpile eggs", "Dire warning as Putin splurges",
        "World’s worst prison teeming",
        # "You May Also Like" teasers at the end of 001
        "Zaporizhzhia", "stone dealer", "Soft Power",
        # AP contributor line
        "contributed.",
    ]
    for a in seeds.values():
        for phrase in furniture:
            assert phrase not in a.text, (a.file, phrase)
        for p in _paras(a.text):
            assert p not in {"European Union", "United States"}, a.file


def test_seed_000_newsletter_consent_paragraph_removed(seeds: dict[str, Article]) -> None:
    text = seeds[SEED_000].text
    assert "We use your sign-up to provide content" not in text
    assert "3rd parties" not in text
    # the reporting right after it is kept
    assert "One young Russian man, called Danila Davydov, said he left Russia" in text


def test_seed_002_dont_miss_teasers_removed_but_reporting_kept(seeds: dict[str, Article]) -> None:
    text = seeds[SEED_002].text
    assert "Don’t miss" not in text
    assert "stockpile eggs" not in text
    assert "I was raped and beaten" not in text
    assert "£96bn" not in text
    assert text.count("Analysts believe that the actual numbers could be even higher") == 1
    assert "2,076 criminal cases" in text


def test_seed_required_gold_quotes_survive(seeds: dict[str, Article]) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    n = 0
    for g in gold["articles"]:
        text = seeds[g["file"]].text
        for q in g["quotes"]:
            if q["required"]:
                n += 1
                assert q["text"] in text, (g["file"], q["text"])
    assert n >= 25


def test_seed_gold_destination_evidence_survives(seeds: dict[str, Article]) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for g in gold["articles"]:
        for d in g["destinations"]:
            assert d["evidence"] in seeds[g["file"]].text, (g["file"], d["evidence"])


def test_seed_video_caption_quotes_are_kept(seeds: dict[str, Article]) -> None:
    paras = _paras(seeds[SEED_003].text)
    assert "“There is a fighting spirit”" in paras
    assert "“Stay true to the story”" in paras
    assert "“If we don’t go, we go to prison”" in paras


def test_seed_metadata_from_manifest(seeds: dict[str, Article]) -> None:
    a = seeds[SEED_004]
    assert (a.outlet, a.published, a.published_basis) == ("Associated Press", "2022-09-23", "manifest")
    # 002: the manifest gives the outlet but no date, and the text states none
    b = seeds[SEED_002]
    assert (b.outlet, b.published, b.published_basis) == ("Daily Express", None, None)
    assert all(x.encoding == "utf-8" and x.source_format == "txt" for x in seeds.values())


def test_seed_004_dateline_outlet_inferred_without_manifest(tmp_path: Path) -> None:
    shutil.copy(RAW / SEED_004, tmp_path / SEED_004)
    (a,), skipped = read_corpus(tmp_path)
    assert skipped == []
    assert a.outlet == "Associated Press"
    assert a.published is None  # no explicit date line in the text


# --------------------------------------------------------------------------- hostile corpus


def _write_cp1251_article(path: Path) -> str:
    text = (
        "Мужчины покидают Россию\n\n"
        "Очереди на границе с Грузией растянулись на десять километров, сообщили местные жители.\n\n"
        "«Мы не хотим воевать», — сказал один из мужчин, который уехал в Казахстан."
    )
    path.write_bytes(text.encode("cp1251"))
    return text


@pytest.fixture()
def hostile(tmp_path: Path) -> tuple[list[Article], list[Skipped]]:
    (tmp_path / "01_empty.txt").write_bytes(b"")
    (tmp_path / "02_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _write_cp1251_article(tmp_path / "03_russian.txt")
    (tmp_path / "04_huge.txt").write_text("word " * 4_200_000, encoding="ascii")  # 21 MB
    (tmp_path / "05_page.html").write_text(
        "<html><head><title>Men flee the draft | World</title>"
        "<style>p { color: red } .x::after { content: 'STYLE-LEAK' }</style>"
        "<script>var token = 'SCRIPT-LEAK'; alert(token);</script></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Men flee the draft</h1>"
        "<p>Thousands of Russian men crossed into Kazakhstan on Saturday, the country's border service said, "
        "as queues at the main crossings grew through the night.</p>"
        "<script>document.write('SCRIPT-LEAK inline')</script>"
        "<p>“Nobody here wants to go to the front,” said Artyom, a 25-year-old programmer from Omsk, "
        "who waited eleven hours to cross the border.</p>"
        "<p>Officials in Astana said they would not deport anyone who had fled the call-up, a decision "
        "welcomed by human rights groups.</p></article></body></html>",
        encoding="utf-8",
    )
    good = (
        "Georgia sees record arrivals\n\n"
        "Georgian officials said on Monday that a record number of Russians had arrived at the "
        "Upper Lars crossing over the weekend.\n\n"
        "“We have never seen queues like this,” a border guard told reporters at the crossing.\n"
    )
    (tmp_path / "06_good.txt").write_text(good, encoding="utf-8")
    (tmp_path / "07_copy.txt").write_text(good, encoding="utf-8")
    (tmp_path / "08_notes.md").write_text("# Weekend notes\n\nVolunteers in Tbilisi opened a shelter for "
                                          "newly arrived Russians, offering beds to more than 200 people.\n",
                                          encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "manifest.csv").write_text(
        "file,url,outlet,published,title,extra\n"
        "06_good.txt,https://example.com/georgia,Tbilisi Daily,2022-09-26,,note\n"
        "09_missing.txt,,,,,\n"
        "08_notes.md,,,26/09/2022,,\n",
        encoding="utf-8",
    )
    return read_corpus(tmp_path)


def _reasons(skipped: list[Skipped]) -> dict[str, str]:
    return {s.file: s.reason for s in skipped if s.file != "manifest.csv"}


def test_hostile_corpus_bad_files_are_skipped_with_reasons(hostile: tuple[list[Article], list[Skipped]]) -> None:
    _, skipped = hostile
    r = _reasons(skipped)
    assert r["01_empty.txt"] == "empty file"
    assert r["02_binary.txt"] == "binary file (NUL bytes)"
    assert r["04_huge.txt"] == "over the size limit (21.0 MB > 5.0 MB)"
    assert r["09_missing.txt"] == "listed in manifest.csv but not found"
    assert r["07_copy.txt"] == "duplicate of 06_good.txt (identical content)"
    assert set(r) == {"01_empty.txt", "02_binary.txt", "04_huge.txt", "09_missing.txt", "07_copy.txt"}
    assert all("\n" not in s.reason and s.reason for s in skipped)


def test_hostile_corpus_good_files_are_all_read(hostile: tuple[list[Article], list[Skipped]]) -> None:
    articles, _ = hostile
    assert [a.file for a in articles] == ["03_russian.txt", "05_page.html", "06_good.txt", "08_notes.md"]
    fmt = {a.file: a.source_format for a in articles}
    assert fmt == {"03_russian.txt": "txt", "05_page.html": "html", "06_good.txt": "txt", "08_notes.md": "md"}


def test_hostile_corpus_windows_1251_is_decoded(hostile: tuple[list[Article], list[Skipped]]) -> None:
    a = {x.file: x for x in hostile[0]}["03_russian.txt"]
    assert a.encoding == "cp1251"
    assert a.title == "Мужчины покидают Россию"
    assert "«Мы не хотим воевать», — сказал один из мужчин" in a.text


def test_hostile_corpus_html_has_no_script_or_style(hostile: tuple[list[Article], list[Skipped]]) -> None:
    a = {x.file: x for x in hostile[0]}["05_page.html"]
    assert "SCRIPT-LEAK" not in a.text and "alert(" not in a.text
    assert "STYLE-LEAK" not in a.text and "color: red" not in a.text
    assert a.title == "Men flee the draft"
    assert a.text.startswith("Men flee the draft\n\n")
    assert "“Nobody here wants to go to the front,” said Artyom" in a.text


def test_hostile_corpus_manifest_cells_and_bad_date(hostile: tuple[list[Article], list[Skipped]]) -> None:
    articles, skipped = hostile
    by = {a.file: a for a in articles}
    good = by["06_good.txt"]
    assert (good.url, good.outlet, good.published, good.published_basis) == (
        "https://example.com/georgia", "Tbilisi Daily", "2022-09-26", "manifest"
    )
    notes = by["08_notes.md"]
    assert notes.published is None and notes.published_basis is None
    warnings = [s.reason for s in skipped if s.file == "manifest.csv"]
    assert len(warnings) == 1 and "26/09/2022" in warnings[0] and "08_notes.md" in warnings[0]


def test_missing_folder_raises_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError):
        read_corpus(tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(CorpusError):
        read_corpus(tmp_path / "file.txt")


def test_empty_folder_gives_nothing(tmp_path: Path) -> None:
    assert read_corpus(tmp_path) == ([], [])


def test_read_corpus_is_deterministic(hostile: tuple[list[Article], list[Skipped]], tmp_path: Path) -> None:
    assert read_corpus(tmp_path) == hostile


# --------------------------------------------------------------------------- decoding details


def test_utf8_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbfTitle line\r\n\r\nFirst paragraph of the report.\r\nSecond line.\r\n")
    a = read_article(p)
    assert isinstance(a, Article)
    assert a.encoding == "utf-8" and a.title == "Title line"
    assert "\r" not in a.text and "\ufeff" not in a.text


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    p = tmp_path / "u16.txt"
    p.write_bytes("Border reopens\n\nThe crossing reopened on Tuesday, officials said.".encode("utf-16"))
    a = read_article(p)
    assert isinstance(a, Article) and a.encoding == "utf-16" and a.title == "Border reopens"


def test_cp1252_curly_quotes_are_decoded(tmp_path: Path) -> None:
    p = tmp_path / "w.txt"
    text = "Queues grow\n\n“We waited all night,” said Anna, who reached Vaalimaa on Sunday – with two children."
    p.write_bytes(text.encode("cp1252"))
    a = read_article(p)
    assert isinstance(a, Article) and a.encoding == "cp1252"
    assert "“We waited all night,” said Anna" in a.text and "–" in a.text


def test_control_character_garbage_is_binary(tmp_path: Path) -> None:
    p = tmp_path / "junk.txt"
    p.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18]) * 50)
    r = read_article(p)
    assert isinstance(r, Skipped) and r.reason.startswith(("binary file", "undecodable text"))


def test_whitespace_only_and_furniture_only_files(tmp_path: Path) -> None:
    (tmp_path / "ws.txt").write_text("   \n\n\t\n")
    r = read_article(tmp_path / "ws.txt")
    assert isinstance(r, Skipped) and r.reason.startswith("empty file")
    (tmp_path / "furn.txt").write_text("Connect with us\n\nShare this article:\n\nSource link\n")
    r = read_article(tmp_path / "furn.txt")
    assert isinstance(r, Skipped) and "no article text" in r.reason


def test_size_limit_is_a_parameter(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Title\n\n" + "Men crossed the border on foot, officials said. " * 100)
    assert isinstance(read_article(p), Article)
    r = read_article(p, max_bytes=1000)
    assert isinstance(r, Skipped) and r.reason.startswith("over the size limit (")


# --------------------------------------------------------------------------- manifest


def test_manifest_without_file_column_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline here\n\nSome men left for Armenia by car on Sunday, relatives said.")
    (tmp_path / "manifest.csv").write_text("name,url\na.txt,https://x.example\n")
    articles, skipped = read_corpus(tmp_path)
    assert [a.file for a in articles] == ["a.txt"] and articles[0].url is None
    assert skipped == [Skipped("manifest.csv", "manifest ignored: it has no 'file' column")]


def test_malformed_manifest_csv_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline here\n\nSome men left for Armenia by car on Sunday, relatives said.")
    (tmp_path / "manifest.csv").write_text('file,title\na.txt,"unterminated "quote" here\n')
    articles, skipped = read_corpus(tmp_path)
    assert len(articles) == 1
    assert len(skipped) == 1 and skipped[0].file == "manifest.csv" and "malformed CSV" in skipped[0].reason


def test_manifest_title_wins_and_heads_the_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Men flee | europe\n\nSome men left for Armenia by car on Sunday, relatives said in interviews."
    )
    (tmp_path / "manifest.csv").write_text("FILE,Title,published\nsub/a.txt,Russian men flee to Armenia,2022-09-25T10:00:00Z\n")
    (a,), skipped = read_corpus(tmp_path)
    assert skipped == []
    assert a.title == "Russian men flee to Armenia"
    assert a.text == "Russian men flee to Armenia\n\nSome men left for Armenia by car on Sunday, relatives said in interviews."
    assert (a.published, a.published_basis) == ("2022-09-25", "manifest")


def test_manifest_row_for_unsupported_file(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(b"%PDF")
    (tmp_path / "manifest.csv").write_text("file\nscan.pdf\n")
    assert read_corpus(tmp_path) == ([], [Skipped("scan.pdf", "listed in manifest.csv but not a supported file type (.pdf)")])


# --------------------------------------------------------------------------- invented articles (generalisation)


def test_invented_wire_story_furniture_and_metadata() -> None:
    a = read_article(FIXTURES / "reservists_wire.txt")
    assert isinstance(a, Article)
    assert a.title == "Russian reservists cross into Georgia as queues grow"
    assert (a.outlet, a.published, a.published_basis) == ("Reuters", "2022-09-23", "text")
    paras = _paras(a.text)
    assert paras[0] == a.title
    assert paras[1].startswith("TBILISI, Georgia (Reuters) - Russian men of fighting age")
    for gone in ["Skip to content", "Home > World", "By Jane Doe", "Published:", "RELATED:", "Getty",
                 "You might also like", "Armenia sees surge", "Finland shuts border", "Subscribe", "Download our app",
                 "Reporting by", "Tags"]:
        assert gone not in a.text, gone
    # prose after a mid-article link list is kept; so are quotes
    assert "Not everyone is leaving." in a.text
    assert "“We just want to live in peace,” said Oleg" in a.text
    assert "More than half of those crossing" in a.text


def test_invented_html_page() -> None:
    a = read_article(FIXTURES / "border_queue.html")
    assert isinstance(a, Article)
    assert a.title == "Russians queue for days at Kazakh border"
    assert a.outlet == "The Northern Ledger"
    assert (a.published, a.published_basis) == ("2022-09-27", "html-metadata")
    assert a.url == "https://ledger.example.org/europe/2022/09/27/russians-queue-kazakh-border"
    assert "SCRIPT-LEAK" not in a.text and "STYLE-LEAK" not in a.text and "dataLayer" not in a.text
    assert "Finland tightens rules" not in a.text and "Read more" not in a.text
    assert "All rights reserved" not in a.text and "Subscribe" not in a.text
    assert "“We slept in the car for two nights and nobody knew if the gate would stay open,” said Pavel" in a.text
    assert a.text.count("Russians queue for days at Kazakh border") == 1


def test_html_fallback_without_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "_html_extract", lambda html: ("", {}))
    a = read_article(FIXTURES / "border_queue.html")
    assert isinstance(a, Article)
    assert a.title == "Russians queue for days at Kazakh border"  # from <title>, suffixes stripped
    assert "SCRIPT-LEAK" not in a.text and "STYLE-LEAK" not in a.text and "NewsArticle" not in a.text
    assert "Finland tightens rules" not in a.text and "By Marta Ilyina" not in a.text
    assert "98,000 Russian citizens" in a.text
    assert "“People here remember what it means to run from a war, so they help,”" in a.text


def test_html_without_text_is_skipped(tmp_path: Path) -> None:
    p = tmp_path / "blank.htm"
    p.write_text("<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>")
    assert read_article(p) == Skipped("blank.htm", "no article text found in HTML")


def test_markdown_article_with_front_matter() -> None:
    a = read_article(FIXTURES / "flight_notes.md")
    assert isinstance(a, Article)
    assert a.title == "Flights out of Moscow sell out within hours"
    assert (a.published, a.published_basis) == ("2022-09-22", "text")
    assert a.url == "https://notes.example.net/flights-sell-out"
    assert "**" not in a.text and "](" not in a.text and "departures board" not in a.text
    assert "One-way tickets from Moscow to Istanbul, Yerevan and Baku sold out" in a.text
    assert "“Everything to Yerevan is gone until Monday,” a travel agent" in a.text
    assert "Who is being called up?" not in a.text and "Queues at the Georgian border" not in a.text
    assert a.text.rstrip().endswith("fully booked by the evening, travellers said.")


# --------------------------------------------------------------------------- clean_text rules


def test_clean_text_section_label_before_title_is_skipped() -> None:
    title, body = clean_text("Europe\n\nFinland closes its border to Russian tourists\n\nFinland said on Friday it "
                             "would stop most Russian tourists from entering the country within days.")
    assert title == "Finland closes its border to Russian tourists"
    assert body.startswith(title + "\n\n") and "Europe\n" not in body


def test_clean_text_short_title_case_title_is_not_taken_for_a_label() -> None:
    title, _ = clean_text("Russia's Exodus\n\nHundreds of thousands of Russians have left the country since "
                          "September, according to estimates by independent researchers.")
    assert title == "Russia's Exodus"


def test_clean_text_title_suffix_stripped() -> None:
    assert clean_text("Border queues grow | Europe News\n\nMen queued for hours at the crossing on Friday.")[0] == (
        "Border queues grow"
    )
    # a pipe inside a long tail is not a section suffix
    t = "Queue | a line of cars that stretched for ten kilometres towards the border post at dawn"
    assert clean_text(t + "\n\nBody sentence here.")[0] == t


def test_clean_text_file_starting_with_a_paragraph_has_no_title() -> None:
    para = ("Thousands of Russian men have crossed into Kazakhstan since the mobilisation order was announced, "
            "according to the Kazakh interior ministry, which said more than 98,000 people had entered the "
            "country in the past week alone, most of them by car through the Uralsk crossing.")
    title, body = clean_text(para + "\n\nA second paragraph follows here.")
    assert title is None and body.startswith("Thousands of Russian men")


def test_clean_text_never_drops_quotes_or_reporting_sentences() -> None:
    raw = (
        "Headline about borders\n\n"
        "Share this article and you may also like the fact that officials said the border would remain open for weeks.\n\n"
        "“Read more books,” said the librarian who had left Moscow for Yerevan in September.\n\n"
        "“Subscribe”\n\n"
        "Video:\n\n"
        "Sign up\n"
    )
    _, body = clean_text(raw)
    assert "Share this article and you may also like the fact" in body
    assert "“Read more books,” said the librarian" in body
    assert "“Subscribe”" in body  # a quoted phrase alone on a line is a caption, kept
    assert "Video:" not in body and "Sign up" not in body


def test_clean_text_read_more_header_swallows_only_headlines() -> None:
    raw = (
        "Title of the story\n\n"
        "Russian men continued to cross into Georgia on Sunday, border officials said in a statement.\n\n"
        "Read more:\n"
        "Kazakhstan says 200,000 Russians have arrived\n"
        "Why Finland closed its border\n\n"
        "Officials in Tbilisi said they had no plans to close the crossing despite the growing queues there.\n"
    )
    _, body = clean_text(raw)
    assert "Kazakhstan says" not in body and "Why Finland" not in body and "Read more" not in body
    assert "Officials in Tbilisi said they had no plans" in body


def test_clean_text_teaser_tags_and_inline_links() -> None:
    raw = (
        "Main headline\n\n"
        "Men fled across the border in their thousands on Saturday, according to local reports.\n\n"
        "MORE: Putin signs decree on reservists [LATEST]\n\n"
        "Ukraine war map shows new front lines [MAPPED]\n\n"
        "Read more: Armenia sees flights fill up\n\n"
        "The queue stretched for miles by the evening, drivers said.\n"
    )
    _, body = clean_text(raw)
    assert _paras(body) == [
        "Main headline",
        "Men fled across the border in their thousands on Saturday, according to local reports.",
        "The queue stretched for miles by the evening, drivers said.",
    ]


def test_clean_text_comment_footer_cuts_rest_and_trailing_usernames() -> None:
    raw = (
        "Headline\n\n"
        "Thousands of men were seen queuing at the border crossing on Thursday night, witnesses said.\n\n"
        "Officials did not comment on the reports when contacted by telephone on Friday morning.\n\n"
        "johnny88\n\n"
        "Leave a comment\n\n"
        "This is a great article and I agree with every word of it, thank you for writing it.\n"
    )
    _, body = clean_text(raw)
    assert body.endswith("contacted by telephone on Friday morning.")


def test_clean_text_footer_in_first_half_does_not_cut() -> None:
    raw = (
        "Headline\n\n"
        "Tags:\n\n"
        "Men fled across the border in their thousands on Saturday, according to local reports.\n\n"
        "The queue stretched for miles by the evening, drivers said, and police were called.\n"
    )
    _, body = clean_text(raw)
    assert "Tags" not in body
    assert "Men fled across the border" in body and "police were called" in body


def test_clean_text_promo_bullets_dropped_but_news_bullets_kept() -> None:
    raw = (
        "Headline\n\n"
        "Key points:\n"
        "• 98,000 Russians entered Kazakhstan in a week\n"
        "• Georgia reports 10,000 arrivals a day\n\n"
        "The figures were published on Tuesday, officials said in a statement.\n\n"
        "• Get our newsletter every morning\n"
        "• Go ad-free with a premium subscription\n"
    )
    _, body = clean_text(raw)
    assert "• 98,000 Russians entered Kazakhstan in a week" in body
    assert "• Georgia reports 10,000 arrivals a day" in body
    assert "newsletter" not in body and "ad-free" not in body


def test_clean_text_joins_hard_wrapped_lines() -> None:
    raw = (
        "Border crossings\n\n"
        "Russian men continued to arrive at the border crossing with Finland on\n"
        "Saturday, according to the Finnish border guard, which said traffic was\n"
        "double the usual level for a weekend in September this year overall.\n\n"
        "A spokesman said the guard had added staff at the Vaalimaa crossing and\n"
        "expected the numbers to keep rising into the next week, as men of fighting\n"
        "age tried to leave before any closure of the frontier was announced there.\n"
    )
    _, body = clean_text(raw)
    paras = _paras(body)
    assert len(paras) == 3
    assert paras[1].startswith("Russian men continued") and paras[1].endswith("this year overall.")


def test_clean_text_keeps_seed_lines_that_look_short() -> None:
    # short lines that are ordinary prose must survive
    _, body = clean_text("Headline\n\nThere are tears here though. And beers.\n\nBut he left.\n\nNo one knew why.")
    assert "And beers." in body and "But he left." in body and "No one knew why." in body


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=12))
def test_clean_text_never_raises_and_body_is_well_formed(lines: list[str]) -> None:
    title, body = clean_text("\n".join(lines))
    assert "\n\n\n" not in body and "\r" not in body
    if title is not None:
        assert body.startswith(title)
    for s, e in paragraphs(body):
        assert body[s:e] == body[s:e].strip()


# --------------------------------------------------------------------------- small helpers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Published: 8 July 2022", "2022-07-08"),
        ("July 8, 2022", "2022-07-08"),
        ("Updated Sept. 23, 2022 at 10:15", "2022-09-23"),
        ("2022-09-21", "2022-09-21"),
        ("31 February 2022", None),
        ("no date here", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert ingest.parse_date(text) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("2022-07-08", "2022-07-08"), ("2022-07-08T10:00:00Z", "2022-07-08"), ("08/07/2022", None),
     ("2022-13-01", None), ("", None), ("July 2022", None)],
)
def test_normalise_published(value: str, expected: str | None) -> None:
    assert ingest.normalise_published(value) == expected


@pytest.mark.parametrize(
    "para, outlet",
    [
        ("ISTANBUL (AP) — Military-aged men fled Russia in droves on Friday.", "Associated Press"),
        ("(Reuters) - Russia said on Monday it would not close its borders.", "Reuters"),
        ("KYIV, Ukraine (AFP) - Ukrainian officials said on Sunday that the front had held.", "Agence France-Presse"),
        ("Moscow said on Monday that it would close the border (AP) to men.", None),
        ("TBILISI (Civil.ge) — The crossing was busy.", None),
    ],
)
def test_dateline_outlet(para: str, outlet: str | None) -> None:
    assert ingest.dateline_outlet(para) == outlet


@pytest.mark.parametrize(
    "line",
    [
        "Updated figures show 200,000 people left.",
        "More-than-expected turnout at the border",
        "By Friday evening the queue had doubled.",
        "Latest figures show arrivals doubled.",
    ],
)
def test_prose_that_starts_like_furniture_is_kept(line: str) -> None:
    _, body = clean_text("Headline\n\nMen crossed into Georgia on foot on Friday, officials said.\n\n" + line +
                         "\n\nThe crossing stayed open overnight, border guards said on Saturday morning.")
    assert line in _paras(body)


@pytest.mark.parametrize(
    "title",
    ["Analysis: Why Russian men are leaving", "Russia / Ukraine: men flee the draft",
     "Explained: what partial mobilisation means", "“I will not fight in this war”"],
)
def test_titles_that_look_like_labels_or_links_are_kept(title: str) -> None:
    t, body = clean_text(title + "\n\nMen crossed into Georgia on foot on Friday, officials said in a statement.")
    assert t == title and body.startswith(title + "\n\n")


# --------------------------------------------------------------------------- copyright footers

_COPYRIGHT_BODY = (
    "Headline about the border\n\n"
    "Long queues formed at the mountain checkpoint on Tuesday as men tried to leave before the new rules began.\n\n"
    "Local officials said the crossing would stay open through the night, although buses were being turned back.\n\n"
    "Drivers who reached the front of the line said the wait had lasted more than a day and a half.\n\n"
)


@pytest.mark.parametrize(
    "footer",
    [
        "Copyright 2023 Northern Ledger Media. The Ledger is not responsible for the content of external "
        "websites. Find out more about our policy on linking to other sites.",
        "© 2021 Harbour Press Group Limited or its subsidiaries and affiliated companies. All rights reserved.",
        "(c) 2020 Valley Broadcasting Corporation, registered in England and Wales with company number 4412.",
        "All rights reserved. No part of this publication may be reproduced without the written permission of the publisher.",
    ],
)
def test_clean_text_long_copyright_notice_at_the_end_is_dropped(footer: str) -> None:
    _, body = clean_text(_COPYRIGHT_BODY + footer + "\n")
    assert body.endswith("more than a day and a half.")
    assert "rights reserved" not in body.lower() and "2023" not in body


def test_clean_text_copyright_notice_cuts_the_furniture_after_it() -> None:
    raw = (_COPYRIGHT_BODY
           + "Copyright 2022 Eastern Wire Services. Terms and conditions apply to all content on this website.\n\n"
           + "Read our privacy policy and cookie settings\n\nContact the newsroom team by email or phone\n")
    _, body = clean_text(raw)
    assert body.endswith("more than a day and a half.")
    assert "privacy policy" not in body and "newsroom" not in body


def test_clean_text_copyright_notice_does_not_cut_prose_after_it() -> None:
    raw = (_COPYRIGHT_BODY
           + "© 2022 Eastern Wire Services. Terms and conditions apply to every article published on this site.\n\n"
           + "Border guards later said that more than two thousand cars had crossed during the night, a record.\n")
    _, body = clean_text(raw)
    assert "Eastern Wire Services" not in body
    assert body.endswith("had crossed during the night, a record.")


def test_clean_text_copyright_as_a_news_topic_is_kept() -> None:
    line = ("Copyright law was also changed last year so that foreign films could be shown in cinemas "
            "without the permission of the studios, officials said.")
    quoted = ("“Copyright 2022 is printed on every page, but nobody here reads it,” one of the "
              "programmers said with a laugh as he packed his laptop.")
    _, body = clean_text(_COPYRIGHT_BODY + line + "\n\n" + quoted + "\n")
    assert line in body and quoted in body


def test_list_corpus_is_the_serial_half_of_read_corpus(tmp_path: Path) -> None:
    """The build lists in the parent and reads in workers: both halves must give read_corpus's result."""
    (tmp_path / "b.txt").write_text("Headline here\n\nSome men left for Armenia by car on Sunday, relatives said.")
    (tmp_path / "a.HTML").write_text("<html><body><article><h1>Men cross</h1><p>Men crossed into Georgia at "
                                     "Upper Lars on Monday, guards said, and queues grew.</p></article></body></html>")
    (tmp_path / "c.txt").write_text("Other headline\n\nSome men left for ARMENIA by car on Sunday,  relatives said.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "manifest.csv").write_text("file,outlet\nb.txt,Example\ngone.txt,Nowhere\n")
    files, manifest, skipped = ingest.list_corpus(tmp_path)
    assert [p.name for p in files] == ["a.HTML", "b.txt", "c.txt"]
    assert manifest["b.txt"]["outlet"] == "Example"
    assert skipped == [Skipped("gone.txt", "listed in manifest.csv but not found")]
    seen: dict[str, str] = {}
    articles = []
    for p in files:
        a = read_article(p, manifest.get(p.name))
        assert isinstance(a, Article)
        key = ingest.dedup_key(a)
        if key in seen:
            skipped.append(Skipped(p.name, ingest.duplicate_reason(seen[key])))
        else:
            seen[key] = p.name
            articles.append(a)
    assert (articles, skipped) == read_corpus(tmp_path)
    assert skipped[-1] == Skipped("c.txt", "duplicate of b.txt (identical content)")
    with pytest.raises(CorpusError):
        ingest.list_corpus(tmp_path / "nope")


# --------------------------------------------------------------------------- fast paths
# Substring tests and narrower regexes stand in for the plain definitions below (the cleaning
# runs them on every line of every article); they must agree with them on any text.

_LINE_PIECES = st.sampled_from(
    ["“", "”", '"', "«", "»", "„", "‘", "’", "'", " ", "  ", "\t", "\u00a0", "\u2009", "\u3000", "(", "[", "—",
     "–", "-", "word", "He said", ".", "...", "..", "…", ":", "：", "|", ">", "»", "›", "• ", "* ", "\n",
     "\r\n", "\u2028", "\u200b", "\x00", "x"]
)
_LINE_TEXTS = st.lists(_LINE_PIECES, max_size=16).map("".join)


@settings(max_examples=400, deadline=None)
@given(_LINE_TEXTS)
def test_has_quotation_is_the_quote_mark_regex(line: str) -> None:
    plain = re.compile(r"[“\"«„]|(?:^|[\s(\[—–-])‘\S")
    assert ingest.has_quotation(line) == (plain.search(line) is not None)


@settings(max_examples=400, deadline=None)
@given(_LINE_TEXTS)
def test_line_key_strips_the_same_tails_as_the_regex(line: str) -> None:
    k = ingest._BULLET.sub("", line.lower().replace("’", "'").replace("‘", "'"))
    assert ingest._key(line) == ingest._KEY_TAIL.sub("", k).strip()


@settings(max_examples=300, deadline=None)
@given(_LINE_TEXTS)
def test_blocks_collapse_spaces_line_by_line(text: str) -> None:
    lines = [ingest._normalise_line(raw) for raw in ingest._normalise_newlines(text).split("\n")]
    want: list[list[str]] = [[]]
    for line in lines:
        if line:
            want[-1].append(line)
        elif want[-1]:
            want.append([])
    assert ingest._blocks(text) == [b for b in want if b]
