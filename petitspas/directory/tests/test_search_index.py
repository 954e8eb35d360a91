"""The search's inverted index (``ServiceTerm``, ``SearchWord``) follows every write of the
search columns, and reading it gives what matching each row's text gave."""

import importlib
import itertools
import random
import string

import pytest
from django.apps import apps

from petitspas.directory import search
from petitspas.directory.interop import export_records, import_records
from petitspas.directory.models import SearchWord, Service, ServiceTerm
from petitspas.directory.search import Filters, search_services
from petitspas.directory.services import service_save, structure_save
from petitspas.directory.terms import TERM_LENGTH, service_terms
from petitspas.directory.tests.test_directory import (  # noqa: F401 (fixtures)
    make_service,
    make_structure,
    partner,
)

DROIT = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"


def found(q="", **filters) -> list[str]:
    return [s.nom for s in search_services(Filters(q=q, **filters))]


def entries(service) -> set[str]:
    return set(ServiceTerm.objects.filter(service=service).values_list("term", flat=True))


def test_a_word_no_service_holds_any_more_is_forgotten(partner):  # noqa: F811
    structure = make_structure(partner, nom="Maison des familles")
    cooking = make_service(partner, structure, nom="Atelier cuisine", description="Des recettes")
    baking = make_service(partner, structure, nom="Atelier pâtisserie", description="Recettes")
    words = lambda: set(SearchWord.objects.values_list("term", flat=True))  # noqa: E731
    assert {"recett", "cuisin", "patisseri"} <= words()

    cooking.description = "Du jardinage"
    service_save(by=partner, service=cooking)
    assert "recett" in words()  # the pastry workshop still holds it

    baking.description = "Des gâteaux"
    service_save(by=partner, service=baking)
    assert "recett" not in words()
    assert {"jardinag", "gate", "cuisin", "patisseri"} <= words()
    assert words() == set(ServiceTerm.objects.values_list("term", flat=True))


def test_every_write_of_a_service_or_its_structure_rewrites_its_entries(partner):  # noqa: F811
    structure = make_structure(partner, nom="Maison des familles")
    cooking = make_service(partner, structure, nom="Atelier cuisine", description="Des recettes")
    assert found("recettes") == found("cuisine") == ["Atelier cuisine"]

    cooking.description = "Du jardinage"
    service_save(by=partner, service=cooking)
    assert found("recettes") == []
    assert found("jardinage") == ["Atelier cuisine"]

    structure.nom = "Ludothèque du parc"
    structure_save(by=partner, structure=structure)
    assert found("ludotheque") == ["Atelier cuisine"]
    assert found("maison") == []
    assert entries(cooking) == service_terms(Service.objects.get(pk=cooking.pk))
    assert {"|gratuit", "|familles", "|insee:92073", "jardinag", "ludothequ"} <= entries(cooking)

    structure_records, service_records = export_records()
    service_record = next(r for r in service_records if r["nom"] == "Atelier cuisine")
    service_record["description"] = "Des contes"
    report = import_records(
        structures=list(enumerate(structure_records, 1)), services=[(1, service_record)]
    )
    assert report.updated == 1
    assert found("conte") == ["Atelier cuisine"] and found("jardinage") == []

    assert not SearchWord.objects.filter(term="jardinag").exists()  # no service holds it

    cooking.delete()
    assert not ServiceTerm.objects.exists()
    assert SearchWord.objects.filter(term="cont").exists()  # kept: it finds nothing


def test_a_word_that_starts_too_many_terms_is_read_as_a_range(partner, monkeypatch):  # noqa: F811
    structure = make_structure(partner, nom="Point d'accès au droit")
    for nom in ("Parcours emploi", "Parc à jeux", "Parents solo", "Pari sportif"):
        make_service(partner, structure, nom=nom, description="Pour tous.")
    # Its codes start like a word ("familles", "famille--…"), its text has no such word.
    make_service(
        partner,
        structure,
        nom="Permanence juridique",
        description="Accès au droit",
        thematiques=[DROIT],
        publics=["familles"],
    )
    named = found("pa"), found("famille"), found("pa", thematique=DROIT)

    monkeypatch.setattr(search, "MAX_TERMS", 0)

    assert (found("pa"), found("famille"), found("pa", thematique=DROIT)) == named
    assert named[0] == ["Parc à jeux", "Parcours emploi", "Parents solo", "Pari sportif"]
    assert named[1] == [] and named[2] == []


def test_a_word_that_starts_no_term_finds_nothing(partner, django_assert_num_queries):  # noqa: F811
    make_service(partner, make_structure(partner), nom="Café des parents")

    with django_assert_num_queries(1):  # the terms: nothing else to ask
        assert found("xylophone") == []
    assert found("parent", public="familles") == ["Café des parents"]
    assert found("xylophone parent") == []


@pytest.mark.django_db
def test_the_migration_fills_the_index_as_the_writes_do(partner):  # noqa: F811
    structure = make_structure(partner, nom="Maison des familles")
    services = [make_service(partner, structure, nom=f"Atelier {n}") for n in range(3)]
    written = {s.pk: entries(s) for s in services}
    ServiceTerm.objects.all().delete()
    SearchWord.objects.all().delete()

    migration = importlib.import_module("petitspas.directory.migrations.0007_search_terms")
    migration.fill(apps, None)

    assert {s.pk: entries(s) for s in services} == written
    assert set(SearchWord.objects.values_list("term", flat=True)) == set().union(*written.values())


def test_a_word_longer_than_an_index_key_is_kept_to_its_first_letters(partner):  # noqa: F811
    # 4,000 letters that do not compress: a key or a code pasted as it came.
    pasted = "".join(random.Random(4).choices(string.ascii_lowercase + string.digits, k=4000))
    structure = make_structure(partner)
    service = make_service(partner, structure, nom="Permanence", description=f"Voir {pasted}")

    assert max(len(term) for term in entries(service)) == TERM_LENGTH
    assert found(pasted[:12]) == found(pasted) == ["Permanence"]
    assert found(pasted[:20] + "zz") == []  # another word within the letters kept


def test_the_services_found_hold_every_word_and_code_asked(partner):  # noqa: F811
    # Every mix of two words, a theme and a public, one service each; "cuisine" and
    # "cuisson" are two terms that the word "cuis" starts, held by one service.
    structure = make_structure(partner, nom="Maison des familles")
    texts = {"cuis": "Cuisine et cuisson.", "jardin": "Au jardin.", "": "Pour tous."}
    holding = {}
    for number, (cooking, garden, theme, public) in enumerate(
        itertools.product((True, False), repeat=4)
    ):
        words = [w for w, held in (("cuis", cooking), ("jardin", garden)) if held]
        service = make_service(
            partner,
            structure,
            nom=f"Service {number}",
            description=" ".join(texts[w] for w in words) or texts[""],
            thematiques=[DROIT] if theme else [],
            publics=["familles"] if public else ["seniors"],
        )
        holding[service.nom] = (set(words), theme, public)

    for q, theme, public in itertools.product(
        ("", "cuis", "jardin", "cuis jardin", "jardin cuis", "cuis tricot"),
        ("", DROIT),
        ("", "familles"),
    ):
        expected = {
            nom
            for nom, (words, held_theme, held_public) in holding.items()
            if set(q.split()) <= words and (held_theme or not theme) and (held_public or not public)
        }
        assert set(found(q, thematique=theme, public=public)) == expected, (q, theme, public)
