"""The notebooks' HTML, written once: escaping, tables, settings, verdict marks, claims, figures.

Every ``_repr_html_`` in the kit delegates here, so the colours and the table shape live in one
place. Functions take plain data (strings, pairs, rows) and return HTML; the plain-text form of
the same data is built by the caller from the same data, never from this HTML.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "GREEN",
    "RED",
    "claims_table",
    "code",
    "escape",
    "figure",
    "mark",
    "settings",
    "table",
    "verdict",
]

GREEN = "#1a7f37"
RED = "#cf222e"
_LEFT = "style='text-align:left'"


def escape(value: Any) -> str:
    """Any value as HTML text (quotes too, so it is safe inside attributes)."""
    return html.escape(str(value), quote=True)


def code(value: Any) -> str:
    return f"<code>{escape(value)}</code>"


def mark(ok: bool) -> str:
    """A pass/fail mark in words and colour (readable without an emoji font)."""
    colour, word = (GREEN, "✓ pass") if ok else (RED, "✗ fail")
    return f"<span style='color:{colour};font-weight:bold'>{word}</span>"


def verdict(ok: bool, text: str) -> str:
    """A sentence coloured green or red."""
    return f"<p style='color:{GREEN if ok else RED};font-weight:bold'>{escape(text)}</p>"


def table(head: Sequence[str], rows: Iterable[Sequence[str]], title: str = "") -> str:
    """An HTML table; ``head`` is text (escaped here), cells are HTML already (escape before)."""
    th = "".join(f"<th {_LEFT}>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td {_LEFT}>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    caption = f"<p><b>{escape(title)}</b></p>" if title else ""
    thead = f"<thead><tr>{th}</tr></thead>" if head else ""
    return f"{caption}<table>{thead}<tbody>{body}</tbody></table>"


def settings(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """Named values, one per row: the name in bold, the value as code (None rows left out)."""
    cells = [[f"<b>{escape(k)}</b>", code(v)] for k, v in rows if v is not None]
    return table([], cells, title)


def claims_table(claims: Iterable[Any]) -> str:
    """Claims explained (anything with ``name``, ``display`` and ``meaning``)."""
    rows = [[code(c.name), escape(c.display), escape(c.meaning)] for c in claims]
    return table(["claim", "value", "meaning"], rows)


def figure(src: str, caption: str, width: str = "100%") -> str:
    """An image with its caption (``src`` a URL or a data: URI)."""
    return (
        f"<figure style='margin:4px 0'><img src='{escape(src)}' style='width:{width};"
        f"border:1px solid #ccc'><figcaption>{escape(caption)}</figcaption></figure>"
    )
