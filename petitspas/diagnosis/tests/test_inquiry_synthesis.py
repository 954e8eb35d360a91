"""The synthesis of an area, computed by hand on a small fixture: three records of the
area (an interview of a mother, a focus group of 4 parents and 2 professionals, an
observation among 3 residents), six coded passages, and one record of another area that
must not count."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from petitspas.diagnosis.models import Passage
from petitspas.diagnosis.synthesis import area_synthesis, synthesis_csv, synthesis_xlsx
from petitspas.diagnosis.tests.inquiry_fixtures import make_area, make_code, make_record


def code(record, text, *codes):
    start = record.transcript.index(text)
    passage = Passage.objects.create(
        record=record, start=start, end=start + len(text), excerpt=text
    )
    passage.codes.set(codes)
    return passage


@pytest.fixture
def fixture(alice):
    organisation = alice.organisation
    flandre = make_area(organisation)
    other = make_area(organisation, name="Quartier Porte de Vincennes (12e)", commune="75112")
    isolement = make_code(organisation, "Isolement des parents", position=1)
    solitude = make_code(organisation, "Solitude", parent=isolement, position=1)
    reseau = make_code(organisation, "Absence de réseau", parent=isolement, position=2)
    garde = make_code(organisation, "Accès aux modes de garde", position=2)
    creche = make_code(organisation, "Places en crèche", parent=garde, position=1)
    make_code(organisation, "Langue et interprétariat", position=3)
    interview = make_record(
        flandre,
        parents=1,
        transcript="Je reste seule. Je ne connais personne ici. Pas de place en crèche.",
    )
    code(interview, "Je reste seule.", solitude)  # p1
    code(interview, "Je ne connais personne ici.", solitude, reseau)  # p2
    code(interview, "Pas de place en crèche.", creche)  # p3
    focus = make_record(
        flandre,
        method="focus_group",
        title="Focus group au centre social",
        parents=4,
        professionals=2,
        held_on=datetime.date(2025, 3, 11),
        transcript="On se sent isolés. Les familles ne savent pas où faire garder.",
    )
    code(focus, "On se sent isolés.", isolement)  # p4
    code(focus, "Les familles ne savent pas où faire garder.", creche, reseau)  # p5
    observation = make_record(
        flandre,
        method="observation",
        title="Observation au square",
        residents=3,
        held_on=datetime.date(2025, 3, 12),
        transcript="- Les poussettes ne passent pas la grille du square.",
    )
    code(observation, "- Les poussettes ne passent pas la grille du square.", garde)  # p6
    elsewhere = make_record(other, parents=1, transcript="Seule aussi.")
    code(elsewhere, "Seule aussi.", solitude)
    return flandre


EXPECTED_ROWS = [
    # thème, code, passages, enregistrements, habitants, parents, professionnels, associations
    ["Isolement des parents", "(ensemble du thème)", 4, 2, 0, 4, 2, 0],
    ["Isolement des parents", "Solitude", 2, 1, 0, 2, 0, 0],
    ["Isolement des parents", "Absence de réseau", 2, 2, 0, 2, 1, 0],
    ["Accès aux modes de garde", "(ensemble du thème)", 3, 3, 1, 2, 1, 0],
    ["Accès aux modes de garde", "Places en crèche", 2, 2, 0, 2, 1, 0],
    ["Langue et interprétariat", "(ensemble du thème)", 0, 0, 0, 0, 0, 0],
]


def test_themes_by_frequency_and_profile_computed_by_hand(fixture):
    synthesis = area_synthesis(fixture)
    assert synthesis["records"] == 3
    assert synthesis["passages"] == 6
    assert synthesis["methods"] == [
        ("Entretien individuel", 1),
        ("Focus group", 1),
        ("Observation", 1),
    ]
    assert synthesis["participants"] == [
        ("Habitants", 3),
        ("Parents", 5),
        ("Professionnels", 2),
        ("Associations", 0),
    ]
    themes = synthesis["themes"]
    assert [t.code.name for t in themes] == [
        "Isolement des parents",
        "Accès aux modes de garde",
        "Langue et interprétariat",
    ]
    isolement = themes[0]
    # p2 carries two codes of the theme: the theme counts it once.
    assert isolement.passages == 4
    assert [q["passage"].excerpt for q in isolement.quoted] == [
        "Je reste seule.",
        "Je ne connais personne ici.",
        "On se sent isolés.",
        "Les familles ne savent pas où faire garder.",
    ]
    assert isolement.quoted[1]["codes"] == ["Solitude", "Absence de réseau"]


def test_csv_and_xlsx_give_the_same_figures(fixture):
    synthesis = area_synthesis(fixture)
    rows = list(csv.reader(io.StringIO(synthesis_csv(synthesis)), delimiter=";"))
    assert rows[0] == [
        "Thème",
        "Code",
        "Passages",
        "Enregistrements",
        "Habitants",
        "Parents",
        "Professionnels",
        "Associations",
    ]
    assert rows[1:] == [[str(v) for v in row] for row in EXPECTED_ROWS]
    workbook = load_workbook(io.BytesIO(synthesis_xlsx(synthesis)))
    themes = [list(r) for r in workbook["Thèmes"].iter_rows(min_row=3, values_only=True)]
    assert themes == EXPECTED_ROWS
    passages = list(workbook["Passages codés"].iter_rows(min_row=3, values_only=True))
    assert len(passages) == 7  # 4 under the first theme, 3 under the second
    # A cell a spreadsheet would read as a formula is written as text.
    assert passages[-1][5] == "'- Les poussettes ne passent pas la grille du square."


def test_synthesis_page_and_exports(client, alice, fixture):
    client.force_login(alice.professional)
    page = client.get(reverse("diagnosis:inquiry-synthesis", args=[fixture.pk]))
    body = page.content.decode()
    assert "3 enregistrements" in body and "6 passages codés" in body
    assert "Je ne connais personne ici." in body
    assert "Seule aussi." not in body
    response = client.get(reverse("diagnosis:inquiry-synthesis-csv", args=[fixture.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig").splitlines()[1] == (
        "Isolement des parents;(ensemble du thème);4;2;0;4;2;0"
    )
    response = client.get(reverse("diagnosis:inquiry-synthesis-xlsx", args=[fixture.pk]))
    assert response["Content-Disposition"].startswith(
        'attachment; filename="synthese-quartier-flandre-19e-'
    )


def test_the_area_page_links_to_its_records_and_synthesis(fixture):
    from django.template.loader import render_to_string

    html = render_to_string("diagnosis/inquiry/_area_links.html", {"area": fixture})
    index = reverse("diagnosis:inquiry-index", args=[fixture.organisation_id])
    assert f'href="{index}?quartier={fixture.pk}"' in html
    assert reverse("diagnosis:inquiry-synthesis", args=[fixture.pk]) in html
