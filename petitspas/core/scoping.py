"""The one way to scope data to a user: ``Model.objects.visible_to(user)``.

Every QuerySet of organisation data inherits ``ScopedQuerySet`` and says where its
organisation is (``organisation_lookup``) and which membership roles may read it
(``visible_roles``; ``None`` means every role). Views, API, exports and indicators start
from ``visible_to``; a narrower audience is the named ``where_role``; nothing else
filters by organisation or role. Family data (households, people and the rows that hang
off them) overrides both: see ``families.models``.

Memberships are reached through the reverse accessor ``user.memberships`` so that this
module imports no app above ``core``. They are read once per user object (that is, once
per request) by ``active_memberships``; menus, permission predicates and ``visible_to``
all derive from that one list, and scoped queries filter on literal organisation ids,
which lets the database use the ``(organisation, …)`` indexes.

An app above may want a fact about each membership's organisation (the menu's
"Orientations": does the organisation receive referrals?). It provides it in its
``AppConfig.ready()`` as an annotation (``provide_membership_fact``). Every fact of every
membership is read in one query, the first time one is asked in the request: a page's menu
asks, so a page reads its memberships in two queries; a form's save or an API call that
asks none does not run it. Its seven subqueries cost the ORM about 2.5 ms to write, more
than the memberships' whole query, so it is compiled once per process
(``core.statements``). Nothing is kept beyond the request, so nothing has to be kept in
step.
"""

import contextlib
from collections.abc import Callable

from django.db import models, router

from petitspas.core.statements import compiled, query_sql, run

_CACHE = "_petitspas_memberships"
_FACTS = "_petitspas_facts"  # on each membership: its facts, once read
_SIBLINGS = "_petitspas_siblings"  # on each membership: the list it was read in
_USER = -987_654_323  # the user id the facts' statement is compiled with: no user has it

# name -> a function giving the annotation over ``Membership`` (called at query time, once
# the apps are loaded).
_MEMBERSHIP_FACTS: dict[str, Callable[[], models.Expression]] = {}


def provide_membership_fact(name: str, expression: Callable[[], models.Expression]) -> None:
    """Annotate every membership ``active_memberships`` reads with ``name``; read it with
    ``membership_fact(membership, name)``, False where no app provides it."""
    _MEMBERSHIP_FACTS[name] = expression


def membership_fact(membership, name: str):
    """The fact ``name`` about the membership's organisation (False where no app provides
    it). The first fact asked reads every fact of the memberships read with this one, in
    one query."""
    facts = membership.__dict__.get(_FACTS)
    if facts is None:
        facts = _read_facts(membership)
    return facts.get(name, False)


def _read_facts(membership) -> dict:
    """Every fact of the user's active memberships, in one statement compiled once per
    process (``core.statements``): its seven subqueries cost the ORM about 2.5 ms to
    write, the database a tenth of that to run."""
    memberships = membership.__dict__.get(_SIBLINGS) or [membership]
    model = type(membership)
    names = tuple(_MEMBERSHIP_FACTS)
    using = router.db_for_read(model)
    rows = {}
    if names:

        def build():
            facts = {name: fact() for name, fact in _MEMBERSHIP_FACTS.items()}
            of_user = model._default_manager.filter(user_id=_USER, is_active=True)
            return query_sql(of_user.annotate(**facts).values_list("pk", *names), using=using)

        statement = compiled(("membership facts", *_MEMBERSHIP_FACTS.items()), build, using=using)
        rows = {
            pk: {name: bool(value) for name, value in zip(names, values, strict=True)}
            for pk, *values in run(statement, {_USER: membership.user_id}, using=using)
        }
    for each in memberships:
        each.__dict__[_FACTS] = rows.get(each.pk, {})
    return membership.__dict__[_FACTS]


def active_memberships(user) -> list:
    """The user's active memberships with their organisations, by organisation name (their
    facts are read when first asked: ``membership_fact``).

    One query, kept on the user object: ``request.user`` lives for one request. Call
    ``forget_memberships`` after changing the user's memberships within that request.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(
            user.memberships.filter(is_active=True)
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
        for membership in cached:
            membership.__dict__[_SIBLINGS] = cached
        setattr(user, _CACHE, cached)
    return cached


def forget_memberships(user) -> None:
    # request.user is a lazy wrapper: delete through it, not in its own __dict__.
    with contextlib.suppress(AttributeError):
        delattr(user, _CACHE)


def organisation_ids(user, roles=None) -> list[int]:
    """Ids of the organisations where the user holds one of ``roles`` (any role if None)."""
    return [m.organisation_id for m in active_memberships(user) if roles is None or m.role in roles]


class ScopedQuerySet(models.QuerySet):
    organisation_lookup: str = "organisation"
    visible_roles: frozenset[str] | None = None

    def visible_to(self, user):
        """Rows of the organisations where ``user`` holds one of the model's
        ``visible_roles``. Anonymous and inactive users see nothing."""
        return self.where_role(user, self.visible_roles)

    def where_role(self, user, roles):
        """Rows of the organisations where ``user`` holds one of ``roles`` (every role if
        None): a narrower audience than ``visible_to``, for a screen that needs one (the
        programmes a user plans). Anonymous and inactive users see nothing."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        ids = organisation_ids(user, roles)
        if not ids:
            return self.none()
        lookup = "pk" if self.organisation_lookup == "pk" else self.organisation_lookup
        if len(ids) == 1:
            return self.filter(**{lookup: ids[0]})
        return self.filter(**{f"{lookup}__in": ids})
