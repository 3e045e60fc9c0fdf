"""Any JWT decoded, and checked against the user pool you name: the instructor's decoder.

:func:`inspect` decodes whatever it is given (like jwt.io) and says plainly which checks it
could not make. To *trust* a token you must name the pool you expect (:class:`ExpectedPool`):
the keys then come from that pool's JWKS URL and ``iss`` must be that pool's issuer, as AWS's
guide does it (Developer Guide, "Verifying JSON web tokens": the issuer "should match your user
pool"; RFC 8725 section 3.8: the keys must belong to the issuer you trust). Without an expected
pool the keys are looked for where the token's own ``iss`` points (Cognito:
``<iss>/.well-known/jwks.json``; a pool that exists on the running local backend is looked up
there first, since the kit's backend writes Cognito's issuer form). A signature that matches
those keys proves only that nobody edited the token since *some* pool signed it: a token minted
in an attacker's own pool passes that, so the issuer is then shown as not checked and the token
is never called valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import requests

from wildrydes import render
from wildrydes.errors import TokenError
from wildrydes.local import process
from wildrydes.tokens.decoding import DecodedToken, decode
from wildrydes.tokens.jwks import issuer
from wildrydes.tokens.verification import CHECK_NAMES, Check, Verification, verify

__all__ = [
    "NOT_CHECKED",
    "ExpectedPool",
    "Inspection",
    "KeySource",
    "Verdicts",
    "inspect",
    "jwks_candidates",
]

#: Cognito's issuer: https://cognito-idp.<region>.amazonaws.com/<pool id> (developer guide,
#: "Verifying a JSON Web Token").
_COGNITO_ISS = re.compile(
    r"^https://cognito-idp\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<pool>[\w-]+_[0-9A-Za-z]+)$"
)
NOT_CHECKED = "not checked: "
_UNPINNED_ISSUER = (
    "no expected pool named: iss is only a claim, and the keys came from where the token "
    "itself points, so a token from anyone's user pool would pass; name the pool you expect "
    "(expect=ExpectedPool(region, user_pool_id), or --user-pool-id)"
)


@dataclass(frozen=True)
class ExpectedPool:
    """The user pool a token must come from: the issuer to require, and where its keys are.

    ``jwks_url``: None looks on the running local backend first, then at AWS's URL under the
    issuer. ``issuer``: None is Cognito's form for ``region`` and ``user_pool_id``; an
    AWS-compatible endpoint may publish another in its openid-configuration.
    """

    region: str
    user_pool_id: str
    jwks_url: str | None = None
    issuer: str | None = None

    @property
    def expected_issuer(self) -> str:
        return self.issuer or issuer(self.region, self.user_pool_id)


@dataclass(frozen=True)
class KeySource:
    """Where the token's signing keys were looked for, and what came of it."""

    url: str
    what: str  # "the local backend", "the issuer" or "the expected pool"
    found: bool
    note: str = ""


@dataclass(frozen=True)
class Inspection:
    """A token decoded without a pool, and each check with its verdict (or why not made)."""

    verification: Verification
    keys: KeySource | None = None
    sources: list[KeySource] = field(default_factory=list)

    @property
    def token(self) -> DecodedToken | None:
        return self.verification.token

    @property
    def ok(self) -> bool:
        return self.verification.ok

    @property
    def not_checked(self) -> list[Check]:
        return [c for c in self.verification.checks if c.detail.startswith(NOT_CHECKED)]

    def _where(self) -> str:
        if self.keys:
            return f"keys from {self.keys.what}: {self.keys.url}"
        tried = "; ".join(f"{s.url} ({s.note})" for s in self.sources)
        return "no signing keys could be fetched" + (f" (tried {tried})" if tried else "")

    def as_json(self) -> dict[str, Any]:
        token = self.token
        return {
            "header": token.header if token else None,
            "claims": token.claims if token else None,
            "checks": [
                {
                    "name": c.name,
                    "ok": c.ok,
                    "detail": c.detail,
                    "checked": not c.detail.startswith(NOT_CHECKED),
                }
                for c in self.verification.checks
            ],
            "jwks_url": self.keys.url if self.keys else None,
            "ok": self.ok,
        }

    def summary(self) -> str:
        unchecked = [c.name for c in self.not_checked]
        failed = [c.name for c in self.verification.checks if not c.ok and c.name not in unchecked]
        if failed:
            return (
                "token is NOT valid: failed "
                + ", ".join(failed)
                + (f"; not checked: {', '.join(unchecked)}" if unchecked else "")
            )
        if unchecked:
            return "every check that could be made passed; not checked: " + ", ".join(unchecked)
        return f"token is valid: all {len(self.verification.checks)} checks passed"

    @property
    def verdicts(self) -> Verdicts:
        """The checks alone (where the keys came from, each verdict, the summary), to show
        without the decoded token."""
        return Verdicts(self)

    def checks_text(self) -> str:
        """Where the keys came from, each check's verdict, and the summary, as text."""
        checks = self.verification.checks
        width = max((len(c.name) for c in checks), default=0)
        parts = [self._where(), "", "Checks"]
        parts += [
            f"{'-' if c in self.not_checked else '✓' if c.ok else '✗'} "
            f"{c.name.ljust(width)}  {c.detail}"
            for c in checks
        ]
        parts.append(self.summary())
        return "\n".join(parts)

    def __str__(self) -> str:
        parts = [str(self.token), ""] if self.token else []
        return "\n".join([*parts, self.checks_text()])

    def _repr_html_(self) -> str:
        return (self.token._repr_html_() if self.token else "") + self.checks_html()

    def checks_html(self) -> str:
        """Where the keys came from, each check's verdict, and the summary (no token)."""
        parts = [f"<p>{render.escape(self._where())}</p>"]
        rows = [
            [
                render.code(c.name),
                render.tinted(render.AMBER, "– not checked")
                if c in self.not_checked
                else render.mark(c.ok),
                render.escape(c.detail),
            ]
            for c in self.verification.checks
        ]
        failed = any(not c.ok and c not in self.not_checked for c in self.verification.checks)
        parts.append(
            render.table(["check", "result", "why"], rows, css_class="wildrydes-inspection")
        )
        parts.append(render.verdict(True if self.ok else False if failed else None, self.summary()))
        return "".join(parts)


@dataclass(frozen=True)
class Verdicts:
    """An inspection's checks without its token: a check that could not be made shows as not
    checked (amber), never as passed or failed."""

    inspection: Inspection

    def __str__(self) -> str:
        return self.inspection.checks_text()

    def _repr_html_(self) -> str:
        return self.inspection.checks_html()


def _local_endpoint() -> str | None:
    """The running embedded backend's URL, without starting one."""
    running = process.status()
    return running.url if running else None


def jwks_candidates(iss: str, local_endpoint: str | None) -> list[tuple[str, str]]:
    """Where the keys of a token with this ``iss`` may be: (url, what), best first."""
    found = []
    match = _COGNITO_ISS.match(iss or "")
    if match and local_endpoint:
        found.append(
            (
                f"{local_endpoint.rstrip('/')}/{match['pool']}/.well-known/jwks.json",
                "the local backend",
            )
        )
    if isinstance(iss, str) and iss.startswith("https://"):
        found.append((f"{iss.rstrip('/')}/.well-known/jwks.json", "the issuer"))
    return found


def _fetch(url: str) -> dict[str, Any]:
    response = requests.get(url, timeout=5)
    if response.status_code != 200:
        raise TokenError(f"HTTP {response.status_code}")
    data = response.json()
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise TokenError("the answer is not a key set")
    return data


def _not_checked(name: str, why: str) -> Check:
    return Check(name, False, NOT_CHECKED + why)


def _key_sources(
    iss: str, expect: ExpectedPool | None, local_endpoint: str | None
) -> list[tuple[str, str]]:
    """Where to look for the keys: the expected pool's, else where the token's iss points."""
    if expect is None:
        return jwks_candidates(iss, local_endpoint)
    if expect.jwks_url:
        return [(expect.jwks_url, "the expected pool")]
    return jwks_candidates(expect.expected_issuer, local_endpoint)


def inspect(
    token: str,
    expect: ExpectedPool | None = None,
    *,
    client_id: str | None = None,
    expected_use: str | None = None,
    now: float | None = None,
    local_endpoint: str | None | bool = True,
) -> Inspection:
    """Decode any JWT and verify what can be verified; never raises for a bad token.

    ``expect``: the pool the token must come from; without it the issuer is not checked (the
    keys would come from wherever the token points) and the token is never called valid.
    ``client_id``: the app client the token must be for (otherwise the audience is not
    checked). ``local_endpoint``: True finds the running embedded backend; a URL uses that
    one; None or False looks only at AWS's URLs.
    """
    try:
        decoded = decode(token)
    except TokenError as e:
        skipped = "the token could not be decoded"
        checks = [Check("format", False, str(e))]
        checks += [_not_checked(name, skipped) for name in CHECK_NAMES[1:]]
        return Inspection(Verification(checks=checks, token=None))
    if local_endpoint is True:
        local_endpoint = _local_endpoint()
    iss = decoded.claims.get("iss")
    kid = decoded.header.get("kid")
    sources, chosen, jwks = [], None, None
    where = _key_sources(iss if isinstance(iss, str) else "", expect, local_endpoint or None)
    for url, what in where:
        try:
            candidate = _fetch(url)
        except (requests.RequestException, ValueError, TokenError) as e:
            reason = (
                f"{type(e).__name__}: offline, or the host does not answer"
                if isinstance(e, requests.ConnectionError)
                else f"{type(e).__name__}: {e}"
            )
            sources.append(KeySource(url, what, False, reason[:160]))
            continue
        if expect is None and kid not in {k.get("kid") for k in candidate["keys"]}:
            sources.append(KeySource(url, what, False, f"no key with kid {kid}"))
            continue
        # The expected pool's keys are the ones to check with, whether or not they hold the
        # token's kid: a token from another pool then fails the key check.
        chosen, jwks = KeySource(url, what, True), candidate
        sources.append(chosen)
        break
    if expect is not None:
        region, pool, wanted = expect.region, expect.user_pool_id, expect.expected_issuer
    else:
        match = _COGNITO_ISS.match(iss) if isinstance(iss, str) else None
        region, pool = (match["region"], match["pool"]) if match else ("-", "-")
        wanted = iss if isinstance(iss, str) and iss else "-"
    verification = verify(
        decoded.raw,
        jwks=jwks or {"keys": []},
        region=region,
        user_pool_id=pool,
        client_id=client_id or "-",
        expected_use=expected_use,
        now=now,
        expected_issuer=wanted,
    )
    checks = []
    for check in verification.checks:
        if check.name in ("key", "signature") and jwks is None:
            whose = "the expected pool's" if expect is not None else "its issuer's"
            why = (
                "the token names no https issuer to fetch keys from"
                if not sources
                else f"{whose} keys could not be fetched ("
                + "; ".join(f"{s.url}: {s.note}" for s in sources)
                + ")"
            )
            check = _not_checked(check.name, why)
        elif check.name == "signature" and expect is None and check.ok:
            check = Check(
                "signature",
                True,
                "RS256 signature matches the keys its own iss points to: nobody changed it "
                "since that issuer signed it, whoever the issuer is",
            )
        elif check.name == "issuer" and expect is None:
            check = _not_checked("issuer", _UNPINNED_ISSUER)
        elif check.name == "audience" and not client_id:
            check = _not_checked("audience", "no app client given to compare with (--client-id)")
        checks.append(check)
    return Inspection(Verification(checks=checks, token=decoded), chosen, sources)
