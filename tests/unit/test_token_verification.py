"""Unit tests for wildrydes.tokens.verification: one verdict per check, each way to fail."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm
from token_factory import (
    ALL_CHECKS,
    CLIENT,
    ISS,
    KID,
    NOW,
    OTHER_POOL,
    POOL,
    REGION,
    access_claims,
    b64json,
    b64url,
    id_claims,
    mint,
    only_failed,
    run,
)

from wildrydes import render
from wildrydes.errors import ConfigurationError, TokenError
from wildrydes.tokens import (
    DecodedToken,
    verify,
)

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
    assert render.GREEN in page and render.RED in page
    assert "✗ fail" in page and "✓ pass" in page


def test_an_endpoint_may_name_its_own_issuer(private_key, jwks):
    other = "http://localhost:4566/" + POOL  # what an emulator's openid-configuration may say
    token = mint(private_key, id_claims(iss=other))
    assert run(token, jwks, expected_use="id", expected_issuer=other).ok
    only_failed(run(token, jwks, expected_use="id"), "issuer")
    only_failed(
        run(mint(private_key, id_claims()), jwks, expected_use="id", expected_issuer=other),
        "issuer",
    )
