"""Small server-side SVG charts: no script, no library.

Each chart is a ``<figure>``: a visible caption, then ``<svg role="img">`` named by its
``<title>`` (and described by ``<desc>``); every bar carries its number as text, so nothing is
told by colour alone. Pages also show the same numbers in a table next to the chart.
"""

from decimal import Decimal

from markupsafe import Markup, escape

#: Phone first: 360 units wide, each row a label line over its bar, the figure after the bar.
WIDTH = 360
ROW = 40  # per row: label, then the bar
BAR = 270  # the bar at 100 %
LEGEND_ROW = 18

#: Segment fills of the stacked bars (predikat), best first; the legend and the table name
#: them, and each segment wide enough carries its count.
SEGMENT_FILLS = ("#1e6b30", "#4f9a5e", "#c98a00", "#c4461b", "#7a1116")


def _text(value) -> str:
    return str(escape(value))


def _figure(chart_id: str, title: str, svg: list[str]) -> Markup:
    """The chart in a figure with its title as the visible caption."""
    return Markup(f'<figure class="chart-figure"><figcaption class="chart-caption">'
                  f'{_text(title)}</figcaption>{"".join(svg)}</figure>')


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg class="chart" id="{_text(chart_id)}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{_text(chart_id)}-title {_text(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_text(chart_id)}-title">{_text(title)}</title>',
        f'<desc id="{_text(chart_id)}-desc">{_text(description or title)}</desc>',
    ]


def _trim(label: str, limit: int = 48) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def bar_chart(chart_id: str, title: str, rows: list[tuple], *, maximum=100,
              description: str = "") -> Markup:
    """Horizontal bars: ``rows`` are ``(label, value or None, text)``; ``value`` against
    ``maximum`` (values above it are drawn full, the text tells the real figure)."""
    height = max(1, len(rows)) * ROW + 4
    parts = _open(chart_id, title, description, height)
    for n, (label, value, text) in enumerate(rows):
        y = n * ROW
        share = 0 if value is None or not maximum else max(
            0, min(1, float(Decimal(str(value)) / Decimal(str(maximum)))))
        parts.append(
            f'<g class="chart-row"><text x="0" y="{y + 14}" class="chart-label">'
            f'{_text(_trim(str(label)))}</text>'
            f'<rect x="0" y="{y + 20}" width="{BAR}" height="14" class="chart-track" '
            f'fill="#e6ebf0"/>'
            f'<rect x="0" y="{y + 20}" width="{round(BAR * share, 1)}" height="14" '
            f'class="chart-bar" fill="#0b5394"/>'
            f'<text x="{BAR + 6}" y="{y + 32}" class="chart-value">{_text(text)}</text></g>')
    parts.append("</svg>")
    return _figure(chart_id, title, parts)


def stacked_bar_chart(chart_id: str, title: str, rows: list[tuple], keys: list[tuple], *,
                      description: str = "", total_label: str = "n =") -> Markup:
    """One bar per row, split by ``keys`` (``(key, label)``): ``rows`` are ``(label,
    {key: count})``. Each bar is 100 % of its row; counts are written in the segments wide
    enough (in ``keys`` order, as the legend numbers them), the row's total after the bar."""
    legend_height = len(keys) * LEGEND_ROW + 6
    height = legend_height + max(1, len(rows)) * ROW + 4
    parts = _open(chart_id, title, description, height)
    for n, (_key, label) in enumerate(keys):
        fill = SEGMENT_FILLS[n % len(SEGMENT_FILLS)]
        y = n * LEGEND_ROW
        parts.append(f'<rect x="0" y="{y + 3}" width="12" height="12" fill="{fill}"/>'
                     f'<text x="18" y="{y + 14}" class="chart-legend">'
                     f'{n + 1} = {_text(label)}</text>')
    for n, (label, counts) in enumerate(rows):
        y = legend_height + n * ROW
        total = sum(counts.get(key, 0) for key, _label in keys)
        parts.append(f'<g class="chart-row"><text x="0" y="{y + 14}" class="chart-label">'
                     f'{_text(_trim(str(label)))}</text>')
        offset = 0.0
        for index, (key, _label) in enumerate(keys):
            count = counts.get(key, 0)
            if not total or not count:
                continue
            width_of = BAR * count / total
            parts.append(f'<rect x="{round(offset, 1)}" y="{y + 20}" '
                         f'width="{round(width_of, 1)}" height="14" '
                         f'fill="{SEGMENT_FILLS[index % len(SEGMENT_FILLS)]}"/>')
            if width_of >= 22:
                parts.append(f'<text x="{round(offset + 4, 1)}" y="{y + 31}" '
                             f'class="chart-segment" fill="#ffffff">{count}</text>')
            offset += width_of
        parts.append(f'<text x="{BAR + 6}" y="{y + 32}" class="chart-value">'
                     f'{_text(total_label)} {total}</text></g>')
    parts.append("</svg>")
    return _figure(chart_id, title, parts)
