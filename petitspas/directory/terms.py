"""The search's inverted index (``ServiceTerm``, ``SearchWord``), written from the search
columns that ``services.index_service`` derives: every write of those columns ends here,
with the services it wrote (``services.service_save`` and ``structure_save``, the import).
"""

from petitspas.directory.models import SearchWord, ServiceTerm

BATCH = 500  # rows a statement (SQLite takes at most 32,766 parameters)
TAG = "|"  # a filter code's mark: never the start of a word (``directory.text.WORD``)
# A word is kept to its first letters: a description may hold one of thousands (a pasted
# link or code), longer than a B-tree index takes a key (2,700 bytes on PostgreSQL).
TERM_LENGTH = 64


def service_terms(service) -> set[str]:
    """The words of the service's search column (their first ``TERM_LENGTH`` letters), and
    its filter codes marked ``|``."""
    words = {word[:TERM_LENGTH] for word in service.search_index.split()}
    return words | {TAG + code for code in service.tags.split("|") if code}


def write_terms(services, *, term_model=ServiceTerm, word_model=SearchWord) -> None:
    """Replace the index entries of ``services`` (saved, their search columns written),
    by batches of ``BATCH`` services: an import of the whole directory holds its services,
    never their twenty-odd entries each at once. The models are given by a migration,
    which has its own."""
    by_pk = {s.pk: s for s in services if s.pk is not None}  # the last copy of each
    ids, words, dropped = list(by_pk), set(), set()
    for start in range(0, len(ids), BATCH):
        batch = [by_pk[pk] for pk in ids[start : start + BATCH]]
        held = term_model.objects.filter(service_id__in=[s.pk for s in batch])
        dropped |= set(held.values_list("term", flat=True).distinct())
        held.delete()
        rows = []
        for service in batch:
            terms = service_terms(service)
            words |= terms
            rows.extend(
                term_model(
                    service_id=service.pk,
                    term=term,
                    place_latitude=service.place_latitude,
                    place_longitude=service.place_longitude,
                )
                for term in sorted(terms)
            )
        term_model.objects.bulk_create(rows, batch_size=BATCH)
    word_model.objects.bulk_create(
        [word_model(term=word) for word in sorted(words)], batch_size=BATCH, ignore_conflicts=True
    )
    _forget(sorted(dropped - words), term_model=term_model, word_model=word_model)


def _forget(terms, *, term_model, word_model) -> None:
    """Delete the words among ``terms`` (which these services held before) that no service
    holds any more: a query's word then never names them (``search._terms_starting``)."""
    for start in range(0, len(terms), BATCH):
        batch = terms[start : start + BATCH]
        still = set(
            term_model.objects.filter(term__in=batch).values_list("term", flat=True).distinct()
        )
        word_model.objects.filter(term__in=[t for t in batch if t not in still]).delete()


__all__ = ["TERM_LENGTH", "TAG", "service_terms", "write_terms"]
