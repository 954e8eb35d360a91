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

__all__ = [
    "Area",
    "AreaQuerySet",
    "ColumnMapping",
    "Indicator",
    "IndicatorValue",
    "Iris",
    "Level",
]
