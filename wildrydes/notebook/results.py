"""The results contract between a notebook and its tests: ``record()`` and ``read_results()``.

``record(**values)`` displays one output whose MIME type is
``application/vnd.wildrydes.results+json`` and whose data is ``values`` (JSON). In an executed
notebook, ``read_results(path)`` merges every such output, in cell order, into one dict.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from IPython.display import display

from wildrydes.errors import UsageError
from wildrydes.notebook.password_prompt import known_secrets

__all__ = ["RESULTS_MIME", "read_results", "record"]

RESULTS_MIME = "application/vnd.wildrydes.results+json"


def record(**values: Any) -> None:
    """Record a notebook's results by name, for papermill runs and their tests.

    Displays ``values`` under the ``application/vnd.wildrydes.results+json`` MIME type (and
    as plain JSON text for people). Refuses names or values that carry a secret.
    """
    for name in values:
        if name.lower().replace("_", "") in ("password", "refreshtoken"):
            raise UsageError(f"results never hold secrets, not even {name!r}")
    try:
        text = json.dumps(values, indent=2, sort_keys=True)
    except TypeError as e:
        raise UsageError(f"record() takes JSON values only: {e}") from None
    if any(secret in text for secret in known_secrets()):
        raise UsageError("a recorded value contains the password; record something else")
    display({RESULTS_MIME: json.loads(text), "text/plain": f"results: {text}"}, raw=True)


def read_results(notebook: Any) -> dict[str, Any]:
    """Every value ``record()`` displayed in an executed notebook (a path or a NotebookNode)."""
    if isinstance(notebook, str | Path):
        # nbformat pulls in jsonschema's format checkers (about 0.9 s of CPU), which every
        # notebook's kernel would pay at `from wildrydes import notebook`; only readers of an
        # executed notebook (the tests, the batch) need it.
        import nbformat

        notebook = nbformat.read(str(notebook), as_version=4)
    results: dict[str, Any] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULTS_MIME in data:
                value = data[RESULTS_MIME]
                results.update(json.loads(value) if isinstance(value, str) else value)
    return results
