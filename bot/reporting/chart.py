"""Bar charts as PNG images, drawn with matplotlib's Agg renderer (no display needed)."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

# Okabe–Ito colours: told apart by colour-blind readers and on a cheap phone screen alike.
PALETTE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#000000",
)
_LABEL_WIDTH = 28  # characters per line of a category label before it wraps


@dataclass(frozen=True)
class Series:
    """One stacked segment of every bar: its legend label, one value per category, a colour.

    Give each series a fixed colour (e.g. per case state) so charts of different periods match;
    without one, the palette is used in order.
    """

    label: str
    values: tuple[int, ...]
    color: str | None = None


def stacked_bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_label: str,
    empty_text: str,
) -> bytes:
    """A horizontal stacked bar chart as PNG bytes; `empty_text` is shown when all bars are 0.

    Bars are horizontal so long Vietnamese field names stay readable on a phone.
    """
    # Imported here: matplotlib takes half a second to import, and only reports need it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    shown = [s for s in series if any(s.values)]
    height = min(12.0, max(3.6, 1.6 + 0.55 * len(categories)))
    figure = Figure(figsize=(9.0, height), dpi=110, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=13, loc="left")
    if not shown:
        axes.set_axis_off()
        axes.text(0.5, 0.5, empty_text, ha="center", va="center", fontsize=12)
    else:
        labels = [textwrap.fill(name, _LABEL_WIDTH) for name in categories]
        positions = list(range(len(categories)))
        left = [0] * len(categories)
        for index, segment in enumerate(shown):
            axes.barh(
                positions,
                segment.values,
                left=left,
                label=segment.label,
                color=segment.color or PALETTE[index % len(PALETTE)],
                edgecolor="white",
                height=0.65,
            )
            left = [a + b for a, b in zip(left, segment.values, strict=True)]
        for position, total in zip(positions, left, strict=True):
            axes.text(total, position, f" {total}", va="center", fontsize=10)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()  # first category on top, like the text report
        axes.set_xlabel(value_label)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max(left) * 1.12 + 0.5)
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", alpha=0.3)
        # Below the plot, so it never hides a bar however long the bars are.
        figure.legend(loc="outside lower center", ncols=3, fontsize=9, frameon=False)
    FigureCanvasAgg(figure)  # Agg draws without a display; never pyplot, which keeps globals
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def grouped_bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_label: str,
    empty_text: str,
) -> bytes:
    """Horizontal bars side by side per category (e.g. received, answered, overdue) as PNG bytes.

    Used by the briefing pack, where the series are different measures of one case load, so
    stacking them would add what must not be added.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    shown = [s for s in series if any(s.values)]
    height = min(14.0, max(3.6, 1.6 + 0.3 * len(categories) * max(len(shown), 1)))
    figure = Figure(figsize=(9.0, height), dpi=110, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=13, loc="left")
    if not shown:
        axes.set_axis_off()
        axes.text(0.5, 0.5, empty_text, ha="center", va="center", fontsize=12)
    else:
        bar = 0.8 / len(shown)
        largest = 0
        for index, segment in enumerate(shown):
            positions = [c + (index - (len(shown) - 1) / 2) * bar for c in range(len(categories))]
            axes.barh(
                positions,
                segment.values,
                height=bar,
                label=segment.label,
                color=segment.color or PALETTE[index % len(PALETTE)],
                edgecolor="white",
            )
            for position, value in zip(positions, segment.values, strict=True):
                if value:
                    axes.text(value, position, f" {value}", va="center", fontsize=9)
            largest = max(largest, *segment.values)
        axes.set_yticks(
            list(range(len(categories))), [textwrap.fill(n, _LABEL_WIDTH) for n in categories]
        )
        axes.invert_yaxis()
        axes.set_xlabel(value_label)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, largest * 1.12 + 0.5)
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", alpha=0.3)
        figure.legend(loc="outside lower center", ncols=len(shown), fontsize=9, frameon=False)
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
