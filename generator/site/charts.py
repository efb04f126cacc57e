"""Charts of the dashboards as SVG, drawn with matplotlib: print-safe, told apart by marker, dash and
hatch, the same bytes for the same data.
"""

from __future__ import annotations

import io
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..content.i18n import Translator

__all__ = ["Panel", "Series", "chart_svg", "draw_charts"]


# Print-safe styling: black and greys on white; series told apart by marker, dash and hatch.
_RC = {
    "svg.hashsalt": "clause8",
    "svg.fonttype": "none",
    "text.parse_math": False,  # record text such as '$5' is shown as typed
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "text.color": "#111111",
    "axes.labelcolor": "#111111",
    "axes.edgecolor": "#333333",
    "xtick.color": "#111111",
    "ytick.color": "#111111",
    "font.size": 9,
    "axes.titlesize": 10,
    "legend.fontsize": 8,
}
_SHADES = ("#222222", "#777777", "#aaaaaa", "#444444", "#cccccc", "#555555", "#999999", "#eeeeee")
_MARKERS = ("o", "s", "^", "D", "v", "P", "*", "h")
_DASHES = ("-", "--", "-.", ":")
_HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


# --------------------------------------------------------------------------- the one chart helper


@dataclass(frozen=True)
class Series:
    """One line or bar series; ``None`` is a month (or category) without data."""

    label: str
    values: tuple[float | None, ...]
    missed: tuple[bool, ...] = ()  # True where the value missed its target (drawn with an extra marker)


@dataclass(frozen=True)
class Panel:
    """One axes: categories along x, series over them, optionally a horizontal target line."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    ylabel: str
    kind: Literal["line", "bar"] = "line"
    target: float | None = None
    target_label: str = ""
    stacked: bool = False
    integer: bool = False  # counts: whole-number y ticks
    zoom: bool = False  # bars of values close together (percentages near 100): y from just below the smallest


# Charts drawn in this process, by what they show: serve's rebuilds redraw only charts whose data
# changed (drawing is most of a dashboard's cost). Same panels, same bytes, so this is a memo.
_DRAWN: OrderedDict[str, bytes] = OrderedDict()
_DRAWN_KEEP = 64


def chart_svg(panels: Sequence[Panel], t: Translator) -> bytes:
    """Draw ``panels`` (one below the other) as a reproducible SVG document."""
    key = f"{t.lang}|{panels!r}"
    if key in _DRAWN:
        _DRAWN.move_to_end(key)
        return _DRAWN[key]
    svg = _draw_svg(panels, t)
    _DRAWN[key] = svg
    while len(_DRAWN) > _DRAWN_KEEP:
        _DRAWN.popitem(last=False)
    return svg


def draw_charts(charts: dict[str, Sequence[Panel]], t: Translator) -> dict[str, bytes]:
    """Every chart of ``charts`` (file path -> its panels) drawn: file path -> SVG."""
    return {path: chart_svg(panels, t) for path, panels in charts.items()}


def _pyplot() -> Any:
    """matplotlib's pyplot on its file-only backend, imported when the first chart is drawn (a build
    draws its charts in a forked process: the process that converts the pages never imports it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _draw_svg(panels: Sequence[Panel], t: Translator) -> bytes:
    import matplotlib

    plt = _pyplot()
    with matplotlib.rc_context(_RC):
        fig, axes = plt.subplots(len(panels), 1, figsize=(8, 2.9 * len(panels)), squeeze=False)
        try:
            for ax, panel in zip(axes[:, 0], panels):
                _draw(ax, panel, t)
            fig.subplots_adjust(hspace=0.75)  # room for rotated month labels; savefig trims the margins
            out = io.BytesIO()
            fig.savefig(out, format="svg", metadata=_SVG_METADATA, bbox_inches="tight")
        finally:
            plt.close(fig)
    return out.getvalue()


def _draw(ax: Any, panel: Panel, t: Translator) -> None:
    n = len(panel.categories)
    xs = list(range(n))
    width = 0.8 if panel.stacked else 0.8 / max(1, len(panel.series))
    bottoms = [0.0] * n
    missed_x: list[float] = []
    missed_y: list[float] = []
    for i, s in enumerate(panel.series):
        vals = [math.nan if v is None else float(v) for v in s.values]
        if panel.kind == "line":
            ax.plot(xs, vals, label=s.label, color=_SHADES[i % 8], marker=_MARKERS[i % 8],
                    linestyle=_DASHES[i % 4], linewidth=1.4, markersize=4)
            pos = xs
        else:
            pos = [x if panel.stacked else x - 0.4 + width * (i + 0.5) for x in xs]
            heights = [0.0 if math.isnan(v) else v for v in vals]
            ax.bar(pos, heights, width, bottom=bottoms if panel.stacked else None, label=s.label,
                   color="white" if i == 0 else _SHADES[(i + 3) % 8], hatch=_HATCHES[i % 8],
                   edgecolor="#111111", linewidth=[0.6 if h else 0 for h in heights])
            if panel.stacked:
                bottoms = [b + h for b, h in zip(bottoms, heights)]
        for j, miss in enumerate(s.missed):
            if miss and not math.isnan(vals[j]):
                missed_x.append(pos[j])
                missed_y.append(bottoms[j] if panel.kind == "bar" and panel.stacked else vals[j])
    if missed_x:
        ax.plot(missed_x, missed_y, linestyle="none", marker="X", markersize=9, markerfacecolor="white",
                markeredgecolor="#000000", markeredgewidth=1.2, label=t("dashboard.chart.missed"))
    if panel.target is not None:
        ax.axhline(panel.target, color="#000000", linestyle=(0, (5, 3)), linewidth=1,
                   label=panel.target_label or t("dashboard.chart.target"))
    empty = [x for x in xs if all(s.values[x] is None for s in panel.series)]
    for x in empty:  # say it, never draw it as a value
        ax.text(x, 0.03, t("dashboard.no_data"), transform=ax.get_xaxis_transform(), rotation=90,
                ha="center", va="bottom", fontsize=7, color="#111111")
    if panel.kind == "line":
        ax.margins(y=0.12)  # points on the edge stay whole
    if panel.zoom:
        known = [v for s in panel.series for v in s.values if v is not None]
        known += [panel.target] if panel.target is not None else []
        if known:
            low, high = min(known), max(known)
            pad = max((high - low) * 0.25, 0.01)
            ax.set_ylim(low - pad, high + pad)
    step = max(1, math.ceil(n / 14))
    ax.set_xticks(xs[::step], list(panel.categories)[::step], rotation=45 if n > 6 else 0,
                  ha="right" if n > 6 else "center")
    ax.set_xlim(-0.6, n - 0.4)
    if panel.integer:
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
    ax.set_title(panel.title, loc="left")
    ax.set_ylabel(panel.ylabel)
    ax.grid(axis="y", color="#cccccc", linewidth=0.5)
    ax.set_axisbelow(True)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=True, framealpha=1, edgecolor="#999999")
