"""Words of teaching prose per line of code, per workshop notebook.

    python benchmarks/notebook_prose.py [NOTEBOOK_DIR]     # default: this checkout's notebooks/

Issue 18 (item 8) asks for about 20 words of prose per line of code, the rate of the Python Data
Science Handbook. Counted here, from the committed notebooks (nothing is executed):

* prose: the words of every markdown cell, without fenced blocks (the mermaid diagrams) and
  without the previous/next navigation lines (a word is a run of letters or digits);
* code: the non-blank lines of every code cell that are not comments only, the parameters
  cell included (the learner reads and edits it).

Prints one row per notebook (prose words, code lines, words per line) and the whole workshop.
Nothing is asserted: it measures.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

__all__ = ["Count", "count", "main"]

_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_NAVIGATION = re.compile(r"^\s*(←|Next:)")


class Count:
    """Prose words and code lines of one notebook."""

    def __init__(self, name: str, words: int, lines: int) -> None:
        self.name, self.words, self.lines = name, words, lines

    @property
    def per_line(self) -> float:
        return self.words / self.lines if self.lines else 0.0


def _prose_words(source: str) -> int:
    text = _FENCE.sub(" ", source)
    kept = [line for line in text.splitlines() if not _NAVIGATION.match(line)]
    return len(_WORD.findall("\n".join(kept)))


def _code_lines(source: str) -> int:
    return sum(
        1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#")
    )


def count(path: Path) -> Count:
    """Prose words and code lines of the notebook at ``path``."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    words = lines = 0
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            words += _prose_words(source)
        elif cell["cell_type"] == "code":
            lines += _code_lines(source)
    return Count(path.stem, words, lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "notebooks"
    counts = [count(p) for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]
    width = max(len(c.name) for c in counts)
    print(f"{'notebook'.ljust(width)}  prose words  code lines  words/line")
    for c in counts:
        print(f"{c.name.ljust(width)}  {c.words:>11}  {c.lines:>10}  {c.per_line:>10.1f}")
    total = Count("all", sum(c.words for c in counts), sum(c.lines for c in counts))
    print(f"{'all'.ljust(width)}  {total.words:>11}  {total.lines:>10}  {total.per_line:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
