"""Bar charts drawn on the server as SVG: no script, the same drawing in a page and later
in a PDF. Each chart is shown beside its data table (accessibility); the SVG itself has a
title and a description that say what it shows."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from petitspas.reporting.smallcells import SMALL

WIDTH = 640
ROW = 34
LABEL = 150
VALUE = 70
# DSFR's blue France: this period filled, the previous year outlined.
FILLED = SafeString('fill="#000091"')
OUTLINED = SafeString('fill="#e3e3fd" stroke="#000091" stroke-width="1.5"')


def _number(value) -> str:
    if value is None:
        return "—"
    if value == SMALL:
        return SMALL
    return f"{value:n}".replace(",", " ") if isinstance(value, int) else str(value)


def bar_chart(
    title: str, bars: list[tuple], *, chart_id: str, compare_label: str = ""
) -> SafeString:
    """Horizontal bars, one row per category: this period (filled) and, when given, the
    previous year (outlined). A hidden cell ("< 5") has no bar, only its text."""
    values = [v for _label, *pair in bars for v in pair if isinstance(v, int | float)]
    top = max(values, default=0) or 1
    scale = (WIDTH - LABEL - VALUE - 10) / top
    has_previous = any(previous is not None for _l, _v, previous in bars)
    step = ROW * (2 if has_previous else 1) + 8
    height = step * len(bars) + 10
    shapes = []
    for index, (label, value, previous) in enumerate(bars):
        y = 5 + index * step
        shapes.append(
            format_html('<text x="0" y="{}" fill="currentColor">{}</text>', y + ROW * 0.65, label)
        )
        for offset, (amount, css) in enumerate(
            [(value, FILLED), *([(previous, OUTLINED)] if has_previous else [])]
        ):
            top_y = y + offset * ROW
            width = amount * scale if isinstance(amount, int | float) else 0
            shapes.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" {}/>'
                    '<text x="{}" y="{}" fill="currentColor">{}</text>',
                    LABEL,
                    top_y + 4,
                    f"{width:.1f}",
                    ROW - 10,
                    css,
                    f"{LABEL + width + 6:.1f}",
                    top_y + ROW * 0.65,
                    _number(amount),
                )
            )
    description = "; ".join(
        f"{label} : {_number(value)}"
        + (f" (un an plus tôt : {_number(previous)})" if has_previous else "")
        for label, value, previous in bars
    )
    return format_html(
        '<svg class="pp-chart" viewBox="0 0 {w} {h}" width="100%" role="img" font-size="14" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{shapes}</svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title + (f" — {compare_label}" if compare_label else ""),
        desc=description,
        shapes=format_html_join("", "{}", ((s,) for s in shapes)),
    )
