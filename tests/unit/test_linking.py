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
