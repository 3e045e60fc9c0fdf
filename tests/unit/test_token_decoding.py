"""Unit tests for wildrydes.tokens.decoding: decode never verifies, explain, refresh token."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from token_factory import (
    KID,
    NOW,
    access_claims,
    b64json,
    b64url,
    id_claims,
    mint,
)

from wildrydes.errors import TokenError, WildRydesError
from wildrydes.tokens import (
    DecodedToken,
    decode,
    decoding,
    explain,
    refresh_token_summary,
)

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
    colours = decoding._PART_COLOURS
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
        "auth_time": "2023-11-14 22:11:15 UTC (signed in 2 min 5 s ago)",
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
        (-179, "expired 2 min 59 s ago"),  # under ten minutes the seconds count too
        (299, "expires in 4 min 59 s"),  # a fresh 5-minute token, a second later: not "4 min"
        (300, "expires in 5 min"),
        (42 * 60 + 20, "expires in 42 min"),
        (3599, "expires in 1 h"),  # a fresh one-hour token, a second later: not "59 min"
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


def test_claim_meanings_say_what_aws_documents_and_no_more():
    meaning = {c.name: c.meaning for c in explain(
        {"iss": "x", "token_use": "id", "origin_jti": "o", "jti": "j", "event_id": "e",
         "cognito:groups": ["admins"], "email_verified": True}
    )}  # fmt: skip
    # "Verifying JSON web tokens": iss must match *your* pool; by itself it is only a claim.
    assert "only a claim" in meaning["iss"] and "pool you expect" in meaning["iss"]
    # The id token, not the access token, is what the ride API of the later module takes.
    assert "for APIs" not in meaning["token_use"] and "cognito:username" in meaning["token_use"]
    # "Ending user sessions with token revocation": jti/origin_jti come with revocation, and
    # revoked tokens still pass a JWT library's signature and expiry check.
    assert "token revocation" in meaning["jti"] and "token revocation" in meaning["origin_jti"]
    assert "offline check still accepts them" in meaning["origin_jti"]
    # event_id: AWS gives it no definition; nothing about logs.
    assert "logs" not in meaning["event_id"] and "does not" in meaning["event_id"]
    # "Understanding user pool JSON web tokens": the access and ID tokens both carry it.
    assert "both carry it" in meaning["cognito:groups"]
    # An administrator can mark the address verified without a code (AdminUpdateUserAttributes).
    assert "administrator" in meaning["email_verified"]


def test_explain_unknown_claim():
    (custom,) = explain({"custom:team": "blue"})
    assert custom.meaning.startswith("Cognito's: a custom attribute of the user pool")
    assert custom.display == "blue"
    (odd,) = explain({"https://example.com/roles": ["a"], "token_use": "id"})[:1]
    assert "neither registered by the JWT standard (RFC 7519) nor one Cognito issues" in odd.meaning


def test_cognitos_own_claims_are_explained_as_cognitos():
    """Developer Guide, "Understanding the identity (ID) token" / "... the access token": the
    default payloads carry these; each is said to be Cognito's, never "custom"."""
    claims = {
        name: "x"
        for name in (
            "cognito:groups",
            "cognito:username",
            "origin_jti",
            "event_id",
            "token_use",
            "auth_time",
            "client_id",
            "username",
            "scope",
            "jti",
        )
    }
    for c in explain(claims):
        assert c.meaning.startswith("Cognito's: "), c
    assert "groups" in {c.name: c.meaning for c in explain(claims)}["cognito:groups"]


def test_a_foreign_tokens_registered_claims_get_the_standards_meaning():
    claims = {"iss": "https://example.auth0.com/", "sub": "auth0|1", "iat": NOW, "exp": NOW + 60}
    meanings = {c.name: c.meaning for c in explain(claims, now=NOW)}
    assert all("Cognito's" not in m for m in meanings.values())
    assert meanings["iat"].startswith("issued at: when the issuer made this token")
    assert "not a Cognito token" in meanings["sub"]


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
    assert summary.startswith("a refresh token was issued (opaque; ")
    assert summary.endswith("); it is never shown")
    for piece in REFRESH.split("."):
        assert piece not in summary
    assert REFRESH[:8] not in summary


def test_refresh_token_summary_says_what_the_app_client_says_not_a_fixed_30_days():
    # Developer Guide, "Refresh tokens": 30 days is the default; the app client's
    # RefreshTokenValidity (60 minutes to 10 years) decides, counted from the sign-in.
    assert "valid 2 days from sign-in" in refresh_token_summary(REFRESH, "2 days")
    assert "valid 90 minutes from sign-in" in refresh_token_summary(REFRESH, "90 minutes")
    unknown = refresh_token_summary(REFRESH)
    assert "RefreshTokenValidity" in unknown and "30 days from sign-in unless" in unknown
    assert "valid 30 days" not in unknown
    assert refresh_token_summary(None) == "no refresh token was issued"
    assert refresh_token_summary("") == "no refresh token was issued"
    with pytest.raises(ValueError):
        refresh_token_summary(REFRESH, " ")


def test_refresh_token_cannot_be_decoded():
    with pytest.raises(TokenError, match="JWE"):
        decode(REFRESH)
