"""执法流程图 drawn from the same definition the engine runs: server-rendered SVG (no JavaScript on
the portal) and Mermaid text for integrators.

Layout: stages are placed in layers by their longest forward distance from the initial stage;
forward transitions go downwards, transitions back up (or within a layer) run in lanes on the right.
Every stage is a ``<g data-stage="key">`` and every transition a ``<g data-transition="key">``,
which is what the drift test checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

CHAR_W = 15  # approximate advance of one CJK character at 14px
NODE_H = 40
ROW_H = 110
GAP_X = 36
MARGIN = 24
LANE_W = 18
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"


class _StageLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def terminal(self) -> bool: ...


class _TransitionLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def name(self) -> str: ...


class Drawable(Protocol):
    """What the chart reads of a procedure: a procedure definition, or the legal review's flow
    (sanxiang.review.flow)."""

    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def initial(self) -> str: ...
    @property
    def stages(self) -> Sequence[_StageLike]: ...
    @property
    def transitions(self) -> Sequence[_TransitionLike]: ...
    def outgoing(self, stage_key: str) -> Sequence[_TransitionLike]: ...


@dataclass
class _Node:
    key: str
    name: str
    layer: int
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    terminal: bool = False

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def _text_width(text: str) -> float:
    return sum(CHAR_W if ord(ch) > 0x2E80 else CHAR_W * 0.55 for ch in text)


def _back_edges(defn: Drawable) -> set[str]:
    """Transitions that close a cycle in a depth-first walk from the initial stage."""
    back: set[str] = set()
    state: dict[str, int] = {}  # 1 on stack, 2 done

    def visit(key: str) -> None:
        state[key] = 1
        for t in defn.outgoing(key):
            if state.get(t.target) == 1:
                back.add(t.key)
            elif t.target not in state:
                visit(t.target)
        state[key] = 2

    visit(defn.initial)
    return back


def layout(defn: Drawable) -> tuple[dict[str, _Node], set[str], float, float]:
    back = _back_edges(defn)
    forward = [t for t in defn.transitions if t.key not in back]
    layer = {defn.initial: 0}
    changed = True
    while changed:  # longest path on the acyclic forward graph (small graphs: simple relaxation)
        changed = False
        for t in forward:
            if t.source in layer and layer.get(t.target, -1) < layer[t.source] + 1:
                layer[t.target] = layer[t.source] + 1
                changed = True
    nodes = {
        s.key: _Node(
            s.key, s.name, layer.get(s.key, 0), terminal=s.terminal, w=max(96, _text_width(s.name) + 32)
        )
        for s in defn.stages
    }
    rows: dict[int, list[_Node]] = {}
    for s in defn.stages:  # definition order within a layer
        rows.setdefault(nodes[s.key].layer, []).append(nodes[s.key])
    row_widths = {i: sum(n.w for n in row) + GAP_X * (len(row) - 1) for i, row in rows.items()}
    content_w = max([*row_widths.values(), _widest_label_row(defn, nodes, back)])
    left, right = _lane_counts(defn, nodes, back)
    x0 = MARGIN + LABEL_ROOM + left * LANE_W
    width = x0 + content_w + right * LANE_W + LABEL_ROOM + MARGIN
    for i, row in rows.items():
        x = x0 + (content_w - row_widths[i]) / 2
        for n in row:
            n.x, n.y = x, MARGIN + i * ROW_H
            x += n.w + GAP_X
    height = MARGIN * 2 + (max(rows) + 1) * ROW_H - (ROW_H - NODE_H)
    return nodes, back, width, height


LABEL_ROOM = 120
LABEL_GAP = 10


def _kind(t, nodes: dict[str, _Node], back: set[str]) -> str:
    a, b = nodes[t.source], nodes[t.target]
    if t.key in back or b.layer <= a.layer:
        return "up"
    return "adjacent" if b.layer == a.layer + 1 else "skip"


def _lane_counts(defn, nodes, back) -> tuple[int, int]:
    kinds = [_kind(t, nodes, back) for t in defn.transitions]
    return kinds.count("skip"), kinds.count("up")


def _label_w(text: str) -> float:
    return _text_width(text) * 0.85 + 10


def _widest_label_row(defn, nodes, back) -> float:
    rows: dict[int, float] = {}
    for t in defn.transitions:
        if _kind(t, nodes, back) == "adjacent":
            layer = nodes[t.source].layer
            rows[layer] = rows.get(layer, 0) + _label_w(t.name) + LABEL_GAP
    return max(rows.values(), default=0)


def _label(x: float, y: float, text: str) -> str:
    lw = _label_w(text)
    return (
        f'<rect x="{x - lw / 2:.1f}" y="{y - 10:.1f}" width="{lw:.1f}" height="18" rx="3" '
        f'fill="#fff" fill-opacity="0.92"/>'
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="12" fill="#333">{escape(text)}</text>'
    )


def render_svg(defn: Drawable, *, title: str = "执法流程图") -> str:
    nodes, back, width, height = layout(defn)
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family={quoteattr(FONT)} font-size="14" data-procedure={quoteattr(defn.key)}>',
        f"<title>{escape(defn.name)} {escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    ]
    left_edge = min(n.x for n in nodes.values())
    right_edge = max(n.x + n.w for n in nodes.values())
    # adjacent-layer edges: labels side by side in the gap between the two rows
    label_pos: dict[str, tuple[float, float]] = {}
    groups: dict[int, list] = {}
    for t in defn.transitions:
        if _kind(t, nodes, back) == "adjacent":
            groups.setdefault(nodes[t.source].layer, []).append(t)
    for layer, ts in groups.items():
        ts.sort(key=lambda t: (nodes[t.target].cx, nodes[t.source].cx))
        total = sum(_label_w(t.name) for t in ts) + LABEL_GAP * (len(ts) - 1)
        centre = sum((nodes[t.source].cx + nodes[t.target].cx) / 2 for t in ts) / len(ts)
        x = max(left_edge, min(centre - total / 2, right_edge - total))
        y = MARGIN + layer * ROW_H + NODE_H + (ROW_H - NODE_H) / 2
        for t in ts:
            w = _label_w(t.name)
            label_pos[t.key] = (x + w / 2, y)
            x += w + LABEL_GAP
    # shorter spans get the inner lanes so that lanes cross as little as possible
    skips = sorted(
        (t for t in defn.transitions if _kind(t, nodes, back) == "skip"),
        key=lambda t: (nodes[t.target].layer - nodes[t.source].layer, nodes[t.source].layer),
    )
    skip_lanes = {t.key: i + 1 for i, t in enumerate(skips)}
    up_lane = 0
    for t in defn.transitions:
        a, b = nodes[t.source], nodes[t.target]
        kind = _kind(t, nodes, back)
        if kind == "adjacent":
            lx, ly = label_pos[t.key]
            sy, ty = a.y + NODE_H, b.y
            d = (
                f"M{a.cx:.1f},{sy:.1f} C{a.cx:.1f},{ly - 8:.1f} {lx:.1f},{ly - 20:.1f} {lx:.1f},{ly:.1f} "
                f"S{b.cx:.1f},{ty - 12:.1f} {b.cx:.1f},{ty:.1f}"
            )
            dash = ""
        elif kind == "skip":
            skip_lane = skip_lanes[t.key]
            lane_x = left_edge - 16 - skip_lane * LANE_W
            sy, ty = a.y + NODE_H / 2 + 6, b.y + NODE_H / 2 - 6
            d = f"M{a.x:.1f},{sy:.1f} L{lane_x:.1f},{sy:.1f} L{lane_x:.1f},{ty:.1f} L{b.x:.1f},{ty:.1f}"
            # labels of edges leaving the same stage are stacked below it, one row each
            rank = [x.key for x in skips if x.source == t.source].index(t.key)
            lx, ly = lane_x, sy + 22 * (rank + 1)
            dash = ""
        else:
            up_lane += 1
            lane_x = right_edge + 16 + up_lane * LANE_W
            sy, ty = a.y + NODE_H / 2 + 6, b.y - 14
            ex = b.x + b.w * 0.8
            d = (
                f"M{a.x + a.w:.1f},{sy:.1f} L{lane_x:.1f},{sy:.1f} L{lane_x:.1f},{ty:.1f} "
                f"L{ex:.1f},{ty:.1f} L{ex:.1f},{b.y:.1f}"
            )
            lx, ly = lane_x, (sy + ty) / 2
            dash = ' stroke-dasharray="5 4"'
        parts.append(
            f'<g class="transition" data-transition={quoteattr(t.key)}>'
            f"<title>{escape(a.name)} → {escape(b.name)}：{escape(t.name)}</title>"
            f'<path d="{d}" fill="none" stroke="#444" stroke-width="1.4"{dash} marker-end="url(#arrow)"/>'
            f"{_label(lx, ly, t.name)}</g>"
        )
    for s in defn.stages:
        n = nodes[s.key]
        stroke = "#1d4e89"
        extra = (
            f'<rect x="{n.x + 3:.1f}" y="{n.y + 3:.1f}" width="{n.w - 6:.1f}" height="{NODE_H - 6}" rx="5" '
            f'fill="none" stroke="{stroke}"/>'
            if n.terminal
            else ""
        )
        fill = "#e8f0fa" if s.key == defn.initial else "#fff"
        parts.append(
            f'<g class="stage" data-stage={quoteattr(s.key)}>'
            f'<rect x="{n.x:.1f}" y="{n.y:.1f}" width="{n.w:.1f}" height="{NODE_H}" rx="8" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.6"/>{extra}'
            f'<text x="{n.cx:.1f}" y="{n.y + NODE_H / 2 + 5:.1f}" text-anchor="middle" fill="#111">{escape(s.name)}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def render_mermaid(defn: Drawable) -> str:
    lines = ["flowchart TD"]
    for s in defn.stages:
        shape = f'(["{_mermaid_text(s.name)}"])' if s.terminal else f'["{_mermaid_text(s.name)}"]'
        lines.append(f"    {s.key}{shape}")
    for t in defn.transitions:
        lines.append(f'    {t.source} -->|"{_mermaid_text(t.name)}"| {t.target}')
    return "\n".join(lines) + "\n"
