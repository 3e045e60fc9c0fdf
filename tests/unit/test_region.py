"""The aws backend's region, resolved as the AWS SDKs and Tools Reference Guide orders it.

``--region``, then ``AWS_REGION``, then ``AWS_DEFAULT_REGION``, then ``region`` in the
profile (feature-region.html; the AWS CLI's environment variables page for
AWS_DEFAULT_REGION). Each one alone, and each pair in conflict, through the kit's own
``connect("aws")`` with a real boto3 session and a real ~/.aws/config file (no call is made).
"""

from __future__ import annotations

import itertools
import re
import uuid
from pathlib import Path

import pytest

from wildrydes.backend import connect
from wildrydes.errors import ConfigurationError
from wildrydes.region import resolve_region

PLACES = ("flag", "AWS_REGION", "AWS_DEFAULT_REGION", "profile")
REGION_OF = {
    "flag": "eu-west-2",
    "AWS_REGION": "ap-south-1",
    "AWS_DEFAULT_REGION": "us-west-2",
    "profile": "sa-east-1",
}


@pytest.fixture
def aws_env(monkeypatch, tmp_path: Path):
    """No region anywhere; a profile of its own (a fresh boto3 session) with keys."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    profile = f"region-test-{uuid.uuid4().hex[:8]}"
    config = tmp_path / "config"
    config.write_text(f"[profile {profile}]\n")
    credentials = tmp_path / "credentials"
    credentials.write_text(
        f"[{profile}]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_PROFILE", profile)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)

    def set_places(*places: str) -> str | None:
        if "profile" in places:
            config.write_text(f"[profile {profile}]\nregion = {REGION_OF['profile']}\n")
        for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
            if name in places:
                monkeypatch.setenv(name, REGION_OF[name])
        return REGION_OF["flag"] if "flag" in places else None

    return set_places


@pytest.mark.parametrize("place", PLACES)
def test_each_place_alone_sets_the_region(aws_env, place, capsys):
    flag = aws_env(place)
    backend = connect("aws", flag)
    assert backend.region == REGION_OF[place]
    # boto3 is handed the kit's answer: the clients go to that region's endpoints.
    cognito = backend.client("cognito-idp")
    assert cognito.meta.region_name == REGION_OF[place]
    assert REGION_OF[place] in cognito.meta.endpoint_url
    assert capsys.readouterr().err == "", "one place only: nothing to say"


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(PLACES, 2)))
def test_in_conflict_the_earlier_wins_and_the_kit_says_so(aws_env, first, second, capsys):
    flag = aws_env(first, second)
    backend = connect("aws", flag)
    assert backend.region == REGION_OF[first]
    said = capsys.readouterr().err
    assert f"using region {REGION_OF[first]}" in said
    assert REGION_OF[second] in said, "the overruled value is named"
    named = {"flag": "--region", "profile": "profile"}
    assert named.get(first, first) in said and named.get(second, second) in said


def test_aws_region_alone_is_enough_as_every_message_says(aws_env, monkeypatch):
    """boto3 by itself ignores AWS_REGION: the kit's messages name it, so the kit reads it."""
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    assert connect("aws").region == "eu-central-1"


def test_no_region_anywhere_names_a_variable_that_works(aws_env, monkeypatch):
    with pytest.raises(ConfigurationError) as caught:
        connect("aws")
    variable = re.search(r"export (AWS_\w+)=(\S+?)`", str(caught.value))
    assert variable, str(caught.value)
    monkeypatch.setenv(variable.group(1), variable.group(2))
    assert connect("aws").region == variable.group(2)


def test_agreeing_places_are_no_conflict():
    choice = resolve_region(
        "us-east-1", {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": ""}, lambda: "us-east-1"
    )
    assert (choice.region, choice.source, choice.notice) == ("us-east-1", "--region", None)


def test_nothing_set_is_no_region():
    assert resolve_region(None, {}, lambda: None).region is None
