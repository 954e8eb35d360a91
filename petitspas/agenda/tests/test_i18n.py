"""The agenda in the family's language: French by default, English and Arabic (right to
left) chosen from the page, activity kinds and publics included."""

import ast
import contextlib
import gettext
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from petitspas.activities.models import ActivityType, Public
from petitspas.agenda.labels import AGE_CHOICES, kind_label, public_label
from petitspas.agenda.tests.conftest import in_days, working_day

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


# Apps whose pages only the staff see, in French: their messages are marked (Django's
# validation errors) but need no English or Arabic.
STAFF_ONLY_APPS = {"families", "privacy"}


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> set:
    """{(context, msgid)} of every message the code and templates mark for translation, as
    ``makemessages`` extracts them, run on a copy so that the committed catalogues stay as
    they are; the staff-only apps are left out."""
    package = Path(settings.BASE_DIR) / "petitspas"
    copy = tmp_path_factory.mktemp("source") / "petitspas"
    skipped = shutil.ignore_patterns("tests", "migrations", "static", "__pycache__", "*.po", "*.mo")

    def ignore(directory, names):
        staff_only = STAFF_ONLY_APPS if Path(directory) == package else set()
        return set(skipped(directory, names)) | (staff_only & set(names))

    shutil.copytree(package, copy, ignore=ignore)
    with contextlib.chdir(copy.parent), override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    return set(_po_entries(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_catalogue_is_complete_and_compiled(language, source_messages):
    """Every message the pages mark for translation is in the catalogue, every entry has a
    translation, and the committed .mo says the same as the .po (the .mo is committed so
    that no build step is needed)."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    with (po.with_suffix(".mo")).open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    entries = _po_entries(po)
    assert sorted(source_messages - set(entries), key=str) == [], "missing from the catalogue"
    assert sorted(set(entries) - source_messages, key=str) == [], "no longer in the source"
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


# --- Nothing left in French on a page in another language ---------------------------------


class _Texts(HTMLParser):
    """The texts a visitor reads or hears: text nodes and the attributes read out."""

    SPOKEN = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.texts, self._skip = set(), 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._skip += 1
        self.texts |= {" ".join(v.split()) for k, v in attrs if k in self.SPOKEN and v}

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.add(" ".join(data.split()))


# What reads the same in every language: the brand, the Republic's logo, the languages'
# own names.
SAME_IN_EVERY_LANGUAGE = [
    "Petits Pas",
    "République",
    "Française",
    "Français",
    "English",
    "العربيّة",
    "Language",
    "اللغة",
    "API",
]


def _french_left(french: str, other: str, data: list[str]) -> set[str]:
    """The texts of ``other`` that read exactly as in ``french`` once the data typed by the
    organisation (names, addresses, contact, reasons) is taken out."""

    def texts(body):
        parser = _Texts()
        parser.feed(body)
        return parser.texts

    left = set()
    for text in texts(french) & texts(other):
        rest = text
        for value in sorted([*data, *SAME_IN_EVERY_LANGUAGE], key=len, reverse=True):
            rest = rest.replace(value, "")
        if re.search(r"[^\W\d_]{2,}", rest):
            left.add(text)
    return left


def _organisation_data(session) -> list[str]:
    organisation = session.activity_type.programme.organisation
    site = session.site
    return [
        value
        for value in (
            session.activity_type.name,
            session.activity_type.description,
            session.activity_type.programme.name,
            organisation.name,
            organisation.contact_phone,
            organisation.contact_email,
            site.name,
            site.address,
            site.town,
            site.access_notes,
            session.cancel_reason,
            session.notes,
        )
        if value
    ]


def _public_session(make_session, programme, kind):
    from petitspas.activities.tests.factories import ActivityTypeFactory

    organisation = programme.organisation
    organisation.contact_phone = "01 49 15 40 00"
    organisation.contact_email = "cabanes@ville-pantin.fr"
    organisation.save()
    if kind == "open":
        return make_session(days=working_day(2))
    if kind == "cancelled":
        return make_session(days=working_day(2), cancelled=True)
    workshop = ActivityTypeFactory(
        programme=programme, name="Atelier massage bébé", on_registration=True
    )
    return make_session(activity_type=workshop, capacity=8, days=working_day(2))


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("kind", ["open", "on_registration", "cancelled"])
def test_a_session_page_says_nothing_in_french_in_another_language(
    client, make_session, programme, kind, language
):
    session = _public_session(make_session, programme, kind)
    url = reverse("agenda:session", kwargs={"session_pk": session.pk})

    french = client.get(url).content.decode()
    other = in_language(client, language).get(url).content.decode()

    assert _french_left(french, other, _organisation_data(session)) == set()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize(
    "posted",
    [
        {"children": "1", "consent": "on"},  # no first name, no contact
        {"first_name": "Awa", "phone": "12", "email": "awa@", "children": "40"},
    ],
)
def test_a_refused_place_request_says_why_in_the_page_language(
    client, make_session, programme, posted, language
):
    session = _public_session(make_session, programme, "on_registration")
    url = reverse("agenda:session-place-request", kwargs={"session_pk": session.pk})

    french = client.post(url, posted)
    other = in_language(client, language).post(url, posted)

    assert french.status_code == other.status_code == 400
    data = [*_organisation_data(session), "Awa", "awa@"]
    assert _french_left(french.content.decode(), other.content.decode(), data) == set()
