"""Executed notebooks keep token facts (claims, verdicts), never a whole live token.

``make run`` and the notebook tests write executed copies that people share and CI keeps as
artifacts. A signed JWT in them would be a working credential until it expires, so after a run
each token's signature is replaced by a marker: the header and claims still decode (and read
the same), the verdicts recorded beside them stay, but nothing in the file can be replayed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["MARKER", "strip_signatures", "strip_tokens"]

MARKER = "signature-removed"
# A JWS in compact form: base64url JSON header (starts "eyJ", i.e. '{"'), payload, signature.
_JWT = re.compile(r"(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.)([A-Za-z0-9_-]{40,})")
# The signature alone, as a token display shows it in its own coloured span: an RS256
# signature of a 2048-bit key is 256 bytes, 342 base64url characters.
_LONE_SIGNATURE = re.compile(r"(?<![A-Za-z0-9_+/=-])[A-Za-z0-9_-]{342}(?![A-Za-z0-9_+/=-])")


def strip_signatures(text: str) -> str:
    text = _JWT.sub(lambda m: m.group(1) + MARKER, text)
    return _LONE_SIGNATURE.sub(MARKER, text)


def _walk(value: Any) -> Any:
    if isinstance(value, str):
        return strip_signatures(value)
    if isinstance(value, list):
        return [_walk(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k.startswith("image/") else _walk(v)) for k, v in value.items()}
    return value


def strip_tokens(path: Path) -> None:
    """Rewrite an executed notebook with every token signature in its outputs removed."""
    # nbformat pulls in jsonschema's IRI checker (about 3 s of CPU) unless the batch has
    # blocked it first (batch._import_papermill): imported only when a notebook is scrubbed.
    import nbformat

    notebook = nbformat.read(str(path), as_version=4)
    for cell in notebook.cells:
        if "outputs" in cell:
            cell.outputs = [nbformat.from_dict(_walk(dict(o))) for o in cell.outputs]
    # Widget state (a token workbench's text box, say) is saved in the notebook's metadata.
    notebook.metadata = nbformat.from_dict(_walk(dict(notebook.metadata)))
    nbformat.write(notebook, str(path))
