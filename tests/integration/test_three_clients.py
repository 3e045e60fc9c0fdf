"""Three independent SRP clients sign in to the embedded Cognito over HTTP.

The kit's own client (wildrydes.accounts / wildrydes.srp), pycognito's AWSSRP, and
amazon-cognito-identity-js (the website's SDK) run in Node. Each must sign in with the right
password, get tokens that verify against the pool's JWKS, and be refused with Cognito's
"Incorrect username or password." with a wrong one. If our server computed anything the
SDKs do not (a padding, a hash input), one of these fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import botocore.exceptions
import pytest
import requests
from pycognito.aws_srp import AWSSRP
from tests_support import verified_by_pyjwt

from wildrydes import accounts
from wildrydes.backend import connect
from wildrydes.errors import AuthError
from wildrydes.kit import current
from wildrydes.local import secret

REPO = Path(__file__).resolve().parents[2]
NODE_SCRIPT = Path(__file__).with_name("sdk_signin.js")
SDK = REPO / "website" / "node_modules" / "amazon-cognito-identity-js"
PASSWORD = "Three-Clients-7"
WRONG = "Three-Clients-8"
INCORRECT = "Incorrect username or password."


def _node(action: str, **request) -> dict:
    """Run the website's SDK in Node; fail (never skip) when it is not installed."""
    node = shutil.which("node")
    if node is None or not SDK.is_dir():
        missing = "Node.js" if node is None else str(SDK)
        pytest.fail(
            f"{missing} is missing, so the website's SDK cannot be tested. Run "
            "`make setup` (it runs `npm ci` in website/), then run the tests again."
        )
    kit = current()
    request = {
        "endpoint": connect().endpoint_url + "/",
        "userPoolId": kit.user_pool_id,
        "clientId": kit.app_client_id,
        **request,
    }
    done = subprocess.run(
        [node, str(NODE_SCRIPT), action],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def rider(launched):
    """A user registered and confirmed the way notebook 04 does it: (email, username)."""
    kit = current()
    email = f"three-{uuid.uuid4().hex[:10]}@example.com"
    accounts.register(kit, email, PASSWORD)
    accounts.confirm(kit, email, from_mailbox=True)
    return email, accounts.username_for(email)


def test_kit_client_signs_in_and_is_refused_with_a_wrong_password(rider):
    email, username = rider
    kit = current()
    session = accounts.sign_in(kit, email, PASSWORD)
    claims = verified_by_pyjwt(session.id_token, kit.user_pool_id, audience=kit.app_client_id)
    assert claims["cognito:username"] == username
    with pytest.raises(AuthError, match=f"^{INCORRECT}") as refused:
        accounts.sign_in(kit, email, WRONG)
    assert refused.value.code == "NotAuthorizedException"


def test_pycognito_signs_in_and_is_refused_with_a_wrong_password(rider):
    _, username = rider
    kit = current()
    cognito = kit.backend.client("cognito-idp")
    tokens = AWSSRP(
        username=username,
        password=PASSWORD,
        pool_id=kit.user_pool_id,
        client_id=kit.app_client_id,
        client=cognito,
    ).authenticate_user()
    claims = verified_by_pyjwt(
        tokens["AuthenticationResult"]["IdToken"], kit.user_pool_id, audience=kit.app_client_id
    )
    assert claims["cognito:username"] == username
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        AWSSRP(
            username=username,
            password=WRONG,
            pool_id=kit.user_pool_id,
            client_id=kit.app_client_id,
            client=cognito,
        ).authenticate_user()
    assert refused.value.response["Error"] == {
        "Code": "NotAuthorizedException",
        "Message": INCORRECT,
    }


def test_website_sdk_signs_in_and_is_refused_with_a_wrong_password(rider):
    _, username = rider
    kit = current()
    result = _node("signin", username=username, password=PASSWORD)
    assert result["ok"], result
    assert result["valid"] is True
    claims = verified_by_pyjwt(result["idToken"], kit.user_pool_id, audience=kit.app_client_id)
    assert claims["cognito:username"] == username == result["idPayload"]["cognito:username"]
    refused = _node("signin", username=username, password=WRONG)
    assert refused == {"ok": False, "code": "NotAuthorizedException", "message": INCORRECT}


def test_website_sdk_registers_and_confirms_with_the_outbox_code(launched):
    kit = current()
    email = f"node-{uuid.uuid4().hex[:10]}@example.com"
    username = accounts.username_for(email)
    signed_up = _node("signup", username=username, password=PASSWORD, email=email)
    assert signed_up["ok"], signed_up
    assert signed_up["userConfirmed"] is False
    assert signed_up["codeDeliveryDetails"] == {
        "Destination": "n***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    early = _node("signin", username=username, password=PASSWORD)
    assert early == {
        "ok": False,
        "code": "UserNotConfirmedException",
        "message": "User is not confirmed.",
    }
    outbox = requests.get(
        f"{connect().endpoint_url}/_wildrydes/outbox", headers=secret.headers(), timeout=10
    ).json()
    code = [m["code"] for m in outbox if m["username"] == username][-1]
    wrong = _node("confirm", username=username, code=f"{(int(code) + 1) % 10**6:06d}")
    assert wrong["ok"] is False and wrong["code"] == "CodeMismatchException"
    confirmed = _node("confirm", username=username, code=code)
    assert confirmed == {"ok": True, "result": "SUCCESS"}
    # A user the SDK registered signs in with the other two clients as well.
    session = accounts.sign_in(kit, email, PASSWORD)
    assert (
        verified_by_pyjwt(session.id_token, kit.user_pool_id, audience=kit.app_client_id)["email"]
        == email
    )
    tokens = AWSSRP(
        username=username,
        password=PASSWORD,
        pool_id=kit.user_pool_id,
        client_id=kit.app_client_id,
        client=kit.backend.client("cognito-idp"),
    ).authenticate_user()
    assert tokens["AuthenticationResult"]["AccessToken"]
