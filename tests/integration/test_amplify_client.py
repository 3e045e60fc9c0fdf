"""A fourth independent client: Amplify JS v6 in Node walks the whole flow.

Sign-up, confirm (code from /_wildrydes/outbox), SRP sign-in, a forced refresh (Amplify v6
refreshes with GetTokensFromRefreshToken) and sign-out (RevokeToken), against the local
Cognito through Amplify's ``userPoolEndpoint`` setting. Amplify is pinned by
tests/integration/amplify/package-lock.json and installed by `make setup`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import botocore.exceptions
import pytest
from tests_support import verified_by_pyjwt

from wildrydes.backend import connect
from wildrydes.local import secret

HERE = Path(__file__).with_name("amplify")
PASSWORD = "Amplify-Rider-6"


def _rotating_client(pool_id: str) -> str:
    """An app client of the launched pool with refresh token rotation on and no grace period
    (API Reference, RefreshTokenRotationType): a refresh token works once."""
    return (
        connect()
        .client("cognito-idp")
        .create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=f"amplify-rotation-{uuid.uuid4().hex[:6]}",
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0},
        )["UserPoolClient"]["ClientId"]
    )


@pytest.mark.parametrize("rotation", [False, True], ids=["no-rotation", "rotation"])
def test_amplify_v6_signs_up_confirms_signs_in_refreshes_and_signs_out(launched, rotation, request):
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "aws-amplify").is_dir():
        pytest.fail(
            "Amplify JS is not installed, so it cannot be tested. Run `make setup` "
            "(it runs `npm ci` in tests/integration/amplify/), then test again."
        )
    pool_id, client_id = launched.values["user_pool_id"], launched.values["app_client_id"]
    if rotation:
        client_id = _rotating_client(pool_id)
        # Removed afterwards: tests of the launched pool that run next on this worker count
        # its app clients.
        request.addfinalizer(
            lambda: (
                connect()
                .client("cognito-idp")
                .delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
            )
        )
    email = f"amplify-{uuid.uuid4().hex[:10]}@example.com"
    username = email.replace("@", "-at-")
    request = {
        "endpoint": connect().endpoint_url + "/",
        "userPoolId": pool_id,
        "clientId": client_id,
        "username": username,
        "email": email,
        "password": PASSWORD,
        # Amplify's test reads codes from the outbox as the kit's clients do: with the secret.
        "outboxHeaders": secret.headers(),
    }
    done = subprocess.run(
        [node, str(HERE / "flow.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=HERE,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["signUpStep"] == "CONFIRM_SIGN_UP"
    assert result["confirmed"] is True and result["signedIn"] is True
    assert result["currentUser"] == username
    claims = verified_by_pyjwt(result["idToken"], pool_id, audience=client_id)
    assert claims["cognito:username"] == username and claims["email"] == email
    refreshed = verified_by_pyjwt(result["refreshedAccessToken"], pool_id)
    first = verified_by_pyjwt(result["accessToken"], pool_id)
    assert refreshed["jti"] != first["jti"] and refreshed["origin_jti"] == first["origin_jti"]
    again = verified_by_pyjwt(result["refreshedAgainAccessToken"], pool_id)
    assert again["origin_jti"] == first["origin_jti"]  # rotation keeps the sign-in
    assert result["signedOut"] is True
    cognito = connect().client("cognito-idp")
    for token in (result["accessToken"], result["refreshedAgainAccessToken"]):
        with pytest.raises(botocore.exceptions.ClientError) as refused:
            cognito.get_user(AccessToken=token)
        assert refused.value.response["Error"]["Message"] == "Access Token has been revoked"
