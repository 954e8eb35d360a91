"""The diagnosis method travels with a programme's copy ("copier vers un autre
territoire"): the codebook (themes and their codes) and the booklet's sections on the
method's steps, its tools (interview and focus-group guides) and the groups' roles, from
the source's organisation into the new programme's. Records, coded passages and lessons
stay behind: they are what the source territory found, not how it worked.

Registered as a part of the copy by ``DiagnosisConfig.ready()``; written in the copy's
transaction. What the target already has is kept: a theme or code of the same name, a
section of the same part and title, are not copied again.
"""

from django.core.exceptions import PermissionDenied

from petitspas.core.audit import audit_log
from petitspas.diagnosis.models.inquiry import BookletPart, BookletSection, Code
from petitspas.diagnosis.services_replication import ReplicationPart

KEY = "method"
COPIED_PARTS = (BookletPart.METHOD, BookletPart.TOOLS, BookletPart.ROLES)


def _codes(user, organisation_id):
    return Code.objects.visible_to(user).filter(organisation_id=organisation_id)


def _sections(user, organisation_id):
    return BookletSection.objects.visible_to(user).filter(
        organisation_id=organisation_id, part__in=COPIED_PARTS
    )


def available(source, user) -> bool:
    """The source's organisation has a codebook or method sections that ``user`` reads."""
    return (
        _codes(user, source.organisation_id).exists()
        or _sections(user, source.organisation_id).exists()
    )


def copy(*, source, programme, by) -> dict[str, int]:
    if not available(source, by):
        raise PermissionDenied
    target = programme.organisation
    codes = sections = 0
    source_codes = list(
        _codes(by, source.organisation_id).order_by("parent_id", "position", "name", "pk")
    )
    themes: dict[int, Code] = {}
    for code in [c for c in source_codes if c.parent_id is None] + [
        c for c in source_codes if c.parent_id is not None
    ]:
        parent = themes.get(code.parent_id) if code.parent_id else None
        if code.parent_id and parent is None:
            continue  # a code whose theme the reader does not see
        copied, created = Code.objects.get_or_create(
            organisation=target,
            parent=parent,
            name=code.name,
            defaults={"description": code.description, "position": code.position},
        )
        codes += created
        if code.parent_id is None:
            themes[code.pk] = copied
    existing = set(BookletSection.objects.filter(organisation=target).values_list("part", "title"))
    for section in _sections(by, source.organisation_id).order_by("part", "position", "pk"):
        if (section.part, section.title) in existing:
            continue
        BookletSection.objects.create(
            organisation=target,
            part=section.part,
            position=section.position,
            title=section.title,
            body=section.body,
            updated_by=by,
        )
        sections += 1
    counts = {"codes": codes, "sections": sections}
    audit_log(
        by, "inquiry.method_copy", programme, source_organisation=source.organisation.name, **counts
    )
    return counts


PART = ReplicationPart(
    key=KEY,
    label="La méthode du diagnostic : la grille de codage, les étapes, les outils et les "
    "rôles des groupes du livret",
    available=available,
    copy=copy,
)
