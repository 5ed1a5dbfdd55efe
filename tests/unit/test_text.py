from exodus.text import paragraphs, sentence_at, sentences, words


def _sents(text):
    return [text[s:e] for s, e in sentences(text)]


def test_sentences_split_on_terminal_punctuation():
    t = "Men fled to Georgia. Queues grew! Did anyone count? Nobody knows."
    assert _sents(t) == ["Men fled to Georgia.", "Queues grew!", "Did anyone count?", "Nobody knows."]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    t = "He flew from St. Petersburg to Yerevan. Jan M. Olsen reported from the U.N. headquarters."
    assert _sents(t) == ["He flew from St. Petersburg to Yerevan.",
                         "Jan M. Olsen reported from the U.N. headquarters."]


def test_closing_quote_stays_with_its_sentence():
    t = "“I will not go,” he said. “Never.” She agreed."
    assert _sents(t) == ["“I will not go,” he said.", "“Never.”", "She agreed."]


def test_paragraph_break_always_ends_a_sentence():
    t = "A headline without a stop\n\nThe body starts here."
    assert _sents(t) == ["A headline without a stop", "The body starts here."]


def test_offsets_point_into_the_text():
    t = "  First one.  Second one.\n\n  Third "
    for s, e in sentences(t) + paragraphs(t):
        assert t[s:e] == t[s:e].strip() and t[s:e]


def test_sentence_at_finds_the_containing_sentence():
    t = "One two. Three four. Five six."
    spans = sentences(t)
    assert t[slice(*sentence_at(spans, t.index("Three")))] == "Three four."
    assert sentence_at(spans, len(t) + 5) is None


def test_words_lowercases_and_keeps_inner_apostrophes():
    assert words("Russia’s men DON'T re-enlist") == ["russia's", "men", "don't", "re-enlist"]


def test_memoised_splits_hand_out_fresh_lists():
    t = "One two. Three four.\n\nFive six."
    first = sentences(t)
    first.append((0, 1))  # a caller may change its copy
    assert sentences(t) == [(0, 8), (9, 20), (22, 31)]
    assert sentences("".join(["One two. Three four.\n\n", "Five six."])) == [(0, 8), (9, 20), (22, 31)]
    paras = paragraphs(t)
    paras.clear()
    assert paragraphs(t) == [(0, 20), (22, 31)]


def test_abbreviation_check_reads_only_the_word_before_the_stop():
    # "Mr." after a long run of letters and dots, a stop after a digit, an initial after a quote
    t = "We met Dr. Ivanova.in.town and Mr. Petrov. It was 5. Then “J. Smith” spoke. Co. Ltd. agreed."
    assert [t[s:e] for s, e in sentences(t)] == [
        "We met Dr. Ivanova.in.town and Mr. Petrov.", "It was 5.", "Then “J. Smith” spoke.", "Co. Ltd. agreed."]
