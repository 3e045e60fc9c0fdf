"""Every workshop notebook, executed by papermill on a fresh embedded backend: in order, and alone.

Each notebook records its results by name (``wildrydes.notebook.record``); the checks below
assert on those values and re-check tokens against the pool's JWKS from here. Executed
notebooks are searched for the password and for anything shaped like a refresh token.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

import nbformat
import pytest
from notebook_checks import assert_no_secrets

from wildrydes import tokens
from wildrydes.accounts import username_for
from wildrydes.notebook import read_results
from wildrydes.tools import batch

pytestmark = pytest.mark.notebooks

NOTEBOOKS = batch.notebooks_in(batch.NOTEBOOKS_DIR)
POOL_ID = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
SRP_PARAMETERS = [
    "PASSWORD_CLAIM_SECRET_BLOCK",
    "PASSWORD_CLAIM_SIGNATURE",
    "SRP_A",
    "TIMESTAMP",
    "USERNAME",
]


def by_name(name: str) -> Path:
    return next(p for p in NOTEBOOKS if p.stem == name)


def jwks_for(results: dict[str, Any], endpoint_url: str) -> dict[str, Any]:
    url = tokens.jwks_url(results.get("region", "us-east-1"), results["user_pool_id"], endpoint_url)
    return tokens.fetch_jwks(url)


def assert_id_token_verifies(results: dict[str, Any], endpoint_url: str, email: str) -> None:
    """The notebook verified its id token against the pool's JWKS and recorded the facts (an
    executed copy keeps claims and verdicts, never the token itself)."""
    assert results["id_token_valid"] is True
    claims = results.get("id_token_claims") or results["claims"]
    assert claims["email"] == email and claims["token_use"] == "id"
    assert claims["iss"] == (
        f"https://cognito-idp.us-east-1.amazonaws.com/{results['user_pool_id']}"
    )
    assert jwks_for(results, endpoint_url)["keys"], "the pool publishes its keys"


# ------------------------------------------------------------------ what each notebook records


def check_00(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert r["backend"] == "local" and r["region"] == "us-east-1"
    assert r["endpoint_url"] == ctx["endpoint_url"]
    assert r["website_url"] == f"{ctx['endpoint_url']}/{r['bucket']}/"


def check_01(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert POOL_ID.match(r["user_pool_id"]), r["user_pool_id"]
    assert r["user_pool_arn"].endswith(f":userpool/{r['user_pool_id']}")
    assert r["region"] == "us-east-1"
    assert r["password_policy"] == {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        # Cognito fills it in when the request leaves it out (API Reference, PasswordPolicyType)
        "TemporaryPasswordValidityDays": 7,
    }
    assert r["auto_verified"] == ["email"]


def check_02(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert POOL_ID.match(r["user_pool_id"])
    assert re.fullmatch(r"[0-9a-z]+", r["app_client_id"])
    assert r["has_secret"] is False
    assert r["auth_flows"] == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]


def check_03(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert POOL_ID.match(r["user_pool_id"])
    assert r["config_js"]["userPoolId"] == r["user_pool_id"]
    assert r["config_js"]["userPoolClientId"] == r["app_client_id"]
    assert r["config_js"]["region"] == r["region"] == "us-east-1"
    # Relative to the page: the backend directly, or through Jupyter's proxy on a hub.
    assert r["config_js"]["endpoint"] == "../"
    assert urllib.parse.urljoin(r["website_url"], "../") == ctx["endpoint_url"] + "/"


def check_04(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert r["email"] == ctx["email"]
    assert r["username"] == username_for(ctx["email"])
    assert r["user_status"] == "CONFIRMED" and r["email_verified"] is True


def check_05(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert r["signed_in"] is True and r["username"] == username_for(ctx["email"])
    assert r["password_found"] == 0 and r["requests_searched"] >= 4
    assert r["parameters_sent"] == SRP_PARAMETERS
    assert r["srp_a_hex_digits"] > 700 and r["u_is_nonzero"] is True
    assert r["id_token_claims"]["token_use"] == "id" and "id_token" not in r


def check_06(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert r["id_token_valid"] is True and r["access_token_valid"] is True
    assert r["forged_failed"] == ["signature"]
    assert r["later_failed"] == ["expiry"]
    claims = r["claims"]
    assert claims["email"] == ctx["email"]
    assert claims["cognito:username"] == username_for(ctx["email"])
    assert claims["aud"] == r["app_client_id"] and claims["token_use"] == "id"
    assert claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{r['user_pool_id']}"
    # An SRP sign-in's access token is for Cognito's own user APIs (notebook 06's first cell).
    assert r["access_claims"] == {
        "client_id": r["app_client_id"],
        "token_use": "access",
        "username": username_for(ctx["email"]),
        "scope": "aws.cognito.signin.user.admin",
    }
    assert_id_token_verifies(r, ctx["endpoint_url"], ctx["email"])


def check_07(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert r["pages_ok"] is True
    assert r["config_js"]["userPoolId"] == r["user_pool_id"]
    assert r["config_js"]["userPoolClientId"] == r["app_client_id"]
    assert r["token_valid"] is True
    if r["screenshots"]:  # Chromium was there: the website walk happened
        assert r["screenshots"] == ["register", "verify", "signin", "ride"]
        assert r["token_source"] == "shown on the ride page in headless Chromium"
        assert r["token_email"] == r["browser_email"] == ctx["email"].replace("@", "+browser@")
    else:
        assert r["token_source"] == "signed in from Python"
        assert r["token_email"] == ctx["email"]


def check_08(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert r["any_token_keys"] == "the local backend"
    checks = r["any_token_checks"]
    # No pool and no app client named: issuer and audience not checked, said so, never valid.
    assert checks.pop("audience") is False and checks.pop("issuer") is False
    assert all(checks.values()), checks
    assert r["pinned_ok"] is True  # checked against the pool it must come from
    # A genuine token of another pool: its signature holds, the expected pool refuses it.
    assert r["other_pool_signature"] is True
    assert {"key", "issuer", "audience"} <= set(r["other_pool_failed"])
    assert r["forged_failed"] == ["signature"]
    assert r["lifetime_minutes"] == 60
    assert r["refreshed"] is True
    # After GlobalSignOut: Cognito refuses the refresh token and GetUser; offline checks pass.
    assert list(r["after_sign_out"].values()) == [False, False, True, True], r["after_sign_out"]
    assert r["groups"] == ["admins"] == r["access_groups"]
    me = r["users"][username_for(ctx["email"])]
    assert me == {"status": "CONFIRMED", "email_verified": True, "groups": ["admins"]}


def check_09(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    """Each call's status, body and the authorizer rule that decided it (see
    wildrydes/local/ride/authorizer.py for each rule's source)."""
    unauthorized = {"message": "Unauthorized"}
    assert r["answers"] == {
        "no_token": [401, unauthorized, "token source"],
        "access": [401, unauthorized, "token type"],
        "expired": [401, {"message": "The incoming token has expired"}, "expiry"],
        "other_pool": [401, unauthorized, "issuer"],
        "forged": [401, unauthorized, "signature"],
    }
    assert r["ride_status"] == 201
    assert r["rider"] == r["token_username"] == username_for(ctx["email"])
    assert r["unicorn"] in {"Bucephalus", "Shadowfax", "Rocinante"}
    assert r["invoke_url"].endswith("/_api/prod")


def check_99(r: dict[str, Any], ctx: dict[str, Any]) -> None:
    assert r["user_pool_left"] is None and r["app_client_left"] is None
    assert r["checks_after"] == {"user pool": False, "app client": False, "config.js": False}


CHECKS = {
    "00_setup": check_00,
    "01_create_user_pool": check_01,
    "02_add_app_client": check_02,
    "03_update_config_js": check_03,
    "04_register_and_verify": check_04,
    "05_sign_in_with_srp": check_05,
    "06_decode_the_auth_token": check_06,
    "07_validate_in_the_browser": check_07,
    "08_instructor_demos": check_08,
    "09_the_token_at_work": check_09,
    "99_cleanup": check_99,
}


def test_every_notebook_has_checks():
    assert sorted(CHECKS) == [p.stem for p in NOTEBOOKS]


# ------------------------------------------------------------------ the runs


def test_notebooks_in_order(fresh_backend, run_notebooks, run_password):
    """00 to 07 on one backend, checked while the pool lives; then 99 takes it all down."""
    ctx = {"email": batch.unique_email(), "endpoint_url": fresh_backend.url}
    outcomes = run_notebooks([p for p in NOTEBOOKS if p.stem != "99_cleanup"], email=ctx["email"])
    results = {}
    for outcome in outcomes:
        assert_no_secrets(outcome.output, run_password)
        results[outcome.notebook] = read_results(outcome.output)
        CHECKS[outcome.notebook](results[outcome.notebook], ctx)
    assert_id_token_verifies(results["05_sign_in_with_srp"], ctx["endpoint_url"], ctx["email"])

    # One pool and one client, made by 01 and 02, used by every later notebook.
    pool = results["01_create_user_pool"]["user_pool_id"]
    client = results["02_add_app_client"]["app_client_id"]
    assert results["01_create_user_pool"]["created"] is True
    assert results["02_add_app_client"]["created"] is True
    for name in (
        "02_add_app_client",
        "03_update_config_js",
        "04_register_and_verify",
        "06_decode_the_auth_token",
        "07_validate_in_the_browser",
    ):
        assert results[name]["user_pool_id"] == pool, name
    for name in ("03_update_config_js", "06_decode_the_auth_token", "07_validate_in_the_browser"):
        assert results[name]["app_client_id"] == client, name

    [cleanup] = run_notebooks([by_name("99_cleanup")], email=ctx["email"])
    assert_no_secrets(cleanup.output, run_password)
    removed = read_results(cleanup.output)
    check_99(removed, ctx)
    assert removed["before_ok"] is True
    assert removed["removed"]["user_pool_id"] == pool
    assert removed["removed"]["app_client_id"] == client


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_alone(path, fresh_backend, run_notebooks, run_password):
    """On a backend where nothing exists yet, a notebook makes its own prerequisites."""
    ctx = {"email": batch.unique_email(), "endpoint_url": fresh_backend.url}
    [outcome] = run_notebooks([path], email=ctx["email"])
    assert_no_secrets(outcome.output, run_password)
    results = read_results(outcome.output)
    CHECKS[path.stem](results, ctx)
    if path.stem == "05_sign_in_with_srp":
        assert_id_token_verifies(results, ctx["endpoint_url"], ctx["email"])
    if path.stem in ("01_create_user_pool", "02_add_app_client"):
        assert results["created"] is True  # alone, the step itself still creates the thing


def test_running_a_notebook_twice_changes_nothing(fresh_backend, run_notebooks, run_password):
    """Idempotence: 04 again finds the rider registered and confirmed; 01 finds its pool."""
    email = batch.unique_email()
    first = run_notebooks(
        [by_name("01_create_user_pool"), by_name("04_register_and_verify")], email=email
    )
    first_results = [read_results(o.output) for o in first]
    again = batch.run_notebooks(
        [by_name("01_create_user_pool"), by_name("04_register_and_verify")],
        first[0].output.parent.parent / "again",
        {"email": email},
    )
    assert all(o.ok for o in again), [o.error for o in again]
    pool_again, rider_again = (read_results(o.output) for o in again)
    assert pool_again["created"] is False
    assert pool_again["user_pool_id"] == first_results[0]["user_pool_id"]
    assert rider_again["user_status"] == "CONFIRMED"
    outputs = json.dumps(
        [c.get("outputs", []) for c in nbformat.read(again[1].output, as_version=4).cells]
    )
    assert "Done before, so nothing changed" in outputs
