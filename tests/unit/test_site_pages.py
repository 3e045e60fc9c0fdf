"""The five pages share their head, header and footer: identical apart from the current page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[2] / "website"
PAGES = ["index", "register", "verify", "signin", "ride"]


def _block(page: str, pattern: str) -> str:
    found = re.search(pattern, (SITE / f"{page}.html").read_text(), re.S)
    assert found, f"{page}.html has no {pattern}"
    return found.group(0)


def _head(page: str) -> str:
    """The head without what names the page: its title, description and own module."""
    head = _block(page, r"<head>.*?</head>")
    head = re.sub(r"\s*<title>.*?</title>", "", head)
    head = re.sub(r'\s*<meta name="description"[^>]*>', "", head)
    own = rf'\s*<script type="module" src="js/pages/{page}\.js"></script>'
    assert re.search(own, head), f"{page}.html does not load js/pages/{page}.js"
    return re.sub(own, "", head)


def _header(page: str) -> str:
    header = _block(page, r'<header class="site-header">.*?</header>')
    return header.replace(' aria-current="page"', "")


def _footer(page: str) -> str:
    return _block(page, r'<footer class="site-footer">.*?</footer>')


@pytest.mark.parametrize("part", [_head, _header, _footer], ids=["head", "header", "footer"])
def test_shared_blocks_are_identical_across_the_pages(part):
    first = part(PAGES[0])
    for page in PAGES[1:]:
        assert part(page) == first, f"{page}.html's {part.__name__[1:]} differs from index.html's"


@pytest.mark.parametrize("page", PAGES[1:])
def test_the_header_marks_the_current_page_once(page):
    header = _block(page, r'<header class="site-header">.*?</header>')
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', header) == [f"{page}.html"]


def test_every_page_titles_itself():
    titles = [
        re.search(r"<title>(.*?)</title>", (SITE / f"{p}.html").read_text()).group(1) for p in PAGES
    ]
    assert len(set(titles)) == len(PAGES) and all("Wild Rydes" in t for t in titles)
