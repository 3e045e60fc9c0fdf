"""``python -m wildrydes``: the same as the ``wildrydes`` command."""

from wildrydes.cli import main

raise SystemExit(main())
