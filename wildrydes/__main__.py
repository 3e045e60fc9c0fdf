"""The ``wildrydes`` command (the console script calls :func:`run`), and ``python -m wildrydes``.

``local serve`` (how ``wildrydes local start`` runs the backend) skips the command line's
parser and the client side it imports: every start of the backend waits for this process.
"""

import gc
import os
import sys

__all__ = ["run"]


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


def run() -> int:
    """Run the command in ``sys.argv``; its exit code."""
    # Paused from the imports on, as cli.main pauses it for a command (backend.collector_paused);
    # the backend, which lives long, turns it back on once it is built (local.serving.serve).
    gc.disable()
    argv = sys.argv[1:]
    if argv[:2] == ["local", "serve"]:
        from wildrydes.tools.serve import main as serve_main

        return serve_main(argv[2:])
    if _starts_local_backend(argv, os.environ.get("WILDRYDES_BACKEND")):
        # Begun before the command line's imports (~0.1 s), which then overlap the backend's
        # start.
        from wildrydes.local import head_start

        head_start.begin()
    from wildrydes.tools.cli import main

    try:
        return main()
    finally:
        # A command ends here: the objects it made are moved out of the collector's sight, so
        # that the interpreter's exit does not walk them all once more (~30 ms of a warm `up`,
        # benchmarks/floors.py).
        gc.freeze()


if __name__ == "__main__":
    raise SystemExit(run())
