"""The one search of the directory: the public pages, the API (and later the Point Info
Famille desk) all call ``search_services``.

Text is matched on stems (``directory.text``) kept in two columns written with every save,
``search_name`` (the service's and its structure's names) and ``search_index`` (those plus
the descriptions and the thématiques' labels). Each query stem must start a word of the
index; a hit in a name weighs 3, elsewhere 1; results are ranked by that score, then by
name. Matching is the project's own on folded text, so SQLite and PostgreSQL give the same
results in the same order (PostgreSQL's french snowball stems differently from any
portable stemmer, which would make the two disagree).

Which services hold the words and filter codes is read from the search's inverted index
(``ServiceTerm``: one row per word or code of a service, with its place): each word is
first turned into the index's terms it starts (``SearchWord``), then the index is read
once per word or code, within the "près de" box when there is one, each read kept to the
services the next one found (``_holding``). Only those rows are read, ranked and counted;
no row's text is scanned."""

import dataclasses

from django.db.models import Case, Count, IntegerField, Q, Value, When, Window
from django.db.models.functions import Coalesce

from petitspas.core.bounds import search_text
from petitspas.directory import geo
from petitspas.directory.hours import open_status
from petitspas.directory.models import SearchWord, Service, ServiceTerm
from petitspas.directory.terms import TAG, TERM_LENGTH
from petitspas.directory.text import index_text, stems

PAGE_SIZE = 20  # results a page shows
NAME_WEIGHT = 3
MAX_TERMS = 500  # terms a word may start and still be named one by one
TEXT_WEIGHT = 1
# What no page or answer reads from a result: the import's copy and the search columns,
# the widest of a row; left out, the database sorts and sends narrower rows.
UNREAD = (
    "imported",
    "search_index",
    "search_name",
    "tags",
    "structure__imported",
    "structure__search_index",
    "structure__search_name",
)


def service_index(service) -> tuple[str, str]:
    """(search_name, search_index) for a service, from it and its structure."""
    from petitspas.directory.themes import THEMATIQUES

    names = (service.nom, service.structure.nom)
    labels = [THEMATIQUES.get(t, "") for t in service.thematiques]
    return (
        index_text(*names),
        index_text(*names, service.description, service.structure.description, *labels),
    )


def service_tags(service) -> str:
    codes = [*service.thematiques, *service.publics, *service.modes_accueil]
    if service.frais:
        codes.append(service.frais)
    code_insee = service.code_insee or service.structure.code_insee
    if code_insee:
        codes.append(f"insee:{code_insee}")
    return "|" + "|".join(codes) + "|" if codes else ""


@dataclasses.dataclass(frozen=True)
class Filters:
    q: str = ""
    thematique: str = ""
    public: str = ""
    commune: str = ""  # INSEE code
    gratuit: bool = False
    mode_accueil: str = ""
    open_now: bool = False


def search_services(filters: Filters, *, now=None, near=None, radius_km=None):
    """Services matching ``filters``, best first: ``Results``, counted and cut into pages
    by the database (a list when ``open_now`` is asked: the opening hours are read in
    Python). With ``near`` (a ``geo.Point``), only those within ``radius_km`` of it,
    nearest first, each with its ``distance_km``; equal distances keep the text's rank."""
    shown = Service.objects.select_related("structure").defer(*UNREAD)
    if near is not None:
        shown = geo.with_distance(shown, near)
    services = shown if near is None else geo.near(shown, near, radius_km)
    codes = [code for code in (filters.thematique, filters.public, filters.mode_accueil) if code]
    if filters.gratuit:
        codes.append("gratuit")
    if filters.commune:
        codes.append(f"insee:{filters.commune}")
    words = list(dict.fromkeys(stems(search_text(filters.q))))[:8]
    order = ["nom", "pk"]
    # The index keeps a word's first letters only (``terms.TERM_LENGTH``).
    asked = list(dict.fromkeys(word[:TERM_LENGTH] for word in words))
    if codes or words:
        found = _holding(codes, asked, box=geo.bounding_box(near, radius_km) if near else None)
        services = services.none() if found is None else services.filter(pk__in=found)
    if words:
        score = Value(0)
        for word in words:
            score = score + Case(
                When(search_name__contains=f" {word}", then=Value(NAME_WEIGHT)),
                default=Value(TEXT_WEIGHT),
                output_field=IntegerField(),
            )
        services = services.annotate(score=Coalesce(score, 0))
        order.insert(0, "-score")
    if near is not None:
        order.insert(0, "place_chord2")
    services = services.order_by(*order)
    if filters.open_now:
        return [s for s in services if _open(s, now)]
    return Results(services, shown=shown)


def _holding(codes, words, *, box):
    """The ids of the services holding every filter code and, for each word, a term that
    it starts, as a subquery of the index (``ServiceTerm``), within ``box`` if given; None
    when a word starts no term at all.

    Each condition is one read of the index, kept to the services of the next one's list
    (``service_id IN``, nested): the databases build each list once and probe it, which
    costs less than grouping every entry of every condition by service (SQLite sorts them
    into a temporary B-tree; PostgreSQL hashes them all). The filter codes come first,
    the words last, innermost: a word is usually the rarer, and its list the smaller."""
    wanted = [Q(term=TAG + code) for code in codes]
    for word in words:
        terms = _terms_starting(word)
        if terms is None:  # too many to name: the range of the index, words only
            wanted.append(Q(term__gte=word, term__lt=_after(word)) & ~Q(term__startswith=TAG))
        elif terms:
            wanted.append(Q(term__in=terms))
        else:
            return None
    within = Q()
    if box is not None:
        lat_min, lat_max, lon_min, lon_max = box
        within = Q(
            place_latitude__gte=lat_min,
            place_latitude__lte=lat_max,
            place_longitude__gte=lon_min,
            place_longitude__lte=lon_max,
        )
    held = None
    for condition in reversed(wanted):
        rows = ServiceTerm.objects.filter(condition, within)
        if held is not None:
            rows = rows.filter(service_id__in=held)
        held = rows.values("service_id")
    # Distinct, and so read on its own: PostgreSQL would otherwise join the nested lists
    # to the services as semi-joins and, without a box, walk every service in the page's
    # order, probing the index for each (0.8-1 s at 100,000 services; 0.1 s read apart).
    return held if len(wanted) == 1 else held.distinct()


def _terms_starting(word: str) -> list[str] | None:
    """The index's terms that ``word`` starts (``SearchWord``), or None past
    ``MAX_TERMS`` of them. Read as a range, then checked in Python: a database's collation
    may put other strings in the range, never leave out one that starts with the word."""
    found = list(
        SearchWord.objects.filter(term__gte=word, term__lt=_after(word))
        .order_by("term")
        .values_list("term", flat=True)[: MAX_TERMS + 1]
    )
    if len(found) > MAX_TERMS:
        return None
    return [term for term in found if term.startswith(word)]


def _after(word: str) -> str:
    """The first string past every string that ``word`` starts (words are ``[a-z0-9]``)."""
    return word[:-1] + chr(ord(word[-1]) + 1)


class Results:
    """What a search found, in its order, for ``Paginator``, the widget and the API:
    counted and cut in SQL, in two steps, so that the database sorts narrow rows: a
    slice's ids first (``ORDER BY … LIMIT``, no join), then those rows by id, with their
    structure and their distance (``shown``). Counting also reads the first page's ids
    (``COUNT(*) OVER ()``), since the first page is the one asked after a count: one pass
    over the matching rows instead of two; the API reads any page with the count the same
    way (``counted_slice``). Iterated, everything in one query."""

    def __init__(self, ranked, *, shown, first_page: int = PAGE_SIZE):
        self.ranked = ranked
        self.shown = shown
        self.first_page = first_page
        self._count = None
        self._first_ids = None

    def count(self) -> int:
        if self._count is None:
            rows = list(
                self.ranked.annotate(found=Window(Count("*"))).values_list("pk", "found")[
                    : self.first_page
                ]
            )
            self._count = rows[0][1] if rows else 0
            self._first_ids = [pk for pk, _found in rows]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self.ranked)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        if self._first_ids is not None and index in (
            slice(0, self.first_page),
            slice(None, self.first_page),
        ):
            ids = self._first_ids
        else:
            ids = list(self.ranked.values_list("pk", flat=True)[index])
        return self._rows(ids)

    def counted_slice(self, start: int, stop: int) -> list:
        """``self[start:stop]``, counting every result in the same pass if not counted yet:
        for the API, whose paginator cuts its page before it asks ``count()``."""
        if self._count is not None:
            return self[start:stop]
        found = self.ranked.annotate(found=Window(Count("*"))).values_list("pk", "found")
        rows = list(found[start:stop])
        if rows:  # past the end, nothing says how many there are: count() will ask
            self._count = rows[0][1]
        return self._rows([pk for pk, _found in rows])

    def _rows(self, ids) -> list:
        if not ids:
            return []
        rows = {s.pk: s for s in self.shown.filter(pk__in=ids)}
        return [rows[pk] for pk in ids]


def _open(service, now) -> bool:
    status = open_status(service.horaires_accueil or service.structure.horaires_accueil, now)
    return bool(status and status.is_open)


def has_filters(filters: Filters) -> bool:
    return any(dataclasses.asdict(filters).values())


__all__ = ["Filters", "Results", "search_services", "service_index", "service_tags"]
