"""``python -m wildrydes``: the same as the ``wildrydes`` command.

``local serve`` (how ``wildrydes local start`` runs the backend) skips the command line's
parser and the client side it imports: every start of the backend waits for this process.
"""

import gc
import sys

# Paused from the imports on, as cli.main pauses it for a command (backend.collector_paused);
# the backend, which lives long, turns it back on once it is built (local.serving.serve).
gc.disable()
if sys.argv[1:3] == ["local", "serve"]:
    from wildrydes.tools.serve import main as serve_main

    raise SystemExit(serve_main(sys.argv[3:]))

from wildrydes.tools.cli import main  # noqa: E402 - after the collector is paused

raise SystemExit(main())
