"""The kiosque's co-hosts (seed 004): a site run with directory structures and residents.
Every page that shows a session at the site lists them, through ``places.hooks``
(``site_cohosts``), which this module answers."""

from petitspas.diagnosis.models import SiteCohost


def cohosts_by_site(site_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = SiteCohost.objects.filter(site_id__in=site_ids).select_related("structure")
    for cohost in rows.order_by("site_id", "position", "pk"):
        names.setdefault(cohost.site_id, []).append(str(cohost))
    return names
