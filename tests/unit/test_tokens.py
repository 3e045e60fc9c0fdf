"""Unit tests for wildrydes.tokens: every verdict of verify, decode, explain, display, JWKS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given
from hypothesis import strategies as st
from jwt.algorithms import RSAAlgorithm

from wildrydes import tokens
from wildrydes.errors import ConfigurationError, TokenError, WildRydesError
from wildrydes.tokens import (
    DecodedToken,
    clear_jwks_cache,
    decode,
    explain,
    fetch_jwks,
    issuer,
    jwks_url,
    refresh_token_summary,
    verify,
)

REGION = "eu-west-1"
POOL = "eu-west-1_AbCdEf123"
OTHER_POOL = "eu-west-1_ZyXwVu987"
CLIENT = "3n4b5urk1ft4fl3mg5e62d9ado"
KID = "test-kid-1"
NOW = 1_700_000_000  # 2023-11-14 22:13:20 UTC
ISS = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL}"
ALL_CHECKS = [
    "format",
    "algorithm",
    "key",
    "signature",
    "expiry",
    "issuer",
    "audience",
    "token_use",
]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks(private_key) -> dict:
    public_jwk = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {"keys": [{**public_jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}


@pytest.fixture(autouse=True)
def _empty_jwks_cache():
    clear_jwks_cache()
    yield
    clear_jwks_cache()


def id_claims(**overrides) -> dict:
    claims = {
        "sub": "7d8ca528-4931-4254-9273-ea5ee853f271",
        "email_verified": True,
        "iss": ISS,
        "cognito:username": "rider1",
        "origin_jti": "b6f2c3d4-0000-4000-8000-000000000001",
        "aud": CLIENT,
        "event_id": "e1f2a3b4-0000-4000-8000-000000000002",
        "token_use": "id",
        "auth_time": NOW - 120,
        "exp": NOW + 3600,
        "iat": NOW - 120,
        "jti": "c7d8e9f0-0000-4000-8000-000000000003",
        "email": "rider1@example.com",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def access_claims(**overrides) -> dict:
    claims = {
        "sub": "7d8ca528-4931-4254-9273-ea5ee853f271",
        "iss": ISS,
        "client_id": CLIENT,
        "origin_jti": "b6f2c3d4-0000-4000-8000-000000000001",
        "event_id": "e1f2a3b4-0000-4000-8000-000000000002",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": NOW - 120,
        "exp": NOW + 3600,
        "iat": NOW - 120,
        "jti": "d1e2f3a4-0000-4000-8000-000000000004",
        "username": "rider1",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def mint(key, claims: dict, *, kid: str | None = KID) -> str:
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(claims, key, algorithm="RS256", headers=headers)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64json(value) -> str:
    return b64url(json.dumps(value).encode())


def run(token: str, jwks: dict, **kwargs):
    kwargs.setdefault("now", NOW)
    return verify(token, jwks=jwks, region=REGION, user_pool_id=POOL, client_id=CLIENT, **kwargs)


def only_failed(result, *names: str) -> None:
    assert result.failed == list(names), str(result)
    assert result.ok is False


# --------------------------------------------------------------------------- issuer / jwks_url


def test_issuer_is_the_aws_form():
    assert issuer(REGION, POOL) == ISS


def test_jwks_url_real_aws():
    assert jwks_url(REGION, POOL) == f"{ISS}/.well-known/jwks.json"


def test_jwks_url_local_backend_keeps_aws_issuer():
    url = jwks_url(REGION, POOL, "http://127.0.0.1:5000/")
    assert url == f"http://127.0.0.1:5000/{POOL}/.well-known/jwks.json"
    assert issuer(REGION, POOL).startswith("https://cognito-idp.eu-west-1.amazonaws.com/")


@pytest.mark.parametrize("region, pool", [("", POOL), (REGION, ""), (None, POOL)])
def test_missing_pool_settings_raise_configuration_error(region, pool):
    with pytest.raises(ConfigurationError, match="missing"):
        jwks_url(region, pool)
    with pytest.raises(ConfigurationError, match="missing"):
        issuer(region, pool)


# --------------------------------------------------------------------------- verify: passes


def test_valid_id_token_passes_every_check(private_key, jwks):
    result = run(mint(private_key, id_claims()), jwks, expected_use="id")
    assert [c.name for c in result.checks] == ALL_CHECKS
    assert all(c.ok for c in result.checks), str(result)
    assert result.ok is True
    assert result.failed == []
    assert result["expiry"].detail == "expires in 1 h"
    assert result["audience"].detail.startswith("aud is this app client")
    assert result["token_use"].detail == "this is an id token, as expected"
    assert isinstance(result.token, DecodedToken)


def test_valid_access_token_with_expected_use_access(private_key, jwks):
    result = run(mint(private_key, access_claims()), jwks, expected_use="access")
    assert result.ok is True, str(result)
    assert result["audience"].detail.startswith("client_id is this app client")
    assert result["token_use"].detail == "this is an access token, as expected"


def test_valid_token_without_expected_use(private_key, jwks):
    result = run(mint(private_key, access_claims()), jwks)
    assert result.ok is True, str(result)
    assert result["token_use"].detail == "this is an access token"


def test_signature_is_checked_with_rs256_for_a_valid_token(private_key, jwks, monkeypatch):
    calls = []
    original = RSAAlgorithm.verify

    def spy(self, msg, key, sig):
        calls.append(msg)
        return original(self, msg, key, sig)

    monkeypatch.setattr(RSAAlgorithm, "verify", spy)
    token = mint(private_key, id_claims())
    assert run(token, jwks).ok is True
    assert calls == [token.rsplit(".", 1)[0].encode()]


# --------------------------------------------------------------------------- verify: failures


def test_tampered_payload_fails_signature(private_key, jwks):
    header, _, signature = mint(private_key, id_claims()).split(".")
    forged = b64json(id_claims(email="attacker@example.com"))
    result = run(f"{header}.{forged}.{signature}", jwks)
    only_failed(result, "signature")
    assert result["signature"].detail.startswith("signature does not match")


def test_token_signed_by_another_key_with_the_same_kid_fails_signature(other_private_key, jwks):
    result = run(mint(other_private_key, id_claims()), jwks)
    only_failed(result, "signature")
    assert "signature does not match" in result["signature"].detail


def test_alg_none_fails_algorithm_and_signature_is_never_checked(private_key, jwks, monkeypatch):
    calls = []
    monkeypatch.setattr(RSAAlgorithm, "verify", lambda *args: calls.append(args) or True)
    _, payload, signature = mint(private_key, id_claims()).split(".")
    header = b64json({"alg": "none", "kid": KID, "typ": "JWT"})
    for sig in (signature, ""):
        result = run(f"{header}.{payload}.{sig}", jwks)
        assert result.ok is False
        assert result["algorithm"].ok is False
        assert "'none'" in result["algorithm"].detail
        assert result["signature"].ok is False
        assert result["signature"].detail.startswith("not checked")
        only_failed(result, "algorithm", "signature")
    assert calls == []


def test_hs256_signed_with_the_public_key_fails_algorithm(private_key, jwks, monkeypatch):
    calls = []
    monkeypatch.setattr(RSAAlgorithm, "verify", lambda *args: calls.append(args) or True)
    pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{b64json({'alg': 'HS256', 'kid': KID, 'typ': 'JWT'})}.{b64json(id_claims())}"
    mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    result = run(f"{signing_input}.{b64url(mac)}", jwks)
    only_failed(result, "algorithm", "signature")
    assert "'HS256'" in result["algorithm"].detail
    assert result["signature"].detail.startswith("not checked")
    assert calls == []


def test_missing_alg_fails_algorithm(private_key, jwks):
    _, payload, signature = mint(private_key, id_claims()).split(".")
    result = run(f"{b64json({'kid': KID})}.{payload}.{signature}", jwks)
    only_failed(result, "algorithm", "signature")
    assert "no alg" in result["algorithm"].detail


def test_expired_token_fails_expiry(private_key, jwks):
    result = run(mint(private_key, id_claims(exp=NOW - 180)), jwks)
    only_failed(result, "expiry")
    assert result["expiry"].detail.startswith("expired 3 min ago")


def test_token_expiring_exactly_now_is_expired(private_key, jwks):
    result = run(mint(private_key, id_claims(exp=NOW)), jwks)
    only_failed(result, "expiry")
    assert result["expiry"].detail.startswith("expired just now")


def test_leeway_accepts_a_just_expired_token(private_key, jwks):
    token = mint(private_key, id_claims(exp=NOW - 30))
    assert run(token, jwks, leeway=0).failed == ["expiry"]
    result = run(token, jwks, leeway=60)
    assert result.ok is True, str(result)
    assert "within the leeway of 60 s" in result["expiry"].detail


def test_missing_exp_fails_expiry(private_key, jwks):
    claims = id_claims()
    del claims["exp"]
    only_failed(run(mint(private_key, claims), jwks), "expiry")


def test_default_now_is_the_clock(private_key, jwks):
    token = mint(private_key, id_claims(exp=NOW + 60))
    result = verify(token, jwks=jwks, region=REGION, user_pool_id=POOL, client_id=CLIENT)
    assert result.failed == ["expiry"]  # NOW + 60 is long past on any real clock


def test_token_of_another_pool_fails_issuer_naming_both(private_key, jwks):
    other_iss = f"https://cognito-idp.{REGION}.amazonaws.com/{OTHER_POOL}"
    result = run(mint(private_key, id_claims(iss=other_iss)), jwks)
    only_failed(result, "issuer")
    assert other_iss in result["issuer"].detail
    assert ISS in result["issuer"].detail


def test_token_of_another_region_fails_issuer(private_key, jwks):
    result = verify(
        mint(private_key, id_claims()),
        jwks=jwks,
        region="us-east-1",
        user_pool_id=POOL,
        client_id=CLIENT,
        now=NOW,
    )
    only_failed(result, "issuer")


def test_wrong_audience_on_id_token(private_key, jwks):
    result = run(mint(private_key, id_claims(aud="someotherclientid")), jwks)
    only_failed(result, "audience")
    assert "aud is someotherclientid" in result["audience"].detail
    assert CLIENT in result["audience"].detail


def test_wrong_client_id_on_access_token(private_key, jwks):
    result = run(mint(private_key, access_claims(client_id="someotherclientid")), jwks)
    only_failed(result, "audience")
    assert "client_id is someotherclientid" in result["audience"].detail


def test_id_token_audience_is_not_read_from_client_id(private_key, jwks):
    # An id token must carry the client in aud; client_id alone does not count.
    claims = id_claims(aud=None, client_id=CLIENT)
    only_failed(run(mint(private_key, claims), jwks), "audience")


def test_access_token_where_id_token_expected_fails_token_use(private_key, jwks):
    result = run(mint(private_key, access_claims()), jwks, expected_use="id")
    only_failed(result, "token_use")
    assert result["token_use"].detail == "this is an access token; an id token is expected"


def test_id_token_where_access_token_expected_fails_token_use(private_key, jwks):
    result = run(mint(private_key, id_claims()), jwks, expected_use="access")
    only_failed(result, "token_use")
    assert result["token_use"].detail == "this is an id token; an access token is expected"


def test_unknown_token_use_fails(private_key, jwks):
    result = run(mint(private_key, id_claims(token_use="refresh")), jwks)
    only_failed(result, "token_use")


def test_unknown_kid_fails_key_and_skips_signature(private_key, jwks):
    result = run(mint(private_key, id_claims(), kid="rotated-away"), jwks)
    only_failed(result, "key", "signature")
    assert "'rotated-away' is not in this pool's JWKS" in result["key"].detail
    assert KID in result["key"].detail
    assert result["signature"].detail.startswith("not checked")


def test_missing_kid_fails_key(private_key, jwks):
    result = run(mint(private_key, id_claims(), kid=None), jwks)
    only_failed(result, "key", "signature")
    assert "no kid" in result["key"].detail


def test_jwks_key_that_is_not_rs256_fails_key(private_key, jwks):
    bad = {"keys": [{**jwks["keys"][0], "alg": "RS512"}]}
    only_failed(run(mint(private_key, id_claims()), bad), "key", "signature")


def test_jwks_key_that_cannot_be_loaded_fails_key(private_key, jwks):
    bad = {"keys": [{"kid": KID, "kty": "RSA", "n": "!!", "e": "AQAB"}]}
    result = run(mint(private_key, id_claims()), bad)
    only_failed(result, "key", "signature")
    assert "cannot be loaded" in result["key"].detail


@pytest.mark.parametrize("bad", ["", "abc", "a.b", "a.b.c.d", "!!!.e30.sig"])
def test_verify_reports_malformed_token_as_format_failure(jwks, bad):
    result = run(bad, jwks)
    assert result.ok is False
    assert result.failed == ALL_CHECKS
    assert result["format"].detail.startswith("not a JWT")
    assert all(c.detail.startswith("not checked") for c in result.checks[1:])
    assert result.token is None


@pytest.mark.parametrize("bad_jwks", [{}, {"keys": "nope"}, [], None])
def test_verify_with_a_jwks_that_is_not_a_key_set_raises(private_key, bad_jwks):
    with pytest.raises(TokenError, match="fetch_jwks"):
        run(mint(private_key, id_claims()), bad_jwks)


def test_verify_without_client_id_raises_configuration_error(private_key, jwks):
    with pytest.raises(ConfigurationError, match="client_id"):
        verify(
            mint(private_key, id_claims()),
            jwks=jwks,
            region=REGION,
            user_pool_id=POOL,
            client_id="",
        )


def test_verify_rejects_an_unknown_expected_use(private_key, jwks):
    with pytest.raises(ValueError, match="expected_use"):
        run(mint(private_key, id_claims()), jwks, expected_use="ID")


def test_verification_str_has_one_line_per_check(private_key, jwks):
    result = run(mint(private_key, id_claims(exp=NOW - 180)), jwks)
    lines = str(result).splitlines()
    assert len(lines) == len(ALL_CHECKS) + 1
    assert lines[0].startswith("✓ format")
    assert lines[4].startswith("✗ expiry") and "expired 3 min ago" in lines[4]
    assert lines[-1] == "token is NOT valid: failed expiry"
    assert str(run(mint(private_key, id_claims()), jwks)).endswith("all 8 checks passed")


def test_verification_html_is_a_coloured_escaped_table(private_key, jwks):
    evil_kid = "<img src=x onerror=alert(1)>"
    result = run(mint(private_key, id_claims(), kid=evil_kid), jwks)
    page = result._repr_html_()
    assert "<table>" in page
    assert page.count("<tr>") == len(ALL_CHECKS) + 1  # header row + one per check
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert tokens._GREEN in page and tokens._RED in page
    assert "✗ fail" in page and "✓ pass" in page


# --------------------------------------------------------------------------- decode


def test_decode_returns_header_claims_and_signature(private_key):
    token = mint(private_key, id_claims())
    decoded = decode(token)
    assert decoded.header == {"alg": "RS256", "kid": KID, "typ": "JWT"}
    assert decoded.claims == id_claims()
    assert decoded.payload is decoded.claims
    assert decoded.signature == token.split(".")[2]
    assert decoded.token_use == "id"
    assert len(decoded.signature_bytes) == 256  # 2048-bit RSA


def test_decode_never_verifies(other_private_key):
    # Signed by a key nobody trusts and long expired: decode still reads it.
    decoded = decode(mint(other_private_key, id_claims(exp=1)))
    assert decoded.claims["exp"] == 1


def test_decode_tolerates_surrounding_whitespace(private_key):
    token = mint(private_key, id_claims())
    assert decode(f"  {token}\n").raw == token


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "expected 3 parts"),
        ("a.b", "got 2"),
        ("a.b.c.d", "got 4"),
        ("a.b.c.d.e", "JWE"),
        ("!!!.e30.", "header is not base64url"),
        ("e30.e30.***", "signature is not base64url"),
        ("e30.a.", "payload is not base64url"),
        (f"{b64url(b'not json')}.e30.", "header decodes but is not JSON"),
        (f"e30.{b64url(bytes([255, 254]))}.", "payload decodes but is not JSON"),
        (f"{b64json([1, 2])}.e30.", "header is JSON but not an object"),
        ("Bearer e30.e30.", "Bearer"),
    ],
)
def test_decode_malformed_raises_token_error(bad, reason):
    with pytest.raises(TokenError, match="^not a JWT") as info:
        decode(bad)
    assert reason in str(info.value)
    assert isinstance(info.value, WildRydesError)


@pytest.mark.parametrize("bad", [None, 42, ["a", "b", "c"]])
def test_decode_non_string_raises_token_error(bad):
    with pytest.raises(TokenError, match="not a JWT: got"):
        decode(bad)


def test_decode_error_chains_the_cause():
    with pytest.raises(TokenError) as info:
        decode(f"{b64url(b'{oops')}.e30.")
    assert isinstance(info.value.__cause__, ValueError)


@given(st.text(max_size=200))
def test_decode_raises_only_token_error(text):
    try:
        result = decode(text)
    except TokenError:
        return
    assert isinstance(result, DecodedToken)


@given(
    st.dictionaries(st.text(max_size=10), st.integers() | st.text(max_size=10), max_size=5),
    st.binary(max_size=40),
)
def test_decode_round_trips_any_json_object(claims, signature):
    token = f"{b64json({'alg': 'RS256'})}.{b64json(claims)}.{b64url(signature)}"
    decoded = decode(token)
    assert decoded.claims == claims
    assert decoded.signature_bytes == signature


def test_decoded_token_str_shows_header_claims_and_signature(private_key):
    decoded = decode(mint(private_key, id_claims()))
    text = str(decoded)
    assert text.startswith("JWT (id token), not verified")
    assert '"kid": "test-kid-1"' in text
    assert "cognito:username" in text and "rider1" in text
    assert "the user's unique, permanent id" in text
    assert "Signature" in text
    assert "Bearer" not in repr(decoded) and "kid='test-kid-1'" in repr(decoded)


def test_decoded_token_html_colours_the_three_parts(private_key):
    token = mint(private_key, id_claims())
    header, payload, signature = token.split(".")
    page = decode(token)._repr_html_()
    colours = tokens._PART_COLOURS
    assert f'<span style="color:{colours["header"]}">{header}</span>.' in page
    assert f'<span style="color:{colours["payload"]}">{payload}</span>.' in page
    assert f'<span style="color:{colours["signature"]}">{signature}</span>' in page
    assert "<table>" in page and "cognito:username" in page
    assert "OAuth" not in page  # no scope claim in an id token, so no scope explanation


def test_decoded_token_html_escapes_every_value(private_key):
    claims = id_claims(name="<script>alert('x')</script>", **{"<b>key</b>": "v"})
    token = jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": "<i>kid</i>"})
    decoded = decode(token)
    page = decoded._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<b>key</b>" not in page and "&lt;b&gt;key&lt;/b&gt;" in page
    assert "<i>kid</i>" not in page and "&lt;i&gt;kid&lt;/i&gt;" in page


# --------------------------------------------------------------------------- explain


def test_explain_times_in_injected_tz_with_relative_phrases():
    claims = {"exp": NOW + 53 * 60 + 10, "iat": NOW - 120, "auth_time": NOW - 125}
    shown = {c.name: c.display for c in explain(claims, now=NOW, tz=timezone.utc)}
    assert shown == {
        "exp": "2023-11-14 23:06:30 UTC (expires in 53 min)",
        "iat": "2023-11-14 22:11:20 UTC (issued 2 min ago)",
        "auth_time": "2023-11-14 22:11:15 UTC (signed in 2 min ago)",
    }


def test_explain_uses_the_given_timezone():
    cest = timezone(timedelta(hours=2), "CEST")
    (exp,) = explain({"exp": NOW + 53 * 60 + 10}, now=NOW, tz=cest)
    assert exp.display == "2023-11-15 01:06:30 CEST (expires in 53 min)"


def test_explain_defaults_to_local_time():
    (iat,) = explain({"iat": NOW}, now=NOW + 7200)
    local = datetime.fromtimestamp(NOW).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert iat.display.startswith(local)
    assert iat.display.endswith("(issued 2 h ago)")


@pytest.mark.parametrize(
    "offset, phrase",
    [
        (-180, "expired 3 min ago"),
        (-179, "expired 2 min ago"),  # whole minutes that have passed, never rounded up
        (-0.5, "expired just now"),
        (45, "expires in 45 s"),
        (2 * 3600 + 5 * 60, "expires in 2 h 5 min"),
        (30 * 86400, "expires in 30 days"),
    ],
)
def test_explain_relative_expiry(offset, phrase):
    (exp,) = explain({"exp": NOW + offset}, now=NOW, tz=timezone.utc)
    assert exp.display.endswith(f"({phrase})")


def test_explain_iat_in_the_future_says_the_clocks_disagree():
    (iat,) = explain({"iat": NOW + 30}, now=NOW, tz=timezone.utc)
    assert "issued 30 s in the future" in iat.display


def test_explain_every_known_claim_in_plain_words(private_key):
    claims = {**id_claims(), **access_claims()}
    explained = {c.name: c for c in explain(claims, now=NOW, tz=timezone.utc)}
    known = [
        "sub", "cognito:username", "username", "email", "email_verified", "aud",
        "client_id", "iss", "token_use", "scope", "auth_time", "iat", "exp", "jti",
        "origin_jti", "event_id",
    ]  # fmt: skip
    for name in known:
        assert explained[name].meaning != "custom or less common claim", name
    assert explained["email_verified"].display == "true"
    assert explained["scope"].display == "aws.cognito.signin.user.admin"
    assert "OAuth scopes" in explained["scope"].meaning
    assert "app client" in explained["aud"].meaning


def test_explain_unknown_claim():
    (custom,) = explain({"custom:team": "blue"})
    assert custom.meaning == "custom or less common claim"
    assert custom.display == "blue"
    assert str(custom) == "custom:team: blue (custom or less common claim)"


def test_explain_keeps_token_order_and_accepts_a_decoded_token(private_key):
    decoded = decode(mint(private_key, id_claims()))
    names = [c.name for c in explain(decoded, now=NOW)]
    assert names == list(id_claims())


def test_explain_non_numeric_time():
    (exp,) = explain({"exp": "tomorrow"}, now=NOW)
    assert exp.display == "tomorrow (not a time in seconds)"


# --------------------------------------------------------------------------- refresh token

REFRESH = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.c2VjcmV0.aXY.Y3Q.dGFn"


def test_refresh_token_summary_never_shows_the_token():
    summary = refresh_token_summary(REFRESH)
    assert summary == "a refresh token was issued (opaque; valid 30 days); it is never shown"
    for piece in REFRESH.split("."):
        assert piece not in summary
    assert REFRESH[:8] not in summary


def test_refresh_token_summary_days_and_absence():
    assert "valid 1 day)" in refresh_token_summary(REFRESH, days_valid=1)
    assert "valid 3650 days" in refresh_token_summary(REFRESH, days_valid=3650)
    assert refresh_token_summary(None) == "no refresh token was issued"
    assert refresh_token_summary("") == "no refresh token was issued"
    with pytest.raises(ValueError):
        refresh_token_summary(REFRESH, days_valid=0)


def test_refresh_token_cannot_be_decoded():
    with pytest.raises(TokenError, match="JWE"):
        decode(REFRESH)


# --------------------------------------------------------------------------- fetch_jwks


class _JwksServer:
    def __init__(self, body: bytes):
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                outer.hits.append(self.path)
                if self.path == f"/{POOL}/.well-known/jwks.json":
                    status, payload = 200, body
                elif self.path == "/notjson/.well-known/jwks.json":
                    status, payload = 200, b"<html>hello</html>"
                elif self.path == "/nokeys/.well-known/jwks.json":
                    status, payload = 200, b'{"keys": []}'
                else:
                    status, payload = 404, b'{"message": "not found"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def jwks_server(jwks):
    server = _JwksServer(json.dumps(jwks).encode())
    yield server
    server.close()


def test_fetch_jwks_from_local_backend_and_verify(jwks_server, jwks, private_key):
    url = jwks_url(REGION, POOL, jwks_server.url)
    fetched = fetch_jwks(url)
    assert fetched == jwks
    assert run(mint(private_key, id_claims()), fetched).ok is True


def test_fetch_jwks_caches_per_url(jwks_server, jwks):
    url = jwks_url(REGION, POOL, jwks_server.url)
    first = fetch_jwks(url)
    first["keys"].clear()  # callers cannot spoil the cache, neither on a miss...
    second = fetch_jwks(url)
    assert second == jwks
    second["keys"].clear()  # ...nor on a hit
    assert fetch_jwks(url) == jwks
    assert len(jwks_server.hits) == 1
    clear_jwks_cache()
    fetch_jwks(url)
    assert len(jwks_server.hits) == 2


def test_fetch_jwks_with_a_session(jwks_server, jwks):
    with requests.Session() as session:
        assert fetch_jwks(jwks_url(REGION, POOL, jwks_server.url), session=session) == jwks
    assert jwks_server.hits == [f"/{POOL}/.well-known/jwks.json"]


def test_fetch_jwks_404_names_the_url_and_next_step(jwks_server):
    url = jwks_url(REGION, "eu-west-1_Missing", jwks_server.url)
    with pytest.raises(TokenError) as info:
        fetch_jwks(url)
    message = str(info.value)
    assert url in message
    assert "HTTP 404" in message
    assert "Next step" in message
    with pytest.raises(TokenError):
        fetch_jwks(url)
    assert len(jwks_server.hits) == 2  # failures are not cached


@pytest.mark.parametrize("pool, reason", [("notjson", "not JSON"), ("nokeys", "no 'keys'")])
def test_fetch_jwks_rejects_an_answer_that_is_not_a_key_set(jwks_server, pool, reason):
    url = f"{jwks_server.url}/{pool}/.well-known/jwks.json"
    with pytest.raises(TokenError, match=reason):
        fetch_jwks(url)


def test_fetch_jwks_connection_refused_names_the_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = jwks_url(REGION, POOL, f"http://127.0.0.1:{port}")
    with pytest.raises(TokenError) as info:
        fetch_jwks(url)
    assert url in str(info.value)
    assert "ConnectionError" in str(info.value)
    assert isinstance(info.value.__cause__, requests.ConnectionError)


def test_an_endpoint_may_name_its_own_issuer(private_key, jwks):
    other = "http://localhost:4566/" + POOL  # what an emulator's openid-configuration may say
    token = mint(private_key, id_claims(iss=other))
    assert run(token, jwks, expected_use="id", expected_issuer=other).ok
    only_failed(run(token, jwks, expected_use="id"), "issuer")
    only_failed(run(mint(private_key, id_claims()), jwks, expected_use="id",
                    expected_issuer=other), "issuer")
