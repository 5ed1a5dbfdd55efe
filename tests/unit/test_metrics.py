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
