"""``python -m wildrydes``: the same as the ``wildrydes`` command."""

from wildrydes.tools.cli import main

raise SystemExit(main())
