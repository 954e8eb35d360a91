"""The diagnosis' models, one module per part: areas and their figures, the qualitative
records and their coding, the participation (places, walks, groups)."""

from petitspas.diagnosis.models.areas import Area, AreaQuerySet
from petitspas.diagnosis.models.participation import (
    PlaceProposal,
    SiteCohost,
    UrbanWalk,
    WalkRegistration,
    WalkStop,
)

__all__ = [
    "Area",
    "AreaQuerySet",
    "PlaceProposal",
    "SiteCohost",
    "UrbanWalk",
    "WalkRegistration",
    "WalkStop",
]
