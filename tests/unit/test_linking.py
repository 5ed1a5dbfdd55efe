from exodus.linking import group_quote_variants, link_rewrites

WIRE = ("Hundreds of Russian men crossed into Kazakhstan on Saturday, border officials said, as long queues "
        "of cars formed at the Mashtakovo checkpoint. Officials in Astana said the number of arrivals had "
        "doubled since the mobilisation order, and hotels in Almaty reported full bookings for the week.")
REWRITE = ("Border officials said that hundreds of Russian men crossed into Kazakhstan on Saturday, with long "
           "queues of cars at the Mashtakovo checkpoint. According to officials in Astana, arrivals have "
           "doubled since the mobilisation order; hotels in Almaty reported full bookings this week.")
OTHER = ("Finland will stop issuing tourist visas to Russian citizens, the foreign ministry in Helsinki said, "
         "citing security concerns after a rise in traffic at the eastern border with Russia.")


def test_rewritten_copy_is_linked_to_the_earliest_article():
    links = link_rewrites({"a": WIRE, "b": REWRITE, "c": OTHER},
                          {"a": ("2022-09-24",), "b": ("2022-09-25",), "c": ("2022-09-24",)})
    assert links["b"].rewrite_of == "a" and links["b"].story_id == "a"
    assert links["b"].similarity is not None and links["b"].similarity >= 0.15
    assert links["a"].rewrite_of is None
    assert links["c"].rewrite_of is None and links["c"].story_id == "c"


def test_original_is_the_earliest_published_whatever_the_ids():
    links = link_rewrites({"a": REWRITE, "b": WIRE}, {"a": ("2022-09-25",), "b": ("2022-09-24",)})
    assert links["a"].rewrite_of == "b"


def test_quote_variants_across_articles_are_grouped():
    quotes = {
        "q1": ("a", "I love my country and miss it very much."),
        "q2": ("b", "I love my country, and miss it very deeply."),
        "q3": ("b", "We will not fight in this war, whatever happens."),
        "q4": ("c", "Prices in the capital have doubled since the spring."),
    }
    groups = group_quote_variants(quotes)
    assert groups["q1"] == groups["q2"] == "q1"
    assert "q3" not in groups and "q4" not in groups


def test_repetition_inside_one_article_is_not_a_variant():
    quotes = {"q1": ("a", "We will not fight in this war at all."),
              "q2": ("a", "We will not fight in this war at all!")}
    assert group_quote_variants(quotes) == {}


def test_linking_is_deterministic():
    texts = {"x": WIRE, "y": REWRITE, "z": OTHER}
    assert link_rewrites(texts) == link_rewrites(dict(reversed(list(texts.items()))))


# ------------------------------------------------------------ the compact (signature) form the build uses

import random
from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exodus.linking import (
    MAX_SHINGLE_DF,
    StoryLink,
    content_bigrams,
    link_rewrite_signatures,
    quote_signature,
    rewrite_signature,
    shared_shingle_counts,
)


def _brute_force_pairs(docs: list[set[int]], max_df: int) -> dict[tuple[int, int], int]:
    """The postings-dict definition: pairs of documents and how many capped shingles they share."""
    postings: dict[int, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        for sh in doc:
            postings[sh].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for owners in postings.values():
        if 2 <= len(owners) <= max_df:
            for x, a in enumerate(owners):
                for b in owners[x + 1:]:
                    shared[(a, b)] += 1
    return dict(shared)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.integers(0, 40), max_size=15), max_size=12), st.integers(2, 6))
def test_shared_counts_match_the_postings_definition(docs, max_df):
    sigs = [np.array(sorted(d), dtype=np.uint64) for d in docs]
    sizes = np.array([len(s) for s in sigs], dtype=np.int64)
    hashes = np.concatenate(sigs) if sigs else np.empty(0, dtype=np.uint64)
    a, b, n = shared_shingle_counts(hashes, sizes, max_df)
    assert dict(zip(zip(a.tolist(), b.tolist()), n.tolist())) == _brute_force_pairs(docs, max_df)


def test_shingles_held_by_too_many_documents_are_not_evidence():
    docs = [{1, 100 + i} for i in range(MAX_SHINGLE_DF + 1)]  # shingle 1 is in every document
    sigs = [np.array(sorted(d), dtype=np.uint64) for d in docs]
    a, _, _ = shared_shingle_counts(np.concatenate(sigs), np.array([2] * len(sigs)))
    assert len(a) == 0
    a, _, n = shared_shingle_counts(np.concatenate(sigs[:3]), np.array([2, 2, 2]))
    assert a.tolist() == [0, 0, 1] and n.tolist() == [1, 1, 1]


def test_signatures_are_one_hash_per_distinct_shingle():
    assert len(rewrite_signature(WIRE)) == len(content_bigrams(WIRE))
    assert rewrite_signature(WIRE).tolist() == rewrite_signature(WIRE).tolist()  # no per-process seed
    assert len(quote_signature("Too short here")) == 0
    assert len(quote_signature("we will not fight we will not fight")) == 4  # repeated trigrams count once


def test_signature_linking_reports_only_stories_told_twice():
    ids = ["a", "b", "c"]
    links = link_rewrite_signatures(ids, [rewrite_signature(t) for t in (WIRE, REWRITE, OTHER)],
                                    {"a": ("2022-09-25",), "b": ("2022-09-24",)})
    assert set(links) == {"a", "b"}
    assert links["b"] == StoryLink("b", None, None) and links["a"].rewrite_of == "b"
    assert links["a"].similarity == link_rewrites({"a": WIRE, "b": REWRITE})["b"].similarity


def test_rewrite_linking_is_independent_of_article_order():
    rng = random.Random(5)
    words = WIRE.split()
    # Copies that each drop a few words, keeping the order (so most bigrams survive).
    texts = {f"d{i}": " ".join(words[j] for j in sorted(rng.sample(range(len(words)), len(words) - 5)))
             for i in range(8)}
    texts["other"] = OTHER
    links = link_rewrites(texts)
    assert links == link_rewrites(dict(sorted(texts.items(), reverse=True)))
    assert {s.story_id for s in links.values()} == {"d0", "other"}


def test_counting_in_small_batches_gives_the_same_pairs(monkeypatch):
    import exodus.linking as linking

    rng = np.random.default_rng(1)
    sigs = [np.unique(rng.integers(0, 3000, 200).astype(np.uint64)) for _ in range(300)]
    hashes, sizes = np.concatenate(sigs), np.array([len(s) for s in sigs])
    whole = shared_shingle_counts(hashes, sizes)
    monkeypatch.setattr(linking, "_PAIR_BATCH", 1000)
    batched = shared_shingle_counts(hashes, sizes)
    assert len(whole[0]) > 10_000
    assert all((x == y).all() for x, y in zip(whole, batched))


# ------------------------------------------------------------ the streamed, partitioned form (ShingleSpill)

from exodus.linking import ShingleSpill, group_variant_signatures

# Partitions, write buffer and sort groups far smaller than the build's, so every code path
# (many chunks per partition, many partition groups, empty partitions) runs on small data.
TINY = {"part_bits": 3, "buffer_records": 97, "group_records": 500}


def _spill_counts(sigs: list[np.ndarray], **kw):
    with ShingleSpill(**kw) as spill:
        for s in sigs:
            spill.add(s)
        return spill.counts(), spill.sizes


def test_partitioned_counts_equal_the_in_memory_counts():
    rng = np.random.default_rng(7)
    pool = rng.integers(0, 2**64, 400, dtype=np.uint64)  # shingles many documents share
    sigs = [np.unique(np.concatenate((rng.choice(pool, int(rng.integers(0, 60))),
                                      rng.integers(0, 2**64, int(rng.integers(0, 80)), dtype=np.uint64))))
            for _ in range(400)]
    sigs[5] = np.empty(0, dtype=np.uint64)  # a document with no shingles keeps its index
    hashes, sizes = np.concatenate(sigs), np.array([len(s) for s in sigs], dtype=np.int64)
    whole = shared_shingle_counts(hashes, sizes)
    assert len(whole[0]) > 20_000 and whole[2].max() > 1
    for kw in (TINY, {"part_bits": 0, "buffer_records": 1, "group_records": 1}, {}):
        counts, spill_sizes = _spill_counts(sigs, **kw)
        assert spill_sizes.tolist() == sizes.tolist()
        assert all(x.dtype == y.dtype and x.tolist() == y.tolist() for x, y in zip(whole, counts)), kw


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.integers(0, 40), max_size=15), max_size=12), st.integers(2, 6))
def test_partitioned_counts_match_the_postings_definition(docs, max_df):
    sigs = [np.array(sorted(d), dtype=np.uint64) for d in docs]
    (a, b, n), _ = _spill_counts(sigs, max_df=max_df, part_bits=2, buffer_records=3, group_records=4)
    assert dict(zip(zip(a.tolist(), b.tolist()), n.tolist())) == _brute_force_pairs(docs, max_df)


def test_linking_from_a_spill_equals_linking_from_arrays(tmp_path):
    rng = random.Random(3)
    words = (WIRE + " " + OTHER).split()
    texts = [" ".join(rng.sample(words, 40)) for _ in range(30)] + [WIRE, REWRITE, OTHER]
    ids = [f"a{i:02d}" for i in range(len(texts))]
    sigs = [rewrite_signature(t) for t in texts]
    with ShingleSpill(tmp_path, **TINY) as spill:
        for s in sigs:
            spill.add(s)
        from_spill = link_rewrite_signatures(ids, spill, {})
    assert from_spill == link_rewrite_signatures(ids, sigs, {})
    assert from_spill["a31"].rewrite_of == "a30"


def test_quote_variants_from_a_spill_with_several_quotes_per_article(tmp_path):
    texts = ["I love my country and miss it very much.", "We will not fight in this war, whatever happens.",
             "I love my country, and miss it very deeply.", "Prices in the capital have doubled since spring."]
    with ShingleSpill(tmp_path, **TINY) as spill:
        spill.extend(np.concatenate([quote_signature(t) for t in texts[:2]]),
                     [len(quote_signature(t)) for t in texts[:2]])
        spill.extend(np.concatenate([quote_signature(t) for t in texts[2:]]),
                     [len(quote_signature(t)) for t in texts[2:]])
        groups = group_variant_signatures(spill, np.array([0, 0, 1, 1]),
                                          lambda idx: {i: (f"q{i}", texts[i]) for i in idx})
    assert groups == {"q0": "q0", "q2": "q0"}


def test_a_spill_leaves_no_file_behind(tmp_path):
    spill = ShingleSpill(tmp_path, buffer_records=10)
    spill.add(np.arange(100, dtype=np.uint64))  # written to disk (past the buffer)
    assert list(tmp_path.iterdir()) == []  # anonymous: nothing a kill could leave behind
    assert spill.counts()[0].tolist() == []
    spill.close()
    assert list(tmp_path.iterdir()) == []
