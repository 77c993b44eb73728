"""Charts as server-rendered SVG (no script, no CDN): they scale to the width of the page, so they
work on a phone; every chart is shown beside its table and exported with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1f5fa8", "#d4380d", "#389e0d", "#d48806", "#722ed1", "#08979c")


@dataclass
class Chart:
    key: str
    title: str
    labels: list[str]  # categories (months, agencies)
    series: list[tuple[str, list[float]]]  # (name, one value per label)
    unit: str = ""
    horizontal: bool = False
    notes: list[str] = field(default_factory=list)
    colors: tuple[str, ...] = PALETTE

    def color(self, index: int) -> str:
        return self.colors[index % len(self.colors)]

    @property
    def columns(self) -> list[str]:
        return [name for name, _ in self.series]

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        return [
            (label, [_fmt(values[i]) for _, values in self.series]) for i, label in enumerate(self.labels)
        ]

    def svg(self) -> SafeString:
        return horizontal_bars(self) if self.horizontal else vertical_bars(self)


def _fmt(value: float | Decimal | None) -> str:
    if value is None:
        return "—"
    value = float(value)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _legend(chart: Chart, y: float, width: float) -> list[str]:
    out, x = [], 0.0
    for i, (name, _) in enumerate(chart.series):
        out.append(f'<rect x="{x:.0f}" y="{y - 10:.0f}" width="12" height="12" fill="{chart.color(i)}"/>')
        out.append(f'<text x="{x + 16:.0f}" y="{y:.0f}" font-size="14">{escape(name)}</text>')
        x += 28 + 15 * len(name)
        if x > width - 80:
            x, y = 0.0, y + 18
    return out


def vertical_bars(chart: Chart) -> SafeString:
    """Grouped vertical bars, one group per label (months)."""
    width, height, left, bottom, top = 420.0, 260.0, 36.0, 30.0, 40.0
    n, k = max(len(chart.labels), 1), max(len(chart.series), 1)
    peak = float(max([max(v or 0 for v in values) for _, values in chart.series] + [1]))
    peak = max(4.0, float(-(-peak // 4) * 4))  # whole-number ticks
    plot_h = height - bottom - top
    slot = (width - left) / n
    bar = max(slot * 0.8 / k, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(chart.title)}" class="chart" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(chart.title)}</title>",
        *_legend(chart, 14, width),
    ]
    for step in range(5):
        value = peak * step / 4
        y = height - bottom - plot_h * step / 4
        parts.append(f'<line x1="{left:.0f}" x2="{width:.0f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        parts.append(
            f'<text x="{left - 4:.0f}" y="{y + 4:.1f}" font-size="12" text-anchor="end">{_fmt(value)}</text>'
        )
    for i, label in enumerate(chart.labels):
        x0 = left + slot * i + slot * 0.1
        for j, (_, values) in enumerate(chart.series):
            v = float(values[i] or 0)
            h = plot_h * v / peak
            parts.append(
                f'<rect x="{x0 + bar * j:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{chart.color(j)}"><title>{escape(label)} {escape(chart.series[j][0])}：{_fmt(v)}</title></rect>'
            )
        short = f"{int(label[-2:])}月" if len(label) == 7 and label[4] == "-" else label
        parts.append(
            f'<text x="{left + slot * (i + 0.5):.1f}" y="{height - bottom + 18:.0f}" font-size="12" '
            f'text-anchor="middle">{escape(short)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def horizontal_bars(chart: Chart) -> SafeString:
    """Stacked horizontal bars, one row per label (agencies); the label above its bar, for phones."""
    width, row_h, top = 420.0, 46.0, 34.0
    height = top + row_h * max(len(chart.labels), 1) + 8
    totals: list[float | None] = []
    for i in range(len(chart.labels)):
        got = [float(values[i]) for _, values in chart.series if values[i] is not None]
        totals.append(sum(got) if got else None)
    peak = max([t or 0 for t in totals] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(chart.title)}" class="chart" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(chart.title)}</title>",
        *_legend(chart, 14, width),
    ]
    for i, label in enumerate(chart.labels):
        y = top + row_h * i
        parts.append(f'<text x="0" y="{y + 15:.0f}" font-size="15">{escape(label)}</text>')
        x = 0.0
        for j, (name, values) in enumerate(chart.series):
            v = float(values[i] or 0)
            w = (width - 60) * v / peak
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 20:.0f}" width="{w:.1f}" height="16" fill="{chart.color(j)}">'
                    f"<title>{escape(label)} {escape(name)}：{_fmt(v)}</title></rect>"
                )
            x += w
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 33:.0f}" font-size="14">{_fmt(totals[i])}{escape(chart.unit) if totals[i] is not None else ""}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)
