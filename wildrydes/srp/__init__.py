"""Cognito's flavour of SRP-6a (Secure Remote Password), client and server side.

Amazon Cognito's ``USER_SRP_AUTH`` flow lets a client prove it knows a password without
sending it.  This module implements both roles as small pure functions so a notebook can
walk through each step, and so the kit's local stand-in for Cognito can check a sign-in:

client                                         server (Cognito)
------                                         ----------------
a = new_ephemeral_a(); A = compute_A(a)
InitiateAuth {USERNAME, SRP_A: hex(A)}   --->  b, B = server_ephemeral(v)
                                         <---  PASSWORD_VERIFIER challenge
                                               {SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP}
client_response(pool, password, a, challenge)
  -> {USERNAME, PASSWORD_CLAIM_SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE, TIMESTAMP}   --->  key = server_session_key(A, B, b, v)
                                               verify_claim(key, ...) / verify_response(...)

Cognito differs from RFC 5054 (SRP for TLS) in these places, all followed here:

* the group: RFC 5054's 3072-bit prime with g = 2, which is RFC 3526's MODP group 15
  (RFC 5054 Appendix A pairs that prime with g = 5);
* the hash: SHA-256 where RFC 5054 uses SHA-1;
* values are hashed as "padded hex" (:func:`pad_hex`), not padded to the length of N;
* x also hashes the pool name: ``x = H(PAD(salt) | H(poolName | userId | ":" | password))``;
* the session key is HKDF-SHA256 of S with salt PAD(u) and info "Caldera Derived Key",
  and the client proves it by an HMAC over the pool name, user id, secret block and time
  (instead of RFC 5054's M1/M2 messages).

The server keeps a salt and a verifier ``v = g^x``: that is what the kit's local backend stores.
AWS documents only that Cognito stores "a hash of each user's password with a user-specific
salt" (Developer Guide, "Passwords, account recovery, and password policies"). Like any password
hash, a stolen salt and verifier let an attacker test password guesses offline.

Big modular powers use ``gmpy2.powmod`` when gmpy2 is installed (a default dependency where
PyPI has a wheel for the platform) and Python's built-in ``pow`` otherwise; powers of the
generator then use a precomputed table. ``WILDRYDES_SRP_BACKEND=python`` forces the pure-Python
path in a process (the embedded backend inherits it), :func:`use_gmpy2` switches at run time.
"""

from wildrydes.errors import SrpError
from wildrydes.srp.client import (
    ClientSteps,
    auth_parameters,
    client_response,
    client_steps,
    compute_A,
    new_ephemeral_a,
)
from wildrydes.srp.server import (
    Verifier,
    make_verifier,
    server_ephemeral,
    server_session_key,
    verify_claim,
    verify_response,
)
from wildrydes.srp.shared import (
    BACKEND_ENV,
    EPHEMERAL_BITS,
    HKDF_INFO,
    G,
    K,
    N,
    claim_signature,
    cognito_timestamp,
    compute_u,
    compute_x,
    pad_hex,
    pool_name,
    powmod_backend,
    session_key,
    use_gmpy2,
)

__all__ = [
    # the group and its switches
    "BACKEND_ENV",
    "EPHEMERAL_BITS",
    "G",
    "HKDF_INFO",
    "K",
    "N",
    "SrpError",
    "pad_hex",
    "powmod_backend",
    "use_gmpy2",
    # steps both roles share
    "claim_signature",
    "cognito_timestamp",
    "compute_u",
    "compute_x",
    "pool_name",
    "session_key",
    # the client
    "ClientSteps",
    "auth_parameters",
    "client_response",
    "client_steps",
    "compute_A",
    "new_ephemeral_a",
    # the server
    "Verifier",
    "make_verifier",
    "server_ephemeral",
    "server_session_key",
    "verify_claim",
    "verify_response",
]
