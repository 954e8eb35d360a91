"""The coordinator codes a passage of an interview by selecting it in the transcript,
reads the area's synthesis, adds a lesson to the methodological booklet, publishes an
edition and prints it (desktop)."""

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from petitspas.accounts.tests.browser import sign_in
from petitspas.diagnosis.models import BookletEdition, Passage
from petitspas.diagnosis.tests.inquiry_fixtures import make_area, make_code, make_record
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[3] / "var" / "screenshots")
)
TRANSCRIPT = (
    "Nous sommes arrivés il y a un an, après l'hôtel.\n"
    "Ma famille est restée à Bamako, ici je ne connais que la voisine.\n"
    "Pour la crèche, on m'a dit qu'il n'y avait pas de place avant la rentrée."
)
PASSAGE = "ici je ne connais que la voisine."


@pytest.fixture
def inquiry(db):
    paris = OrganisationFactory(name="Ville de Paris – DASES")
    coordinator = MembershipFactory(organisation=paris, role=Role.COORDINATOR).user
    area = make_area(paris)
    isolement = make_code(paris, "Isolement des parents", position=1)
    make_code(paris, "Solitude au quotidien", parent=isolement)
    garde = make_code(paris, "Accès aux modes de garde", position=2)
    make_code(paris, "Manque de places", parent=garde)
    record = make_record(area, transcript=TRANSCRIPT, title="Entretien avec une mère")
    return paris, coordinator, record


def select_text(page, text: str) -> None:
    """Select ``text`` in the transcript as a mouse would, then release the button."""
    page.evaluate(
        """(text) => {
          const box = document.getElementById("transcript");
          const node = box.firstChild;
          const start = node.textContent.indexOf(text);
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + text.length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        text,
    )


def test_coordinator_codes_a_passage_and_prints_the_booklet(page, live_server, inquiry):
    paris, coordinator, record = inquiry
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/diagnostic/enquete/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enquête qualitative")
    page.get_by_role("link", name="Entretien avec une mère").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Entretien avec une mère")

    select_text(page, PASSAGE)
    expect(page.locator("#selection-etat")).to_have_text(
        f"Passage sélectionné : {len(PASSAGE)} caractères. Choisissez ses thèmes ou codes."
    )
    expect(page.get_by_label("Passage à coder")).to_have_value(PASSAGE)
    page.get_by_label("Isolement des parents › Solitude au quotidien").check()
    page.screenshot(path=SCREENSHOTS / "inquiry-coding.png", full_page=True)
    page.get_by_role("button", name="Coder ce passage").click()
    expect(page.get_by_text("Le passage est codé.")).to_be_visible()
    passage = Passage.objects.get()
    assert TRANSCRIPT[passage.start : passage.end] == PASSAGE
    expect(page.locator("mark.coded")).to_have_text(PASSAGE)
    page.screenshot(path=SCREENSHOTS / "inquiry-coded.png", full_page=True)

    # A passage typed by hand that is not in the interview is refused; the text stays.
    page.get_by_label("Passage à coder").fill("Le parc est fermé le soir.")
    page.get_by_label("Accès aux modes de garde", exact=True).check()
    page.get_by_role("button", name="Coder ce passage").click()
    expect(page.get_by_role("alert")).to_contain_text("Le passage n'est pas codé")
    expect(page.get_by_text("Ce passage ne se trouve pas dans la transcription")).to_be_visible()
    expect(page.get_by_label("Passage à coder")).to_have_value("Le parc est fermé le soir.")

    page.goto(f"{live_server.url}/diagnostic/enquete/quartiers/{record.area_id}/synthese/")
    table = page.get_by_role("table", name="Thèmes par fréquence et par profil des participants")
    expect(table.get_by_role("row").nth(1)).to_contain_text("Isolement des parents")
    page.screenshot(path=SCREENSHOTS / "inquiry-synthesis.png", full_page=True)

    page.goto(f"{live_server.url}/diagnostic/enquete/{paris.pk}/livret/")
    page.get_by_role("link", name="Ajouter une section").click()
    page.get_by_label("Partie", exact=True).select_option(label="Les enseignements")
    page.get_by_label("Titre", exact=True).fill("L'école, point d'ancrage du quartier")
    page.get_by_label("Texte").fill("Le café des parents a ouvert l'école aux familles.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La section est ajoutée au livret.")).to_be_visible()
    page.get_by_label("Ce qui a changé dans cette édition").fill("Première édition.")
    page.get_by_role("button", name="Publier l'édition n° 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Livret méthodologique, édition n° 1")
    page.screenshot(path=SCREENSHOTS / "inquiry-booklet-edition.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename == "livret-methodologique-ville-de-paris-dases-edition-1.pdf"
    path = SCREENSHOTS / "inquiry-booklet-1.pdf"
    download.save_as(path)
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(path.read_bytes())).pages
    )
    assert "Édition n° 1 du" in text
    assert "L'école, point d'ancrage du quartier" in text
    assert "Isolement des parents" in text and "Accès aux modes de garde" in text
    assert BookletEdition.objects.filter(organisation=paris).count() == 1
