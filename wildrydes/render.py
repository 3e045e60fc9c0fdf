"""The notebooks' HTML, written once: escaping, tables, settings, verdict marks, claims, figures.

Every ``_repr_html_`` in the kit delegates here, so the colours and the table shape live in one
place. Functions take plain data (strings, pairs, rows) and return HTML; the plain-text form of
the same data is built by the caller from the same data, never from this HTML.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "AMBER",
    "GREEN",
    "RED",
    "claims_table",
    "code",
    "coloured",
    "done",
    "escape",
    "inline",
    "failure",
    "figure",
    "link",
    "mark",
    "settings",
    "table",
    "tinted",
    "verdict",
]

GREEN = "#1a7f37"
RED = "#cf222e"
AMBER = "#9a6700"  # neither pass nor fail: a check that could not be made
_LEFT = "style='text-align:left'"


def escape(value: Any) -> str:
    """Any value as HTML text (quotes too, so it is safe inside attributes)."""
    return html.escape(str(value), quote=True)


def inline(text: Any) -> str:
    """Prose for a page: escaped, with `backticked` words as code (as Markdown shows them),
    so a next step like "run `wildrydes up`" never shows its backticks."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def code(value: Any) -> str:
    return f"<code>{escape(value)}</code>"


def tinted(colour: str, text: str) -> str:
    """Text in bold and a colour (GREEN, RED, AMBER)."""
    return f"<span style='color:{colour};font-weight:bold'>{escape(text)}</span>"


def mark(ok: bool, yes: str = "pass", no: str = "fail") -> str:
    """A pass/fail mark in words and colour (readable without colour and without an emoji
    font): a mark, a word, and green or red."""
    return tinted(GREEN, f"✓ {yes}") if ok else tinted(RED, f"✗ {no}")


def done(text: str) -> str:
    """A step that worked, as one green line."""
    return f"<p style='color:{GREEN}'>✓ {escape(text)}</p>"


def failure(code: str, said: str, hint: str, next_label: str, *, boxed: bool = False) -> str:
    """A refusal: a red "failed (code)" mark, what AWS said, then on its own line the next step
    (``next_label`` in bold, then ``hint``, its `backticked` commands as code); ``boxed``
    draws a red bar on its left."""
    head = mark(False, no=f"failed ({code})" if code else "failed")
    next_step = f"<div><b>{escape(next_label)}</b> {inline(hint)}</div>" if hint else ""
    style = f" style='border-left:4px solid {RED};padding:4px 10px'" if boxed else ""
    return f"<div{style}>{head}<div>{escape(said)}</div>{next_step}</div>"


def verdict(ok: bool | None, text: str) -> str:
    """A sentence coloured green or red (amber for None: neither passed nor failed)."""
    colour = AMBER if ok is None else GREEN if ok else RED
    return f"<p style='color:{colour};font-weight:bold'>{escape(text)}</p>"


def table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    title: str = "",
    *,
    css_class: str = "",
    empty: str = "",
) -> str:
    """An HTML table; ``head`` is text (escaped here), cells are HTML already (escape before).
    ``css_class`` names the table (for a page's tests); ``empty`` is the one row of no rows."""
    rows = list(rows)
    if not rows and empty:
        rows = [[escape(empty)]]
    th = "".join(f"<th {_LEFT}>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td {_LEFT}>{c}</td>" for c in row) + "</tr>" for row in rows)
    caption = f"<p><b>{escape(title)}</b></p>" if title else ""
    thead = f"<thead><tr>{th}</tr></thead>" if head else ""
    named = f" class='{escape(css_class)}'" if css_class else ""
    return f"{caption}<table{named}>{thead}<tbody>{body}</tbody></table>"


def settings(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """Named values, one per row: the name in bold, the value as code (None rows left out)."""
    cells = [[f"<b>{escape(k)}</b>", _value(v)] for k, v in rows if v is not None]
    return table([], cells, title)


def _value(value: Any) -> str:
    """A value as code; a URL (or a path through Jupyter's proxy) as a link a person clicks."""
    text = str(value)
    if text.startswith(("http://", "https://")) or (
        text.startswith("/") and "/wildrydes/" in text and " " not in text
    ):
        return link(text, text, as_code=True)
    if "`" in text:
        return inline(text)
    return code(value)


def claims_table(claims: Iterable[Any]) -> str:
    """Claims explained (anything with ``name``, ``display`` and ``meaning``)."""
    rows = [[code(c.name), escape(c.display), escape(c.meaning)] for c in claims]
    return table(["claim", "value", "meaning"], rows)


def link(href: str, text: str, *, as_code: bool = False) -> str:
    """A link that opens in a new tab."""
    shown = code(text) if as_code else escape(text)
    return f"<a href='{escape(href)}' target='_blank'>{shown}</a>"


def coloured(ok: bool, inner_html: str) -> str:
    """A block of HTML in green (ok) or red."""
    return f"<div style='color:{GREEN if ok else RED}'>{inner_html}</div>"


def figure(png: bytes, caption: str, max_width: str = "360px", *, wide: bool = False) -> str:
    """A PNG with its caption, side by side with its neighbours; ``wide``: one per row at the
    output's full width (capped at a screenshot's own 1280 px), so its words can be read."""
    src = "data:image/png;base64," + base64.b64encode(png).decode()
    if wide:
        return (
            "<figure style='display:block;margin:8px 0'>"
            f"<figcaption><b>{escape(caption)}</b></figcaption>"
            "<img style='width:100%;max-width:1280px;border:1px solid #ccc' "
            f"alt='{escape(caption)}' src='{src}'></figure>"
        )
    return (
        "<figure style='display:inline-block;margin:4px;vertical-align:top'>"
        f"<img style='max-width:{max_width};border:1px solid #ccc' src='{src}'>"
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )
