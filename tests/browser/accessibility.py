"""axe-core (from npm, pinned in tests/browser/axe/package-lock.json) run on a page, and the
contrast arithmetic of WCAG 2.1 for what axe does not measure (the focus indicator)."""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# axe-core's tags for the WCAG 2.0 and 2.1 success criteria at levels A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REPORT = ARTIFACTS / "axe-violations.json"

_RUN = """async (tags) => {
  const result = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}"""


def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE}): run `make setup`", pytrace=False)
    return AXE.read_text(encoding="utf-8")


def violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now.

    The pages' Content-Security-Policy allows only their own scripts, so axe is evaluated
    through the DevTools protocol (which CSP does not govern) rather than added as a tag."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(_RUN, WCAG_21_AA)


def record(state: str, found: list[dict[str, Any]]) -> None:
    """Add this state's violations (rule id -> node count) to artifacts/axe-violations.json."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    seen = json.loads(REPORT.read_text()) if REPORT.is_file() else {}
    seen[state] = {v["id"]: len(v["nodes"]) for v in found}
    REPORT.write_text(json.dumps(seen, indent=2, sort_keys=True))


def summary(found: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes']}" for v in found)


# -- contrast (WCAG 2.1, "contrast ratio" and "relative luminance") ---------------------------
_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def rgba(css: str) -> tuple[float, float, float, float]:
    match = _RGB.fullmatch(css.strip())
    assert match, f"not an rgb() colour: {css}"
    r, g, b, a = match.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def over(top: str, bottom: str) -> str:
    """The colour top shows as when painted over the opaque colour bottom."""
    r1, g1, b1, a = rgba(top)
    r2, g2, b2, _ = rgba(bottom)
    mix = [round(x * a + y * (1 - a), 3) for x, y in ((r1, r2), (g1, g2), (b1, b2))]
    return f"rgb({mix[0]}, {mix[1]}, {mix[2]})"


def luminance(css: str) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = rgba(css)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# -- the focus indicator, measured in pixels --------------------------------------------------
def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """(width, height, RGB pixels row by row) of an 8-bit RGB or RGBA, non-interlaced PNG (what
    Chromium's screenshots are); PNG specification, sections 11.2.2 (IHDR) and 9 (filters)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "an unexpected PNG"
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + guess) & 0xFF
        rows.append(line)
        previous = line
    pixels = [
        (row[x * channels], row[x * channels + 1], row[x * channels + 2])
        for row in rows
        for x in range(width)
    ]
    return width, height, pixels


def _css(rgb: tuple[int, int, int]) -> str:
    return f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})"


def focus_change(page: Any, margin: int = 8) -> tuple[int, int]:
    """(pixels that change by at least 3:1 when the focused element loses focus, the minimum
    such an indicator should have): a box around the element is shot focused and unfocused.

    The minimum is the element's perimeter (of each line box, for a link that wraps) times 2
    CSS pixels, the area WCAG 2.2's "focus appearance" asks of an indicator; WCAG 2.1 AA
    (2.4.7, 1.4.11) asks a visible indicator of 3:1 against what is next to it, which a solid
    ring that large meets."""
    box = page.evaluate(
        """() => { const e = document.activeElement, r = e.getBoundingClientRect();
                   let perimeter = 0;
                   for (const b of e.getClientRects()) perimeter += 2 * (b.width + b.height);
                   return {x: r.x, y: r.y, width: r.width, height: r.height, perimeter}; }"""
    )
    clip = {
        "x": max(box["x"] - margin, 0),
        "y": max(box["y"] - margin, 0),
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }
    page.wait_for_timeout(250)  # the pages' transitions take 0.15 s
    focused = png_pixels(page.screenshot(clip=clip, animations="disabled"))
    page.evaluate("window.__wrFocused = document.activeElement; document.activeElement.blur()")
    page.wait_for_timeout(250)
    plain = png_pixels(page.screenshot(clip=clip, animations="disabled"))
    page.evaluate("window.__wrFocused.focus({focusVisible: true})")
    changed = sum(
        1
        for a, b in zip(focused[2], plain[2], strict=True)
        if a != b and contrast(_css(a), _css(b)) >= 3
    )
    return changed, round(2 * box["perimeter"])
