"""``python -m wildrydes.local serve --port P [--allow-origin URL ...]``: the embedded
backend in the foreground (what ``wildrydes local start`` runs in the background)."""

import argparse
import contextlib

from wildrydes.local.server import serve

if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m wildrydes.local")
    parser.add_argument("action", choices=["serve"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--allow-origin", action="append", default=[], metavar="URL")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        serve(args.port, allowed_origins=tuple(args.allow_origin))
