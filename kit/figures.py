"""Figures for lessons and reports, always with alt text.

Figures are drawn on a bare `matplotlib.figure.Figure` (no pyplot), so they need no
GUI backend, never leak between cells, and render the same in JupyterLab, nbclient and
nbgrader. `show()` puts the PNG in an <img> with alt text for screen readers, and the
same text as a visible caption, so the picture never carries information alone.

matplotlib is imported by the first figure drawn, not by `import kit.figures`: a
lesson's first cell imports this module, and should not wait for matplotlib (about half
a second) before any figure is needed.
"""
from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def new_figure(width: float = 7.0, height: float = 3.6) -> Figure:
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def figure_html(fig: Figure, alt: str, caption: str | None = None) -> str:
    data = base64.b64encode(png_bytes(fig)).decode("ascii")
    cap = html.escape(caption if caption is not None else alt)
    return (f'<figure style="margin:8px 0"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(alt, quote=True)}" style="max-width:100%">'
            f'<figcaption style="font-size:90%">{cap}</figcaption></figure>')


def show(fig: Figure, alt: str, caption: str | None = None) -> None:
    """Display a figure in a notebook with alt text and a caption."""
    from IPython.display import HTML, display
    display(HTML(figure_html(fig, alt, caption)))


def save(fig: Figure, path, alt: str) -> None:
    """Write a PNG and, beside it, its alt text (`<name>.alt.txt`) for reports."""
    from pathlib import Path
    path = Path(path)
    fig.savefig(path, format="png")
    path.with_suffix(".alt.txt").write_text(alt + "\n", encoding="utf-8")
