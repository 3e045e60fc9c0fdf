"""Executed notebooks keep a token's header and claims, never its signature."""

from __future__ import annotations

import base64
import json

import nbformat

from wildrydes import tokens
from wildrydes.tools import scrub


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


SIGNATURE = "A" * 300 + "b-_" * 14  # 342 base64url characters, as an RS256 signature
TOKEN = f"{_b64({'alg': 'RS256', 'kid': 'k'})}.{_b64({'email': 'r@example.com'})}.{SIGNATURE}"


def test_a_token_keeps_its_claims_and_loses_its_signature():
    text = scrub.strip_signatures(f"token: {TOKEN} end")
    assert SIGNATURE not in text and scrub.MARKER in text
    kept = text.split()[1]
    assert kept.rsplit(".", 1)[0] == TOKEN.rsplit(".", 1)[0]
    head, payload, _ = kept.split(".")
    assert tokens.decode(f"{head}.{payload}.AAAA").claims == {"email": "r@example.com"}


def test_a_signature_shown_alone_goes_and_images_stay(tmp_path):
    image = "iVBOR" + "x" * 400
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("show()")]
    notebook.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": f"<span>{SIGNATURE}</span>", "image/png": image}
        )
    ]
    notebook.metadata["widgets"] = {"state": {"value": TOKEN}}
    path = tmp_path / "run.ipynb"
    nbformat.write(notebook, str(path))
    scrub.strip_tokens(path)
    again = path.read_text()
    assert SIGNATURE not in again and again.count(scrub.MARKER) == 2
    assert image in again
