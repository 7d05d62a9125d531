"""Charts drawn on the server as SVG: no script, and readable without colour (every bar carries
its number and its series' letter, and the series differ by pattern as well as by shade)."""

from __future__ import annotations

from html import escape

__all__ = ["bar_chart"]

# (pattern id, fill) per series: solid, hatched, dotted
STYLES = [("solid", "#2b5d8a"), ("hatch", "url(#hatch)"), ("dots", "url(#dots)")]
ROW, BAR, LABEL, WIDTH = 26, 8, 220, 640


def bar_chart(rows: list[tuple[str, dict[str, int]]]) -> str:
    """Grouped horizontal bars: one group per row label, one bar per series, each with its
    series' initial and its count written beside it."""
    if not rows:
        return ""
    series = list(rows[0][1])
    most = max((v for _, values in rows for v in values.values()), default=0) or 1
    height = len(rows) * (ROW + BAR * len(series)) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-label="{escape(", ".join(series))} by source">',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#fff"/><path d="M0 6L6 0" stroke="#333"/></pattern>'
        '<pattern id="dots" width="4" height="4" patternUnits="userSpaceOnUse">'
        '<rect width="4" height="4" fill="#fff"/><circle cx="2" cy="2" r="1" fill="#333"/>'
        "</pattern></defs>",
    ]
    y = 10
    for label, values in rows:
        parts.append(f'<text x="0" y="{y + 10}" font-size="12">{escape(label)}</text>')
        y += 14
        for index, name in enumerate(series):
            value = values.get(name, 0)
            width = round((WIDTH - LABEL - 60) * value / most)
            fill = STYLES[index % len(STYLES)][1]
            parts.append(f'<rect x="{LABEL}" y="{y}" width="{width}" height="{BAR}" '
                         f'fill="{fill}" stroke="#333"/>')  # fmt: skip
            parts.append(f'<text x="{LABEL + width + 4}" y="{y + BAR}" font-size="10">'
                         f"{escape(name[0].upper())} {value}</text>")  # fmt: skip
            y += BAR + 2
        y += ROW - 14
    legend = " · ".join(f"{n[0].upper()}: {n} ({STYLES[i % 3][0]})" for i, n in enumerate(series))
    parts.append(f'<text x="0" y="{height - 4}" font-size="11">{escape(legend)}</text></svg>')
    return "".join(parts)
