"""``{% published_guides %}``: the latest published edition of each territory's printed
guide, linked from the public directory (a published edition is public)."""

from django import template

from petitspas.directory.models import GuideEdition

register = template.Library()


@register.inclusion_tag("directory/guide/_published.html")
def published_guides():
    latest: dict[int, GuideEdition] = {}
    for edition in (
        GuideEdition.objects.select_related("territory__organisation")
        .order_by("territory_id", "-number")
        .only(
            "pk", "number", "published_on", "territory__organisation__name", "territory__communes"
        )
    ):
        latest.setdefault(edition.territory_id, edition)
    return {"editions": list(latest.values())}
