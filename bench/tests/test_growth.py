"""How a page's cost grows from one scale to the next (``bench.results.growth``)."""

from bench.results import growth


def _m(name, value, scale):
    return {"name": name, "database": "SQLite", "scale": scale, "value": value, "unit": "ms"}


def test_growth_divides_each_page_p95_by_the_smaller_scales_and_judges_it():
    town = [_m("pages.agenda.p95", 24.0, "town"), _m("pages.today.p95", 10.0, "town")]
    departement = [
        _m("pages.agenda.p95", 60.0, "departement"),
        _m("pages.today.p95", 12.0, "departement"),
        _m("pages.agenda.throughput", 40.0, "departement"),
    ]
    found = {m["name"]: m for m in growth(town, departement)}
    assert set(found) == {"pages.agenda.p95_growth", "pages.today.p95_growth"}
    assert found["pages.agenda.p95_growth"]["value"] == 2.5
    assert found["pages.agenda.p95_growth"]["meets_target"] is False
    assert found["pages.today.p95_growth"]["value"] == 1.2
    assert found["pages.today.p95_growth"]["meets_target"] is True
    assert found["pages.today.p95_growth"]["scale"] == "departement"


def test_a_page_not_measured_at_the_smaller_scale_has_no_growth_figure():
    assert growth([], [_m("pages.dashboard.p95", 30.0, "departement")]) == []


def test_a_page_that_failed_at_one_scale_has_an_empty_growth_figure():
    found = growth(
        [_m("pages.dashboard.p95", None, "town")], [_m("pages.dashboard.p95", 30.0, "departement")]
    )
    assert found[0]["value"] is None
    assert found[0]["meets_target"] is None
    assert "both scales" in found[0]["note"]
