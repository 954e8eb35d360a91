"""The agenda in the family's language: French by default, English and Arabic (right to
left) chosen from the page, activity kinds and publics included."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from petitspas.activities.models import ActivityType, Public
from petitspas.agenda.labels import AGE_CHOICES, kind_label, public_label
from petitspas.agenda.tests.conftest import in_days

INDEX = reverse("agenda:index")
LOCALE = Path(settings.LOCALE_PATHS[0])


def html_tag(body: str) -> str:
    return re.search(r"<html[^>]*>", body).group(0)


def in_language(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def test_french_by_default_left_to_right(client, make_session):
    make_session()

    body = client.get(INDEX).content.decode()

    assert html_tag(body) == '<html lang="fr" data-fr-scheme="system">'
    assert "Agenda des familles" in body


def test_english_page(client, make_session):
    session = make_session()

    body = in_language(client, "en").get(INDEX).content.decode()

    assert html_tag(body) == '<html lang="en" data-fr-scheme="system">'
    for text in (
        "Free, no registration needed",
        "Free play and listening time",
        "Children aged 0 to 3 and their parents",
        "All towns",
        "For whom?",
        "1 session",
    ):
        assert text in body, text
    with translation.override("en"):
        assert date_format(session.date, "l j F") in body
    assert "Gratuit, sans inscription" not in body


def test_arabic_page_reads_right_to_left(client, make_session):
    session = make_session()

    body = in_language(client, "ar").get(INDEX).content.decode()

    assert html_tag(body) == '<html lang="ar" data-fr-scheme="system" dir="rtl">'
    for text in ("برنامج أنشطة العائلات", "مجاني، بدون تسجيل", "وقت للّعب الحرّ والإصغاء"):
        assert text in body, text
    with translation.override("ar"):
        assert date_format(session.date, "l j F") in body
    # The map keeps its tiles left to right whatever the page's direction.
    assert 'id="agenda-map" class="pp-map" dir="ltr"' in body


def test_session_page_in_english_and_arabic(client, make_session, programme):
    session = make_session(days=2)
    url = reverse("agenda:session", kwargs={"session_pk": session.pk})

    english = in_language(client, "en").get(url).content.decode()
    assert "Add to my calendar" in english
    assert "How to get there" in english
    assert "from 14:00 to 16:00" in english

    arabic = in_language(client, "ar").get(url).content.decode()
    assert 'dir="rtl"' in html_tag(arabic)
    assert "أضف إلى تقويمي" in arabic
    assert "كيفية الوصول" in arabic


def test_places_left_plural_in_arabic(client, make_session, programme):
    from petitspas.activities.tests.factories import ActivityTypeFactory

    workshop = ActivityTypeFactory(programme=programme, on_registration=True)
    make_session(activity_type=workshop, capacity=2)
    make_session(activity_type=workshop, capacity=5)

    body = in_language(client, "ar").get(INDEX).content.decode()

    assert "بقي مكانان" in body
    assert "بقيت 5 أماكن" in body
    assert "جلستان" in body


def test_the_language_is_chosen_from_the_page(client, make_session, lunel):
    make_session(site=lunel)
    page = client.get(INDEX, {"commune": "Lunel"}).content.decode()
    form = re.search(r'<form class="pp-languages.*?</form>', page, re.S).group(0)
    assert f'action="{reverse("set_language")}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="next" value="/agenda/?commune=Lunel"' in form
    assert 'name="language" value="ar" lang="ar"' in form

    response = client.post(
        reverse("set_language"), {"language": "ar", "next": "/agenda/?commune=Lunel"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/agenda/?commune=Lunel"

    body = client.get(response["Location"]).content.decode()
    assert 'lang="ar"' in html_tag(body)
    assert 'dir="rtl"' in html_tag(body)
    assert "Accueil de loisirs du parc" in body


def test_the_browser_language_is_honoured(client, make_session):
    make_session()

    body = client.get(INDEX, headers={"Accept-Language": "en-GB,en;q=0.8"}).content.decode()

    assert html_tag(body).startswith('<html lang="en"')


def test_htmx_list_in_arabic(client, make_session):
    make_session()

    response = in_language(client, "ar").get(INDEX, {"age": "0-3"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "مجاني، بدون تسجيل" in body
    assert 'hx-swap-oob="innerHTML"' in body  # the count above the list follows


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_kind_public_and_age_choice_is_translated(language):
    with translation.override(language):
        labels = (
            [(kind_label(k), ActivityType.Kind(k).label) for k in ActivityType.Kind]
            + [(public_label(p), Public(p).label) for p in Public if p != Public.PARENTS]
            + [(label, "") for label, _publics in AGE_CHOICES.values()]
        )
        for translated, french in labels:
            assert str(translated) and str(translated) != french, french


# --- The catalogues ------------------------------------------------------------------------


def _po_entries(path: Path) -> dict:
    """{(context, msgid): [msgstr, ...]} of a catalogue, header excluded."""
    entries, current, key = {}, {}, None
    for line in [*path.read_text().splitlines(), ""]:
        if not line.strip():
            if current.get("msgid"):
                forms = [current[k] for k in sorted(current) if k.startswith("msgstr")]
                entries[(current.get("msgctxt"), current["msgid"])] = forms
            current, key = {}, None
        elif line.startswith("#"):
            assert "fuzzy" not in line or not current, f"{path}: fuzzy entry"
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, value = line.split(" ", 1)
            current[key] = ast.literal_eval(value)
    return entries


@pytest.mark.parametrize("language", ["en", "ar"])
def test_catalogue_is_complete_and_compiled(language):
    """Every message has a translation and the committed .mo says the same as the .po (the
    .mo is committed so that no build step is needed)."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    with (po.with_suffix(".mo")).open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    entries = _po_entries(po)
    assert len(entries) > 50
    for (context, msgid), forms in entries.items():
        assert all(forms), (context, msgid)
        if len(forms) == 1:
            found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert found == forms[0], msgid
        else:
            assert compiled.ngettext(msgid, msgid, 1) in forms, msgid


def test_arabic_has_its_six_plural_forms():
    with translation.override("ar"):
        forms = {
            n: translation.ngettext("%(counter)s séance", "%(counter)s séances", n)
            for n in (0, 1, 2, 5, 11, 100)
        }
    assert forms == {
        0: "لا توجد أي جلسة",
        1: "جلسة واحدة",
        2: "جلستان",
        5: "%(counter)s جلسات",
        11: "%(counter)s جلسة",
        100: "%(counter)s جلسة",
    }


def test_dates_in_french_by_default(client, make_session):
    session = make_session(days=3)

    body = client.get(reverse("agenda:session", kwargs={"session_pk": session.pk})).content.decode()

    with translation.override("fr"):
        assert date_format(in_days(3), "l j F Y").capitalize() in body


# --- The page's header and footer --------------------------------------------------------

CHROME = {
    "fr": [
        "Soutien à la parentalité et petite enfance",
        ">Se connecter</a>",
        'href="#contenu">Contenu</a>',
        'href="#pied-de-page">Pied de page</a>',
        "Petits Pas est un logiciel libre",
        "Accessibilité : partiellement conforme",
    ],
    "en": [
        "Parenting support and early childhood",
        ">Sign in</a>",
        'href="#contenu">Content</a>',
        'href="#pied-de-page">Footer</a>',
        "Petits Pas is free software",
        "Accessibility: partially compliant",
    ],
    "ar": [
        "دعم الوالدين والطفولة المبكرة",
        ">تسجيل الدخول</a>",
        'href="#contenu">المحتوى</a>',
        'href="#pied-de-page">تذييل الصفحة</a>',
        "برنامج حرّ لتنظيم وتنسيق وتقييم",
        "إمكانية الوصول: مطابقة جزئيًا",
    ],
}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_header_and_footer_follow_the_page_language(client, make_session, language):
    make_session()

    body = in_language(client, language).get(INDEX).content.decode()

    for text in CHROME[language]:
        assert text in body, text
    for french in CHROME["fr"]:
        assert french not in body, french
    # The Republic's block is a logo: it stays as it is, in French.
    assert "République<br>Française" in body


def test_header_and_footer_in_french_by_default(client, make_session):
    make_session()

    body = client.get(INDEX).content.decode()

    for text in CHROME["fr"]:
        assert text in body, text
