from exodus.metrics import CATALOGUE, metric_for, metric_labels


def test_desertion_cases():
    s = "Prosecutors opened 1,500 criminal cases against soldiers accused of desertion this spring."
    assert metric_for("cases", "criminal cases", s) == "desertion_cases"


def test_queue_length_at_border():
    s = "Lines of cars stretched for 15 kilometres at the crossing into Mongolia."
    assert metric_for("km", "queue of cars", s) == "border_queue_km"


def test_border_length_is_not_a_queue():
    s = "Norway shares a 198-kilometre border with Russia in the Arctic."
    assert metric_for("km", "border", s) == "border_length_km"


def test_reservists_called_up():
    s = "The defence minister said 200,000 reservists would be called up in the first wave."
    assert metric_for("people", "reservists", s) == "mobilisation_callup"


def test_unmatched_figure_has_no_metric():
    assert metric_for("people", "visitors", "The museum welcomed 40,000 visitors last year.") is None


def test_unit_must_fit():
    s = "Lines of cars stretched at the crossing, with 300 cars waiting."
    assert metric_for("percent", "cars", s) != "border_queue_km"


def test_catalogue_ids_are_unique_and_labelled():
    ids = [m.metric_id for m in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert all(metric_labels()[i] for i in ids)


def test_what_is_counted_decides_over_the_sentence_topic():
    s = ("A prosecutor said 800 conscripts had been sent to the front, and that about a dozen "
         "officers were reprimanded.")
    assert metric_for("soldiers", "conscripts had been sent to the front", s) == "conscripts_in_combat"
    assert metric_for("people", "officers were reprimanded", s) is None


def test_share_of_requests_about_desertion_is_not_a_change():
    s = "A quarter of the appeals for help the charity received in May, 25 percent, came from deserters."
    assert metric_for("percent", "appeals for help the charity received", s) == "desertion_requests_share"
    assert metric_for("fold", "increase in desertion cases", "Desertion cases rose three-fold.") == "desertion_change"


def test_advice_group_members_are_legal_aid_not_combat():
    s = "Membership of a chat group advising on how to avoid conscription during the war has grown to 5,000."
    assert metric_for("people", "members of a chat group advising on how to avoid", s) == "legal_aid_requests"


def test_flights_and_prices_are_not_queues_or_pay():
    assert metric_for("km", "flight", "The airline's 3,000 km flight to Novosibirsk was cancelled.") is None
    assert metric_for("roubles", "tickets", "Flights to Yerevan cost 200,000 roubles this month.") is None


def test_border_length_beside_a_queue_stays_a_border_length():
    s = "The two countries share a 7,500 km border, and queues formed at the crossing."
    assert metric_for("km", "border", s) == "border_length_km"


def test_entries_without_the_word_border():
    s = "Some 98,000 Russians have entered Kazakhstan since the announcement, officials said."
    assert metric_for("people", "Russians have entered Kazakhstan", s) == "border_entries"
