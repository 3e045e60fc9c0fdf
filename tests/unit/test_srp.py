"""Tests for wildrydes.srp: both SRP roles, checked against pycognito and against themselves."""

from __future__ import annotations

import base64
import hashlib
import locale
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycognito import aws_srp

from wildrydes import srp

POOL_ID = "us-east-1_AbC123"
USER_ID = "6f1c2d3e-0000-4a5b-9c8d-112233445566"
PASSWORD = "Correct-Horse-9"
SECRET_BLOCK = base64.b64encode(b"opaque server state \x00\xff" * 8).decode()
TIMESTAMP = "Thu Nov 5 09:03:01 UTC 2026"
FIXED_NOW = datetime(2026, 11, 5, 9, 3, 1)

try:
    import gmpy2  # noqa: F401

    BACKENDS = ["python", "gmpy2"]
except ImportError:  # pragma: no cover - depends on the environment
    BACKENDS = ["python"]

# Hypothesis settings: few examples, since every one does several 3072-bit powers.
FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text_no_surrogates = st.characters(blacklist_categories=("Cs",))
passwords = st.text(text_no_surrogates, min_size=0, max_size=40)
user_ids = st.text(text_no_surrogates, min_size=1, max_size=40)
pool_ids = st.builds(
    lambda region, name: f"{region}_{name}",
    st.from_regex(r"[a-z]{2}-[a-z]{4,9}-[1-9]", fullmatch=True),
    st.text(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12
    ),
)
secret_blocks = st.binary(min_size=1, max_size=64).map(lambda b: base64.b64encode(b).decode())


@contextmanager
def backend(name: str) -> Iterator[None]:
    """Run with one big-number backend, then restore the previous one."""
    before = srp.powmod_backend() == "gmpy2"
    assert srp.use_gmpy2(name == "gmpy2") == (name == "gmpy2")
    try:
        yield
    finally:
        srp.use_gmpy2(before)


@dataclass
class Server:
    verifier: srp.Verifier
    b: int
    B: int
    challenge: dict[str, str]


def new_server(
    pool_id: str = POOL_ID,
    user_id: str = USER_ID,
    password: str = PASSWORD,
    secret_block: str = SECRET_BLOCK,
    username: str | None = None,
) -> Server:
    """Our own server side: register the user, then issue a PASSWORD_VERIFIER challenge."""
    verifier = srp.make_verifier(pool_id, user_id, password)
    b, B = srp.server_ephemeral(verifier.verifier)
    challenge = {
        "SALT": verifier.salt_hex,
        "SRP_B": format(B, "x"),
        "SECRET_BLOCK": secret_block,
        "USER_ID_FOR_SRP": user_id,
        "USERNAME": username if username is not None else user_id,
    }
    return Server(verifier, b, B, challenge)


def pycognito_client(pool_id: str, password: str, username: str, a: int | None = None):
    """pycognito's SRP client (no AWS client is built), optionally forced to use our ``a``."""
    client = aws_srp.AWSSRP(username, password, pool_id, "client-id", client=object())
    if a is not None:
        client.small_a_value = a
        client.large_a_value = client.calculate_a()
    return client


def pycognito_answer(client, challenge: dict[str, str], now: datetime) -> dict[str, str]:
    """pycognito's ChallengeResponses, with its clock frozen at ``now`` (naive UTC)."""
    frozen = SimpleNamespace(datetime=SimpleNamespace(utcnow=lambda: now))
    with mock.patch.object(aws_srp, "datetime", frozen):
        return client.process_challenge(challenge, {"USERNAME": challenge["USERNAME"]})


def server_accepts(server: Server, pool_id: str, A: int, response: dict[str, str]) -> bool:
    key = srp.server_session_key(A, server.B, server.b, server.verifier.verifier)
    return srp.verify_response(key, pool_id, server.challenge, response)


# --- constants -------------------------------------------------------------------------------


def _pi_times_two_to(bits: int) -> int:
    """floor(pi * 2**bits), from Machin's formula pi = 16 atan(1/5) - 4 atan(1/239) in integers
    (64 guard bits)."""
    one = 1 << (bits + 64)

    def atan_inverse(x: int) -> int:
        total = term = one // x
        n, sign = 1, -1
        while term:
            term //= x * x
            total += sign * (term // (2 * n + 1))
            n, sign = n + 1, -sign
        return total

    return (16 * atan_inverse(5) - 4 * atan_inverse(239)) >> 64


def test_the_group_is_rfc3526_group_15_with_g_2_not_rfc5054s_g_5():
    # RFC 3526 section 4: "The prime is: 2^3072 - 2^3008 - 1 + 2^64 * { [2^2942 pi] + 1690314 }
    # ... The generator is: 2." RFC 5054 Appendix A lists the same prime with generator 5;
    # Cognito (amazon-cognito-identity-js, pycognito) uses 2. Notebook 05 says which is which.
    rfc3526_p = 2**3072 - 2**3008 - 1 + 2**64 * (_pi_times_two_to(2942) + 1690314)
    assert rfc3526_p == srp.N
    assert srp.G == 2


def test_the_password_claim_answers_with_the_four_documented_parameters():
    # API Reference, RespondToAuthChallenge: PASSWORD_VERIFIER is answered with
    # PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK and TIMESTAMP, and every challenge
    # requires USERNAME (notebook 05's diagram names these four).
    a = srp.new_ephemeral_a()
    verifier = srp.make_verifier(POOL_ID, USER_ID, PASSWORD, "0a1b2c3d")
    _, B = srp.server_ephemeral(verifier.verifier)
    challenge = {
        "SALT": verifier.salt_hex,
        "SRP_B": format(B, "x"),
        "SECRET_BLOCK": base64.b64encode(b"block").decode(),
        "USER_ID_FOR_SRP": USER_ID,
    }
    steps = srp.client_steps(POOL_ID, PASSWORD, a, challenge)
    assert set(steps.response) == {
        "USERNAME",
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "PASSWORD_CLAIM_SIGNATURE",
        "TIMESTAMP",
    }


def test_a_stolen_salt_and_verifier_let_anyone_test_password_guesses_offline():
    # Notebook 05: v does not give the password back, but it is a salted password hash all
    # the same: recomputing it for each guess finds the password.
    stolen = srp.make_verifier(POOL_ID, USER_ID, "Unicorn-Rides-7", "5a17")
    guesses = ["password1", "Unicorn-Rides-6", "Unicorn-Rides-7", "letmein"]
    found = [
        g
        for g in guesses
        if srp.make_verifier(POOL_ID, USER_ID, g, stolen.salt_hex).verifier == stolen.verifier
    ]
    assert found == ["Unicorn-Rides-7"]


def test_group_is_the_3072_bit_prime_with_g_2_and_matches_pycognito():
    assert int(aws_srp.N_HEX, 16) == srp.N
    assert srp.N.bit_length() == 3072
    assert srp.G == 2
    assert pow(srp.G, srp.N - 1, srp.N) == 1  # Fermat: N is (probably) prime
    assert pow(srp.G, (srp.N - 1) // 2, srp.N) == 1  # 2 generates the order-q subgroup


def test_k_is_hash_of_padded_n_and_g():
    expected = hashlib.sha256(bytes.fromhex("00" + format(srp.N, "x") + "02")).digest()
    assert int.from_bytes(expected, "big") == srp.K
    assert pycognito_client(POOL_ID, PASSWORD, USER_ID).val_k == srp.K


# --- pad_hex ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "padded"),
    [
        (0, "00"),
        (1, "01"),
        (0x7F, "7f"),
        (0x80, "0080"),
        (0xFF, "00ff"),
        (0x100, "0100"),
        (0xABC, "0abc"),
        (0x7ABC, "7abc"),
        (0x8ABC, "008abc"),
        (0xFFFFFF, "00ffffff"),
    ],
)
def test_pad_hex_cases(value, padded):
    assert srp.pad_hex(value) == padded


def test_pad_hex_of_n_gets_a_zero_byte():
    assert srp.pad_hex(srp.N) == "00" + format(srp.N, "x")


def test_pad_hex_rejects_negative():
    with pytest.raises(srp.SrpError):
        srp.pad_hex(-1)


@given(st.integers(min_value=0, max_value=1 << 3100))
@settings(max_examples=200)
def test_pad_hex_properties(value):
    padded = srp.pad_hex(value)
    assert int(padded, 16) == value
    assert len(padded) % 2 == 0
    assert padded[0] in "01234567"
    minimal = format(value, "x")
    assert len(padded) - len(minimal) in (0, 1, 2)
    assert padded == aws_srp.pad_hex(value)


# --- small helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pool_id", "name"),
    [("us-east-1_AbC123", "AbC123"), ("eu-west-2_x", "x")],
)
def test_pool_name(pool_id, name):
    assert srp.pool_name(pool_id) == name


@pytest.mark.parametrize("pool_id", ["", "us-east-1", "us-east-1_", "_AbC", "a_b_c"])
def test_pool_name_rejects_malformed_ids(pool_id):
    with pytest.raises(srp.SrpError):
        srp.pool_name(pool_id)


def test_new_ephemeral_a_has_256_random_bits():
    values = [srp.new_ephemeral_a() for _ in range(32)]
    assert len(set(values)) == len(values)
    assert all(1 < a < 1 << 256 for a in values)
    assert max(a.bit_length() for a in values) >= 250


def test_compute_x_reads_the_salt_as_an_integer():
    def x(salt):
        return srp.compute_x(POOL_ID, USER_ID, PASSWORD, salt)

    assert x("0012ab") == x("12ab") == x("12AB")
    assert x("12ab") != x("12ac")
    manual = hashlib.sha256(
        bytes.fromhex("12ab") + hashlib.sha256(f"AbC123{USER_ID}:{PASSWORD}".encode()).digest()
    ).digest()
    assert x("12ab") == int.from_bytes(manual, "big")


def test_compute_x_rejects_a_salt_that_is_not_hex():
    with pytest.raises(srp.SrpError):
        srp.compute_x(POOL_ID, USER_ID, PASSWORD, "not-hex")


@given(st.integers(min_value=1, max_value=srp.N - 1), st.integers(min_value=1, max_value=2**256))
@settings(max_examples=25)
def test_session_key_is_hkdf_sha256(S, u):
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=16,
        salt=bytes.fromhex(srp.pad_hex(u)),
        info=b"Caldera Derived Key",
    )
    assert srp.session_key(S, u) == hkdf.derive(bytes.fromhex(srp.pad_hex(S)))


def test_auth_parameters():
    A = srp.compute_A(srp.new_ephemeral_a())
    params = srp.auth_parameters("alice@example.com", A)
    assert params == {"USERNAME": "alice@example.com", "SRP_A": format(A, "x")}
    assert int(params["SRP_A"], 16) == A


def test_make_verifier_with_given_salt_is_deterministic():
    one = srp.make_verifier(POOL_ID, USER_ID, PASSWORD, "0a1b2c3d")
    two = srp.make_verifier(POOL_ID, USER_ID, PASSWORD, "0a1b2c3d")
    assert one == two == srp.Verifier("0a1b2c3d", one.verifier)
    x = srp.compute_x(POOL_ID, USER_ID, PASSWORD, "0a1b2c3d")
    assert one.verifier == pow(2, x, srp.N)


def test_make_verifier_salts_are_random_16_bytes():
    salts = {srp.make_verifier(POOL_ID, USER_ID, PASSWORD).salt_hex for _ in range(8)}
    assert len(salts) == 8
    assert all(len(s) <= 34 and int(s, 16) < 1 << 128 for s in salts)
    assert any(int(s, 16).bit_length() > 120 for s in salts)


# --- timestamp -------------------------------------------------------------------------------


def test_timestamp_day_is_not_zero_padded():
    assert srp.cognito_timestamp(FIXED_NOW) == "Thu Nov 5 09:03:01 UTC 2026"
    assert srp.cognito_timestamp(datetime(2027, 1, 12, 0, 0, 9)) == "Tue Jan 12 00:00:09 UTC 2027"


def test_timestamp_converts_aware_datetimes_to_utc():
    paris = timezone(timedelta(hours=1))
    assert srp.cognito_timestamp(datetime(2026, 11, 5, 10, 3, 1, tzinfo=paris)) == TIMESTAMP
    late = datetime(2026, 11, 4, 23, 30, tzinfo=timezone(timedelta(hours=-10)))
    assert srp.cognito_timestamp(late) == "Thu Nov 5 09:30:00 UTC 2026"


def test_timestamp_defaults_to_now_in_utc():
    before = datetime.now(timezone.utc)
    stamp = srp.cognito_timestamp()
    after = datetime.now(timezone.utc)
    assert stamp in {srp.cognito_timestamp(before), srp.cognito_timestamp(after)}


def test_timestamp_uses_english_names_for_every_month_and_weekday():
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for month, name in enumerate(months, start=1):
        assert srp.cognito_timestamp(datetime(2026, month, 1)).split()[1] == name
    # 2026-11-02 is a Monday
    weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    for offset, name in enumerate(weekdays):
        day = datetime(2026, 11, 2) + timedelta(days=offset)
        assert srp.cognito_timestamp(day).split()[0] == name


@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(9999, 1, 1)))
@settings(max_examples=100)
def test_timestamp_matches_pycognito(moment):
    assert srp.cognito_timestamp(moment) == aws_srp.AWSSRP.get_cognito_formatted_timestamp(moment)


def test_timestamp_ignores_the_locale():
    saved = locale.setlocale(locale.LC_TIME)
    for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "es_ES.UTF-8", "de_DE.utf8", "fr_FR.utf8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        try:
            assert datetime(2026, 5, 5).strftime("%a %b") != "Tue May"  # the locale took
            assert srp.cognito_timestamp(datetime(2026, 5, 5, 9, 3, 1)) == (
                "Tue May 5 09:03:01 UTC 2026"
            )
        finally:
            locale.setlocale(locale.LC_TIME, saved)
        return
    pytest.skip("no non-English locale is installed")


# --- client against pycognito ----------------------------------------------------------------


@pytest.mark.parametrize("name", BACKENDS)
def test_A_matches_pycognito(name):
    with backend(name):
        ours = srp.new_ephemeral_a()
        assert (
            srp.compute_A(ours) == pycognito_client(POOL_ID, PASSWORD, USER_ID, ours).large_a_value
        )
        theirs = pycognito_client(POOL_ID, PASSWORD, USER_ID)  # its own 1024-bit a
        assert srp.compute_A(theirs.small_a_value) == theirs.large_a_value


@pytest.mark.parametrize("name", BACKENDS)
def test_client_matches_pycognito(name):
    with backend(name):
        server = new_server(username="alice@example.com")
        a = srp.new_ephemeral_a()
        steps = srp.client_steps(POOL_ID, PASSWORD, a, server.challenge, TIMESTAMP)
        theirs = pycognito_client(POOL_ID, PASSWORD, "alice@example.com", a)
        answer = pycognito_answer(theirs, server.challenge, FIXED_NOW)
        key = theirs.get_password_authentication_key(
            USER_ID, PASSWORD, server.B, server.challenge["SALT"]
        )
    assert theirs.large_a_value == steps.A
    assert steps.key == key
    assert answer["TIMESTAMP"] == steps.timestamp == TIMESTAMP
    assert answer["PASSWORD_CLAIM_SIGNATURE"] == steps.signature
    assert answer["PASSWORD_CLAIM_SECRET_BLOCK"] == steps.response["PASSWORD_CLAIM_SECRET_BLOCK"]
    assert steps.response["USERNAME"] == USER_ID  # USER_ID_FOR_SRP, as the JS SDK sends


@given(
    pool_id=pool_ids,
    user_id=user_ids,
    password=passwords,
    secret_block=secret_blocks,
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    name=st.sampled_from(BACKENDS),
)
@FEW
def test_client_matches_pycognito_for_random_input(
    pool_id, user_id, password, secret_block, moment, name
):
    with backend(name):
        server = new_server(pool_id, user_id, password, secret_block)
        a = srp.new_ephemeral_a()
        theirs = pycognito_client(pool_id, password, user_id, a)
        answer = pycognito_answer(theirs, server.challenge, moment)
        ours = srp.client_response(pool_id, password, a, server.challenge, answer["TIMESTAMP"])
        assert ours == answer
        assert server_accepts(server, pool_id, theirs.large_a_value, ours)


# --- round trips with our own server ---------------------------------------------------------


@pytest.mark.parametrize("name", BACKENDS)
def test_round_trip(name):
    with backend(name):
        server = new_server()
        a = srp.new_ephemeral_a()
        steps = srp.client_steps(POOL_ID, PASSWORD, a, server.challenge)
        key = srp.server_session_key(steps.A, server.B, server.b, server.verifier.verifier)
        assert key == steps.key
        assert srp.compute_A(a) == steps.A
        assert steps.u == srp.compute_u(steps.A, server.B)
        assert steps.response["TIMESTAMP"] == steps.timestamp
        assert srp.verify_claim(
            key, POOL_ID, USER_ID, SECRET_BLOCK, steps.timestamp, steps.signature
        )
        assert srp.verify_response(key, POOL_ID, server.challenge, steps.response)


@given(
    pool_id=pool_ids,
    user_id=user_ids,
    password=passwords,
    secret_block=secret_blocks,
    name=st.sampled_from(BACKENDS),
)
@FEW
def test_round_trip_for_random_input(pool_id, user_id, password, secret_block, name):
    with backend(name):
        server = new_server(pool_id, user_id, password, secret_block)
        a = srp.new_ephemeral_a()
        response = srp.client_response(pool_id, password, a, server.challenge)
        assert server_accepts(server, pool_id, srp.compute_A(a), response)
        wrong = srp.client_response(pool_id, password + "!", a, server.challenge)
        assert not server_accepts(server, pool_id, srp.compute_A(a), wrong)


def test_wrong_password_is_rejected():
    server = new_server()
    a = srp.new_ephemeral_a()
    response = srp.client_response(POOL_ID, PASSWORD.lower(), a, server.challenge, TIMESTAMP)
    assert not server_accepts(server, POOL_ID, srp.compute_A(a), response)
    key = srp.server_session_key(srp.compute_A(a), server.B, server.b, server.verifier.verifier)
    assert not srp.verify_claim(
        key, POOL_ID, USER_ID, SECRET_BLOCK, TIMESTAMP, response["PASSWORD_CLAIM_SIGNATURE"]
    )


@pytest.fixture
def signed_in():
    """A server, the client's A and its correct response, and the server's key."""
    server = new_server()
    a = srp.new_ephemeral_a()
    A = srp.compute_A(a)
    response = srp.client_response(POOL_ID, PASSWORD, a, server.challenge, TIMESTAMP)
    key = srp.server_session_key(A, server.B, server.b, server.verifier.verifier)
    assert srp.verify_response(key, POOL_ID, server.challenge, response)
    return SimpleNamespace(server=server, a=a, A=A, response=response, key=key)


def test_changed_secret_block_is_rejected(signed_in):
    other_block = base64.b64encode(b"another block").decode()
    # the client signed a block the server did not issue
    forged = srp.client_response(
        POOL_ID,
        PASSWORD,
        signed_in.a,
        {**signed_in.server.challenge, "SECRET_BLOCK": other_block},
        TIMESTAMP,
    )
    assert not srp.verify_claim(
        signed_in.key,
        POOL_ID,
        USER_ID,
        SECRET_BLOCK,
        TIMESTAMP,
        forged["PASSWORD_CLAIM_SIGNATURE"],
    )
    assert not srp.verify_response(signed_in.key, POOL_ID, signed_in.server.challenge, forged)
    # the client echoes a different block with the right signature
    echoed = {**signed_in.response, "PASSWORD_CLAIM_SECRET_BLOCK": other_block}
    assert not srp.verify_response(signed_in.key, POOL_ID, signed_in.server.challenge, echoed)


def test_changed_timestamp_is_rejected(signed_in):
    later = "Thu Nov 5 09:03:02 UTC 2026"
    assert not srp.verify_claim(
        signed_in.key,
        POOL_ID,
        USER_ID,
        SECRET_BLOCK,
        later,
        signed_in.response["PASSWORD_CLAIM_SIGNATURE"],
    )
    changed = {**signed_in.response, "TIMESTAMP": later}
    assert not srp.verify_response(signed_in.key, POOL_ID, signed_in.server.challenge, changed)


@pytest.mark.parametrize("byte", [0, 17, 31])
def test_changed_signature_is_rejected(signed_in, byte):
    raw = bytearray(base64.b64decode(signed_in.response["PASSWORD_CLAIM_SIGNATURE"]))
    raw[byte] ^= 0x01
    changed = {**signed_in.response, "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(raw).decode()}
    assert not srp.verify_response(signed_in.key, POOL_ID, signed_in.server.challenge, changed)


@pytest.mark.parametrize("signature", ["", "not base64!", "é", "AAAA"])
def test_malformed_signature_is_rejected_not_raised(signed_in, signature):
    assert not srp.verify_claim(signed_in.key, POOL_ID, USER_ID, SECRET_BLOCK, TIMESTAMP, signature)


def test_changed_username_is_rejected(signed_in):
    changed = {**signed_in.response, "USERNAME": "mallory"}
    assert not srp.verify_response(signed_in.key, POOL_ID, signed_in.server.challenge, changed)
    missing = {k: v for k, v in signed_in.response.items() if k != "TIMESTAMP"}
    assert not srp.verify_response(signed_in.key, POOL_ID, signed_in.server.challenge, missing)


def test_pycognito_client_verifies_with_our_server():
    server = new_server(username="alice@example.com")
    theirs = pycognito_client(POOL_ID, PASSWORD, "alice@example.com")  # its own random a
    answer = pycognito_answer(theirs, server.challenge, FIXED_NOW)
    key = srp.server_session_key(theirs.large_a_value, server.B, server.b, server.verifier.verifier)
    assert srp.verify_claim(
        key,
        POOL_ID,
        USER_ID,
        SECRET_BLOCK,
        answer["TIMESTAMP"],
        answer["PASSWORD_CLAIM_SIGNATURE"],
    )
    assert srp.verify_response(key, POOL_ID, server.challenge, answer)
    imposter = pycognito_client(POOL_ID, PASSWORD + "x", "alice@example.com")
    bad = pycognito_answer(imposter, server.challenge, FIXED_NOW)
    bad_key = srp.server_session_key(
        imposter.large_a_value, server.B, server.b, server.verifier.verifier
    )
    assert not srp.verify_response(bad_key, POOL_ID, server.challenge, bad)


# --- unsafe values ---------------------------------------------------------------------------


@pytest.mark.parametrize("multiple", [0, 1, 2])
def test_client_rejects_b_that_is_zero_mod_n(multiple):
    challenge = {**new_server().challenge, "SRP_B": format(multiple * srp.N, "x")}
    with pytest.raises(srp.SrpError):
        srp.client_response(POOL_ID, PASSWORD, srp.new_ephemeral_a(), challenge)


def test_client_and_server_reject_u_zero(monkeypatch):
    server = new_server()
    a = srp.new_ephemeral_a()
    for role in ("client", "server"):  # each role computes u itself
        monkeypatch.setattr(f"wildrydes.srp.{role}.compute_u", lambda A, B: 0)
    with pytest.raises(srp.SrpError):
        srp.client_response(POOL_ID, PASSWORD, a, server.challenge)
    with pytest.raises(srp.SrpError):
        srp.server_session_key(srp.compute_A(a), server.B, server.b, server.verifier.verifier)


@pytest.mark.parametrize("multiple", [0, 1, 2])
def test_server_rejects_a_that_is_zero_mod_n(multiple):
    server = new_server()
    with pytest.raises(srp.SrpError):
        srp.server_session_key(multiple * srp.N, server.B, server.b, server.verifier.verifier)


def test_compute_a_rejects_non_positive_secret():
    with pytest.raises(srp.SrpError):
        srp.compute_A(0)


@pytest.mark.parametrize(
    "change",
    [
        {"SALT": None},
        {"SRP_B": None},
        {"SECRET_BLOCK": None},
        {"USER_ID_FOR_SRP": None},
        {"SRP_B": "xyz"},
        {"SECRET_BLOCK": "not base64!"},
    ],
)
def test_client_rejects_malformed_challenges(change):
    challenge = {**new_server().challenge, **change}
    challenge = {k: v for k, v in challenge.items() if v is not None}
    with pytest.raises(srp.SrpError):
        srp.client_response(POOL_ID, PASSWORD, srp.new_ephemeral_a(), challenge)


def test_server_b_is_in_range_and_fresh():
    verifier = srp.make_verifier(POOL_ID, USER_ID, PASSWORD).verifier
    (b1, B1), (b2, B2) = srp.server_ephemeral(verifier), srp.server_ephemeral(verifier)
    assert b1 != b2 and B1 != B2
    assert 0 < B1 < srp.N and 0 < B2 < srp.N
    assert (srp.K * verifier + pow(2, b1, srp.N)) % srp.N == B1


# -- which big-number backend a process uses ---------------------------------------------------
def _gmpy2_requirement():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    from packaging.requirements import Requirement

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    found = [Requirement(d) for d in dependencies if Requirement(d).name == "gmpy2"]
    assert len(found) == 1, "gmpy2 is a default dependency (where a wheel exists)"
    return found[0]


def test_gmpy2_is_installed_and_used_where_pyproject_promises_a_wheel():
    requirement = _gmpy2_requirement()
    assert requirement.marker is not None, "only where PyPI has a wheel: never compile GMP"
    if not requirement.marker.evaluate():
        pytest.skip("no gmpy2 wheel for this platform: the pure-Python path is the default")
    assert "gmpy2" in BACKENDS, "the kit's install should have brought gmpy2"
    assert _backend_in_a_new_process({}) == "gmpy2"


def test_the_marker_admits_the_platforms_with_wheels_and_not_the_others():
    marker = _gmpy2_requirement().marker
    base = {"platform_python_implementation": "CPython", "python_version": "3.12"}
    for machine in ("x86_64", "AMD64", "aarch64", "arm64"):
        assert marker.evaluate({**base, "platform_machine": machine}), machine
    for machine in ("i686", "ppc64le", "s390x", "armv7l"):
        assert not marker.evaluate({**base, "platform_machine": machine}), machine
    assert not marker.evaluate(
        {**base, "platform_machine": "x86_64", "platform_python_implementation": "PyPy"}
    )


def _backend_in_a_new_process(env: dict[str, str]) -> str:
    code = "from wildrydes import srp; print(srp.powmod_backend())"
    environ = {k: v for k, v in os.environ.items() if k != srp.BACKEND_ENV}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_the_environment_forces_the_pure_python_path():
    assert _backend_in_a_new_process({srp.BACKEND_ENV: "python"}) == "python"
    default = "gmpy2" if "gmpy2" in BACKENDS else "python"
    assert _backend_in_a_new_process({srp.BACKEND_ENV: ""}) == default


def test_pure_python_path_signs_in_with_pycognito_when_gmpy2_is_installed():
    """The pure path is not only the fallback of other platforms: it stays right here too."""
    with backend("python"):
        assert srp.powmod_backend() == "python"
        test_pycognito_client_verifies_with_our_server()
