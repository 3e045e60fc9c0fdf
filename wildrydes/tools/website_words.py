"""``python -m wildrydes.tools.website_words`` (``make website-words``): writes js/kit-words.js.

The website reads its next steps and the password policy's words and symbols from
``website/js/kit-words.js``, generated from the one table in :mod:`wildrydes.messages` and the
workshop's policy in :mod:`wildrydes.userpool`, so that the notebooks, the CLI and the pages
say the same things. ``--check`` exits 1 when the committed file differs (a test runs it too).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wildrydes import messages, userpool, website

__all__ = ["WORDS_FILE", "main", "script"]

WORDS_FILE = website.WEBSITE_DIR / "js" / "kit-words.js"


def script() -> str:
    """The file's text, as the table and the workshop's policy make it now."""
    return messages.website_script(userpool.WORKSHOP_POLICY)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wildrydes.tools.website_words")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    parser.add_argument("--output", type=Path, default=WORDS_FILE)
    args = parser.parse_args(argv)
    wanted = script()
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != wanted:
            print(f"{args.output} is stale: run `make website-words`", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(wanted)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
