"""The committed notebooks: no outputs, imports first, a tagged parameters cell, no secrets."""

from __future__ import annotations

import ast
import json
import secrets

import nbformat
import pytest
from notebook_checks import assert_no_secrets

from wildrydes.tools import batch

NOTEBOOKS = batch.notebooks_in(batch.NOTEBOOKS_DIR)
EXPECTED = [
    "00_setup",
    "01_create_user_pool",
    "02_add_app_client",
    "03_update_config_js",
    "04_register_and_verify",
    "05_sign_in_with_srp",
    "06_decode_the_auth_token",
    "07_validate_in_the_browser",
    "08_instructor_demos",
    "09_the_token_at_work",
    "99_cleanup",
]


def test_the_workshop_has_its_notebooks_in_order():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count"
    assert "widgets" not in nb.metadata, f"{path.name} carries saved widget state"
    assert nb.metadata.kernelspec.name == batch.KERNEL_NAME


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_imports_first_then_a_tagged_parameters_cell(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    first = ast.parse(code[0].source)
    assert first.body and all(isinstance(s, ast.Import | ast.ImportFrom) for s in first.body)

    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged parameters"
    assert code.index(tagged[0]) == 1, "the parameters cell comes right after the imports"
    names = {
        t.id
        for s in ast.parse(tagged[0].source).body
        if isinstance(s, ast.Assign)
        for t in s.targets
    }
    assert {"backend", "region", "bucket", "email"} <= names
    assert "password" not in tagged[0].source.lower(), "a password is never a parameter"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_records_its_results_last(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert code[-1].source.startswith("nb.record("), f"{path.name} ends without nb.record()"


def test_teaching_diagrams_are_mermaid():
    def markdown(name: str) -> str:
        nb = nbformat.read(batch.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
        return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")

    assert "```mermaid\nflowchart" in markdown("00_setup")
    srp = markdown("05_sign_in_with_srp")
    assert "```mermaid\nsequenceDiagram" in srp
    for step in ("InitiateAuth", "PASSWORD_VERIFIER", "RespondToAuthChallenge"):
        assert step in srp


# ------------------------------------------------------------------ the secret search itself


def _notebook_with(tmp_path, text: str):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/html": text})]
    nb.cells.append(cell)
    path = tmp_path / "out.ipynb"
    nbformat.write(nb, path)
    return path


def test_secret_search_finds_a_password_and_a_refresh_token(tmp_path):
    password = batch.make_password()
    with pytest.raises(AssertionError, match="password"):
        assert_no_secrets(_notebook_with(tmp_path, f"<p>typed: {password}</p>"), password)
    quoted = 'Ab1"x\\y!z9'
    with pytest.raises(AssertionError, match="password"):
        assert_no_secrets(_notebook_with(tmp_path, json.dumps({"p": quoted})), quoted)
    refresh = secrets.token_urlsafe(96)  # what the local backend issues
    with pytest.raises(AssertionError, match="opaque"):
        assert_no_secrets(_notebook_with(tmp_path, f"<td>{refresh}</td>"), password)
    jwe = ".".join(secrets.token_urlsafe(n) for n in (30, 200, 12, 900, 16))  # AWS's shape
    with pytest.raises(AssertionError, match="opaque"):
        assert_no_secrets(_notebook_with(tmp_path, jwe), password)


def test_secret_search_allows_jwts_and_images(tmp_path):
    header = "eyJhbGciOiJSUzI1NiJ9"
    jwt = f"{header}.{secrets.token_urlsafe(300)}.{secrets.token_urlsafe(256)}"
    coloured = jwt.replace(".", "</span>.<span style='color:red'>")
    image = "data:image/png;base64," + secrets.token_urlsafe(3000).replace("-", "+")
    assert_no_secrets(
        _notebook_with(tmp_path, f"{jwt} <span>{coloured}</span> <img src='{image}'>"),
        "Not-Here-1!",
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_links_the_previous_and_the_next_at_top_and_bottom(path):
    cells = nbformat.read(path, as_version=4).cells
    at = NOTEBOOKS.index(path)
    wanted = []
    if at > 0:
        wanted.append(f"]({NOTEBOOKS[at - 1].name})")
    if at + 1 < len(NOTEBOOKS):
        wanted.append(f"]({NOTEBOOKS[at + 1].name})")
    for cell in (cells[0], cells[-1]):
        assert cell.cell_type == "markdown"
        for link in wanted:
            assert link in cell.source, f"{path.name}: no link {link} in {cell.source[:80]!r}"


def test_07_verifies_the_browsers_token_with_the_helper_not_by_hand():
    source = "\n".join(
        c.source
        for c in nbformat.read(
            batch.NOTEBOOKS_DIR / "07_validate_in_the_browser.ipynb", as_version=4
        ).cells
    )
    assert "accounts.verify_token(kit, token" in source
    assert "fetch_jwks" not in source and "tokens.verify(" not in source


# ------------------------------------------------------------------ what the notebooks teach


def _markdown(name: str) -> str:
    nb = nbformat.read(batch.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_ends_with_what_was_learned(path):
    last = nbformat.read(path, as_version=4).cells[-1]
    assert last.source.startswith("## What you learned\n"), path.name
    assert last.source.count("\n* ") >= 3, f"{path.name}: say what was learned, point by point"


def test_sentences_issue_22_found_wrong_stay_fixed():
    # Notebook 06: the ride API gets the id token (the original ride.js sends getIdToken();
    # API Gateway's Cognito authorizer without scopes expects an id token).
    intro = (
        nbformat.read(batch.NOTEBOOKS_DIR / "06_decode_the_auth_token.ipynb", as_version=4)
        .cells[0]
        .source
    )
    access = next(line for line in intro.split("\n* ") if line.startswith("the **access token**"))
    assert "module" not in access and "ride API" not in access
    assert "the ride API of a later module receives" in intro
    # Notebook 05: Cognito's group is RFC 3526's with g = 2; RFC 5054 pairs the prime with 5.
    srp = _markdown("05_sign_in_with_srp")
    assert "RFC 3526" in srp and "`g = 2`" in srp and "`g = 5`" in srp
    assert "USERNAME, TIMESTAMP, PASSWORD_CLAIM_SECRET_BLOCK" in srp
    assert "within a few" in srp and "plain HTTP" in srp
    # Passwords: SignUp sends it; only SRP keeps it home; storage of a verifier is the kit's.
    assert "without ever receiving" not in _markdown("00_setup")
    assert "which keeps only a verifier" not in _markdown("04_register_and_verify")
    # Notebook 99: a stop keeps the local backend's data (README, and the restart test).
    assert "everything it held is then gone" not in _markdown("99_cleanup")
    # Notebook 06: expiry is checked at exp + 60 s, whatever the lifetime.
    assert "an hour and a minute" not in _markdown("06_decode_the_auth_token")
