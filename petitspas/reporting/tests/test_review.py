"""The monthly review (kept month after month, figures beside the month before,
observations by theme), the observations chosen for a report and the stripping of
codes and first names."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from petitspas.attendance.models import Observation
from petitspas.core.models import AuditEntry
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.reporting.models import MonthlyReview, ReportObservation
from petitspas.reporting.review import REMOVED, month_review, strip_people, strip_words
from petitspas.reporting.services_review import review_save

D = datetime.date


@pytest.fixture(autouse=True)
def today(travel):
    travel(D(2025, 12, 31))


# --- Stripping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        # Case and accents: the name is found whichever way it is written.
        (
            "Léa est venue, LEA a joué, lea dormait.",
            ["Léa"],
            "{0} est venue, {0} a joué, {0} dormait.",
        ),
        ("Eva et Éva", ["Éva"], "{0} et {0}"),
        # A name inside another word is not one.
        ("Léane et Léa", ["Léa"], "Léane et {0}"),
        ("Une évaluation avec Eva.", ["Eva"], "Une évaluation avec {0}."),
        ("Annecy, Anne, Marianne", ["Anne"], "Annecy, {0}, Marianne"),
        ("Noé, noéline", ["Noé"], "{0}, noéline"),
        # Compound names go whole, before their first part.
        ("Marie-Claire et Marie", ["Marie", "Marie-Claire"], "{0} et {0}"),
        # Codes, in any case; a longer code is another one.
        (
            "La famille f-0012 revient ; F-00123 aussi.",
            ["F-0012"],
            "La famille {0} revient ; F-00123 aussi.",
        ),
        ("(F-0012)", ["F-0012"], "({0})"),
        # Apostrophes and punctuation around a name.
        ("l'enfant d'Inès, Inès’ frère", ["Inès"], "l'enfant d'{0}, {0}’ frère"),
        # One-letter or empty names are ignored.
        ("A va à la PMI", ["A", ""], "A va à la PMI"),
        ("", ["Awa"], ""),
        # Nothing to take out.
        ("Beaucoup de pères ce mois-ci.", ["Awa"], "Beaucoup de pères ce mois-ci."),
    ],
)
def test_strip_words(text, words, expected):
    assert strip_words(text, words) == expected.format(REMOVED)


def test_strip_words_keeps_text_around_decomposed_accents():
    text = "Le\u0301a est la\u0300"  # "Léa est là" with combining accents
    assert strip_words(text, ["Léa"]) == f"{REMOVED} est la\u0300"


def test_strip_people_takes_out_the_organisations_families_only(alice, bob):
    household = HouseholdFactory(organisation=alice.organisation, code="CAB-0042")
    PersonFactory(household=household, parent=True, first_name="Aïcha")
    PersonFactory(household=household, child=True, first_name="Noam")
    elsewhere = HouseholdFactory(organisation=bob.organisation, code="B-0001")
    PersonFactory(household=elsewhere, parent=True, first_name="Bernadette")
    text = "CAB-0042 : aicha et NOAM sont venus ; Noémie aussi. Bernadette n'est pas d'ici."
    assert strip_people(text, alice.programme) == (
        f"{REMOVED} : {REMOVED} et {REMOVED} sont venus ; Noémie aussi. Bernadette n'est pas d'ici."
    )


# --- The monthly review ---------------------------------------------------------------


def test_month_review_puts_the_month_beside_the_one_before(alice, built):
    Observation.objects.create(
        session=built.s1, text="Beaucoup de questions sur le sommeil.", themes=["sleep"],
        observed_on=D(2025, 3, 10),
    )  # fmt: skip
    Observation.objects.create(
        session=built.s1, text="Deux familles parlent d'écrans.", themes=["screens", "sleep"],
        observed_on=D(2025, 3, 10),
    )  # fmt: skip
    Observation.objects.create(session=built.s1, text="Sans thème.", observed_on=D(2025, 3, 10))
    Observation.objects.create(session=built.s2, text="Avril.", observed_on=D(2025, 4, 14))
    data = month_review(alice.coordinator, alice.programme, D(2025, 3, 1), today=D(2025, 12, 31))
    rows = {r["name"]: r for _title, rows in data.sections for r in rows}
    # S1 on 10 March: H1 and H2, 2 parents, 3 children; nothing in February.
    assert rows["households_reached"]["value"] == 2
    assert rows["households_reached"]["previous"] == 0
    assert rows["households_reached"]["change"] == 2
    assert rows["households_reached"]["change_pct"] is None
    assert rows["children_reached"]["value"] == 3
    assert data.observations == 3
    assert [(theme, len(items)) for theme, items in data.themes] == [
        ("Sommeil", 2),
        ("Écrans", 1),
        ("Sans thème", 1),
    ]
    # April against March: one household (H1's parent), against 2.
    april = month_review(alice.coordinator, alice.programme, D(2025, 4, 1), today=D(2025, 12, 31))
    rows = {r["name"]: r for _title, rows in april.sections for r in rows}
    assert (rows["households_reached"]["value"], rows["households_reached"]["previous"]) == (1, 2)
    assert rows["households_reached"]["change_pct"] == -50.0
    # The headcounts come first: Cabanes counts its open sessions.
    assert april.sections[0][0] == "Accueils anonymes (venues)"


def test_a_review_is_kept_month_after_month_with_who_and_when(alice, travel):
    texts = {
        "conclusions": "",
        "adjust_programme": "",
        "adjust_mobilisation": "",
        "adjust_partnerships": "",
    }
    travel(D(2026, 2, 3))
    january = review_save(
        programme=alice.programme, month=D(2026, 1, 1), by=alice.coordinator,
        today=D(2026, 2, 3), **{**texts, "conclusions": "Fréquentation en hausse à Pantin."},
    )  # fmt: skip
    travel(D(2026, 3, 2))
    february = review_save(
        programme=alice.programme, month=D(2026, 2, 14), by=alice.coordinator,
        today=D(2026, 3, 2),
        **{**texts, "conclusions": "Moins de familles : froid.", "adjust_mobilisation": "Maraude."},
    )  # fmt: skip
    assert february.month == D(2026, 2, 1)
    # The admin edits January later: the first author stays, the editor is kept.
    travel(D(2026, 3, 5))
    edited = review_save(
        programme=alice.programme, month=D(2026, 1, 1), by=alice.admin, today=D(2026, 3, 5),
        **{**texts, "conclusions": "Fréquentation en hausse à Pantin.",
           "adjust_partnerships": "Associer la PMI."},
    )  # fmt: skip
    assert edited.pk == january.pk
    assert MonthlyReview.objects.filter(programme=alice.programme).count() == 2
    edited.refresh_from_db()
    assert edited.created_by == alice.coordinator
    assert edited.updated_by == alice.admin
    assert edited.created_at.date() == D(2026, 2, 3)
    assert edited.updated_at.date() == D(2026, 3, 5)
    assert edited.adjust_partnerships == "Associer la PMI."
    actions = list(
        AuditEntry.objects.filter(action__startswith="monthly_review.")
        .order_by("pk")
        .values_list("action", "details")
    )
    assert actions[-1] == (
        "monthly_review.update",
        {"month": "2026-01", "fields": ["adjust_partnerships"]},
    )
    assert [a for a, _ in actions].count("monthly_review.create") == 2


def test_review_refuses_an_empty_review_a_future_month_and_other_roles(alice):
    empty = {
        "conclusions": "  ",
        "adjust_programme": "",
        "adjust_mobilisation": "",
        "adjust_partnerships": "",
    }
    with pytest.raises(ValidationError) as error:
        review_save(programme=alice.programme, month=D(2025, 12, 1), by=alice.coordinator,
                    today=D(2025, 12, 31), **empty)  # fmt: skip
    assert "conclusions" in error.value.error_dict
    texts = {**empty, "conclusions": "Bien."}
    with pytest.raises(ValidationError):
        review_save(programme=alice.programme, month=D(2026, 1, 1), by=alice.coordinator,
                    today=D(2025, 12, 31), **texts)  # fmt: skip
    with pytest.raises(PermissionDenied):
        review_save(programme=alice.programme, month=D(2025, 12, 1), by=alice.professional,
                    today=D(2025, 12, 31), **texts)  # fmt: skip
    assert not MonthlyReview.objects.exists()


def url(programme, year=2025, month=3):
    return f"/indicateurs/{programme.pk}/revues/{year}/{month}/"


def test_review_page_saves_and_keeps_what_was_typed_on_error(client, alice, built):
    client.force_login(alice.coordinator)
    page = client.get(url(alice.programme))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Revue de mars 2025" in text and 'data-indicateur="households_reached"' in text
    # Only spaces: refused, the other fields kept.
    refused = client.post(url(alice.programme), {"conclusions": "   ", "adjust_programme": ""})
    assert refused.status_code == 400
    assert "Écrivez au moins les conclusions" in refused.content.decode()
    saved = client.post(
        url(alice.programme),
        {"conclusions": "Deux familles nouvelles.", "adjust_mobilisation": "Relancer Pantin."},
    )
    assert saved.status_code == 302
    again = client.get(url(alice.programme)).content.decode()
    assert "Relancer Pantin." in again and "Écrite par" in again
    listing = client.get(f"/indicateurs/{alice.programme.pk}/revues/").content.decode()
    assert "Deux familles nouvelles." in listing


@pytest.mark.parametrize("bad", ["2025/13", "2025/0", "1999/12", "2101/1"])
def test_review_page_of_an_impossible_month_is_404(client, alice, bad):
    client.force_login(alice.coordinator)
    assert client.get(f"/indicateurs/{alice.programme.pk}/revues/{bad}/").status_code == 404


def test_review_pages_are_for_admins_and_coordinators(client, alice, funder):
    for user in (alice.professional, funder):
        client.force_login(user)
        assert client.get(url(alice.programme)).status_code == 403
        assert (
            client.get(f"/indicateurs/{alice.programme.pk}/rapport/2025/observations/").status_code
            == 403
        )


# --- Observations chosen for the report ----------------------------------------------


def test_chosen_observation_is_kept_stripped(client, alice, bob, built):
    built.h1.code = "CAB-0001"
    built.h1.save()
    built.a1.first_name = "Aminata"
    built.a1.save()
    note = Observation.objects.create(
        session=built.s1, observed_on=D(2025, 3, 10), themes=["father"],
        text="CAB-0001 : Aminata est venue avec le père, une première.",
    )  # fmt: skip
    client.force_login(alice.coordinator)
    page = f"/indicateurs/{alice.programme.pk}/rapport/2025/observations/"
    assert client.post(page, {"retenir": str(note.pk)}).status_code == 302
    chosen = ReportObservation.objects.get()
    assert chosen.text == f"{REMOVED} : {REMOVED} est venue avec le père, une première."
    assert chosen.selected_by == alice.coordinator
    assert AuditEntry.objects.filter(action="report_observation.select").count() == 1
    # Choosing it twice keeps one.
    client.post(page, {"retenir": str(note.pk)})
    assert ReportObservation.objects.count() == 1
    shown = client.get(page).content.decode()
    assert "Texte cité : [&#x2026;] : [&#x2026;] est venue" in shown or "Texte cité : […]" in shown
    # Ids that are not observations of this programme and year: 404.
    other = Observation.objects.create(session=built.s3, observed_on=D(2025, 10, 7), text="x")
    client.force_login(bob.coordinator)
    assert (
        client.post(
            f"/indicateurs/{bob.programme.pk}/rapport/2025/observations/",
            {"retenir": str(other.pk)},
        ).status_code
        == 404
    )
    client.force_login(alice.coordinator)
    for bad in ("abc", "", "99999999999999999999999", "-1"):
        assert client.post(page, {"retenir": bad}).status_code == 404
    assert (
        client.post(
            f"/indicateurs/{alice.programme.pk}/rapport/2024/observations/",
            {"retenir": str(note.pk)},
        ).status_code
        == 404
    )
    assert client.post(page, {"retirer": str(chosen.pk)}).status_code == 302
    assert not ReportObservation.objects.exists()
    assert AuditEntry.objects.filter(action="report_observation.unselect").count() == 1
