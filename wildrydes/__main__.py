"""``python -m wildrydes``: the same as the ``wildrydes`` command.

``local serve`` (how ``wildrydes local start`` runs the backend) skips the command line's
parser and the client side it imports: every start of the backend waits for this process.
"""

import gc
import os
import sys

# Paused from the imports on, as cli.main pauses it for a command (backend.collector_paused);
# the backend, which lives long, turns it back on once it is built (local.serving.serve).
gc.disable()
if sys.argv[1:3] == ["local", "serve"]:
    from wildrydes.tools.serve import main as serve_main

    raise SystemExit(serve_main(sys.argv[3:]))


def _starts_local_backend(argv: list[str], backend: str | None) -> bool:
    """Will this command start the embedded backend? ``up`` and ``check`` do, on ``local``
    (``--backend`` or $WILDRYDES_BACKEND, as wildrydes.backend.connect reads them)."""
    if not argv or argv[0] not in ("up", "check") or "-h" in argv or "--help" in argv:
        return False
    for i, word in enumerate(argv):
        if word == "--backend" and i + 1 < len(argv):
            backend = argv[i + 1]
        elif word.startswith("--backend="):
            backend = word.partition("=")[2]
    return (backend or "local").strip().lower() == "local"


if _starts_local_backend(sys.argv[1:], os.environ.get("WILDRYDES_BACKEND")):
    # Begun before the command line's imports (~0.1 s), which then overlap the backend's start.
    from wildrydes.local import head_start

    head_start.begin()

from wildrydes.tools.cli import main  # noqa: E402 - after the collector is paused

raise SystemExit(main())
