"""The diagnosis' models, one module per part: areas and their figures, the qualitative
records and their coding, the participation (places, walks, groups)."""

from petitspas.diagnosis.models.areas import (
    Area,
    AreaQuerySet,
    ColumnMapping,
    Indicator,
    IndicatorValue,
    Iris,
    Level,
)
from petitspas.diagnosis.models.inquiry import (
    Attachment,
    BookletEdition,
    BookletSection,
    Code,
    InquiryRecord,
    Passage,
)
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
    "Attachment",
    "BookletEdition",
    "BookletSection",
    "Code",
    "ColumnMapping",
    "Indicator",
    "IndicatorValue",
    "InquiryRecord",
    "Iris",
    "Level",
    "Passage",
    "PlaceProposal",
    "SiteCohost",
    "UrbanWalk",
    "WalkRegistration",
    "WalkStop",
]
