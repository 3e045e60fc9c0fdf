"""The local mailbox page: a filter per user pool and a link back to the website."""

from __future__ import annotations

import re

import requests

from wildrydes import accounts, launch
from wildrydes.kit import Kit, current
from wildrydes.local import secret


def test_mailbox_filters_by_pool_and_links_back_to_the_site(fresh_backend):
    launch.up()
    kit = current()
    cognito = kit.backend.client("cognito-idp")
    # Cognito sends a sign-up code only for a pool that verifies email automatically
    other_pool = cognito.create_user_pool(PoolName="Other", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    other_client = cognito.create_user_pool_client(UserPoolId=other_pool, ClientName="o")[
        "UserPoolClient"
    ]["ClientId"]
    accounts.register(kit, "mine@example.com", "Mail!Box2024")
    accounts.register(
        Kit(kit.backend, kit.bucket, other_pool, other_client),
        "theirs@example.com",
        "Mail!Box2024",
    )
    url = f"{fresh_backend.url}/_wildrydes/mailbox"

    key = secret.headers()
    # By default the kit's current pool only: another pool's mail (or a deleted pool's) is out
    # of the way, one click off.
    default = requests.get(url, headers=key, timeout=10).text
    assert "mine@example.com" in default and "theirs@example.com" not in default
    assert 'href="?pool=all"' in default
    every = requests.get(url, params={"pool": "all"}, headers=key, timeout=10).text
    assert "mine@example.com" in every and "theirs@example.com" in every
    assert f'href="../{kit.bucket}/index.html"' in every  # relative: works through a proxy too
    assert f'href="?pool={kit.user_pool_id}"' in every and f'href="?pool={other_pool}"' in every

    mine = requests.get(url, params={"pool": kit.user_pool_id}, headers=key, timeout=10).text
    assert "mine@example.com" in mine and "theirs@example.com" not in mine
    assert re.search(rf'href="\?pool={kit.user_pool_id}" aria-current="page"', mine)
    back = requests.get(f"{fresh_backend.url}/{kit.bucket}/index.html", timeout=10)
    assert back.status_code == 200

    none = requests.get(url, params={"pool": "us-east-1_nothing"}, headers=key, timeout=10).text
    assert "No messages for user pool us-east-1_nothing" in none
