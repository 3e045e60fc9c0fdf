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

from dataclasses import dataclass, field
from typing import Any

import requests

from wildrydes import render
from wildrydes.errors import TokenError
from wildrydes.tokens.claims import is_cognito
from wildrydes.tokens.decoding import DecodedToken, decode
from wildrydes.tokens.issuer_keys import (
    COGNITO_ISS,
    ExpectedPool,
    KeySource,
    fetch_key_set,
    jwks_candidates,
    key_sources,
)
from wildrydes.tokens.issuer_keys import local_endpoint as running_endpoint
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
NOT_CHECKED = "not checked: "
_UNPINNED_ISSUER = (
    "no expected pool named: iss is only a claim, and the keys came from where the token "
    "itself points, so a token from anyone's user pool would pass; name the pool you expect "
    "(expect=ExpectedPool(region, user_pool_id), or --user-pool-id)"
)


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
        """Where the keys came from, or why there are none; empty when none were needed."""
        if self.keys:
            return f"keys from {self.keys.what}: {self.keys.url}"
        if not self.sources:
            return ""
        tried = "; ".join(f"{s.url} ({s.note})" for s in self.sources)
        return f"no signing keys could be fetched (tried {tried})"

    def _groups(self) -> list[tuple[list[Check], str]]:
        """The checks in order, the ones not run with the same reason as one group (each
        message once)."""
        groups: list[tuple[list[Check], str]] = []
        reasons: dict[str, int] = {}
        for c in self.verification.checks:
            if c in self.not_checked:
                why = c.detail.removeprefix(NOT_CHECKED)
                if why in reasons:
                    groups[reasons[why]][0].append(c)
                    continue
                reasons[why] = len(groups)
                groups.append(([c], why))
            else:
                groups.append(([c], c.detail))
        return groups

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
        """One verdict: what the token is, then which checks failed and which did not run."""
        unchecked = [c.name for c in self.not_checked]
        failed = [c.name for c in self.verification.checks if not c.ok and c.name not in unchecked]
        tail = "; ".join(
            part
            for part in (
                f"failed {', '.join(failed)}" if failed else "",
                f"not run: {', '.join(unchecked)}" if unchecked else "",
            )
            if part
        )
        token = self.token
        if token is None:
            return "NOT a JWT, so nothing else was checked"
        if not self.cognito:
            alg = token.header.get("alg")
            iss = token.claims.get("iss")
            who = f"issued by {iss}" if isinstance(iss, str) and iss else "with no issuer"
            how = f", signed with {alg}" if alg != "RS256" else ""
            return (
                f"NOT a Cognito token ({who}{how}): the kit checks user pool tokens; "
                f"token is NOT valid ({tail})"
            )
        if "signature" in failed:
            return (
                "FORGED or damaged: its content is not what its issuer signed; "
                f"token is NOT valid: {tail}"
            )
        if {"key", "issuer"} & set(failed):
            return f"NOT from the pool you expect; token is NOT valid: {tail}"
        if failed == ["expiry"]:
            return f"EXPIRED, otherwise as issued; token is NOT valid: {tail}"
        if failed:
            return f"token is NOT valid: {tail}"
        if unchecked:
            return "every check that could be made passed; " + tail.replace(
                "not run:", "not checked:"
            )
        return f"token is valid: all {len(self.verification.checks)} checks passed"

    @property
    def cognito(self) -> bool:
        """Whether the token reads as a Cognito user pool's (its issuer or its claims)."""
        return self.token is not None and is_cognito(self.token.claims)

    @property
    def verdicts(self) -> Verdicts:
        """The checks alone (where the keys came from, each verdict, the summary), to show
        without the decoded token."""
        return Verdicts(self)

    def checks_text(self) -> str:
        """Where the keys came from, each check's verdict, and the verdict, as text."""
        groups = self._groups()
        width = max((len(cs[0].name) for cs, _ in groups if len(cs) == 1), default=0)
        where = self._where()
        parts = [where, ""] if where else []
        parts.append("Checks")
        for cs, why in groups:
            names = ", ".join(c.name for c in cs).ljust(width)
            if len(cs) > 1:
                parts.append(f"– {names}: not run, {why}")
            elif cs[0] in self.not_checked:
                parts.append(f"– {names}  not run: {why}")
            else:
                parts.append(f"{'✓' if cs[0].ok else '✗'} {names}  {why}")
        failed = any(not c.ok and c not in self.not_checked for c in self.verification.checks)
        failed = failed or self.token is None or not self.cognito
        mark = "✓" if self.ok else "✗" if failed else "–"
        parts.append(f"{mark} Verdict: {self.summary()}")
        return "\n".join(parts)

    def __str__(self) -> str:
        parts = [str(self.token), ""] if self.token else []
        return "\n".join([*parts, self.checks_text()])

    def _repr_html_(self) -> str:
        return (self.token._repr_html_() if self.token else "") + self.checks_html()

    def checks_html(self) -> str:
        """The verdict, where the keys came from, and each check (no token)."""
        failed = any(not c.ok and c not in self.not_checked for c in self.verification.checks)
        failed = failed or self.token is None or not self.cognito
        parts = [render.verdict(True if self.ok else False if failed else None, self.summary())]
        where = self._where()
        if where:
            parts.append(f"<p>{render.escape(where)}</p>")
        rows = [
            [
                render.code(", ".join(c.name for c in cs)),
                render.tinted(render.AMBER, "– not run")
                if cs[0] in self.not_checked
                else render.mark(cs[0].ok),
                render.escape(why),
            ]
            for cs, why in self._groups()
        ]
        parts.append(
            render.table(["check", "result", "why"], rows, css_class="wildrydes-inspection")
        )
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


def _not_checked(name: str, why: str) -> Check:
    return Check(name, False, NOT_CHECKED + why)


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
        local_endpoint = running_endpoint()
    iss = decoded.claims.get("iss")
    kid = decoded.header.get("kid")
    alg = decoded.header.get("alg")
    sources, chosen, jwks = [], None, None
    where = key_sources(iss if isinstance(iss, str) else "", expect, local_endpoint or None)
    if alg != "RS256":  # no public key checks another algorithm: nothing to fetch
        where = []
    for url, what in where:
        try:
            candidate = fetch_key_set(url)
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
        match = COGNITO_ISS.match(iss) if isinstance(iss, str) else None
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
    cognito = is_cognito(decoded.claims)
    checks = []
    for check in verification.checks:
        if check.name in ("key", "signature") and jwks is None:
            if alg != "RS256":
                why = (
                    f"signed with {_shown(alg)}, not RS256, so no public key can check it "
                    "(Cognito signs with RS256 only)"
                )
            elif not sources:
                why = "the token names no https issuer to fetch keys from"
            else:
                why = "no signing keys to check with (where they were looked for is above)"
            check = _not_checked(check.name, why)
        elif check.name == "signature" and expect is None and check.ok:
            check = Check(
                "signature",
                True,
                "RS256 signature matches the keys its own iss points to: nobody changed it "
                "since that issuer signed it, whoever the issuer is",
            )
        elif check.name == "issuer" and expect is None:
            check = _not_checked(
                "issuer",
                _UNPINNED_ISSUER
                if cognito
                else "no expected pool named (--user-pool-id), and this issuer is not a user pool",
            )
        elif check.name == "audience" and not client_id:
            check = _not_checked("audience", "no app client given to compare with (--client-id)")
        elif check.name == "token_use" and not cognito and not check.ok:
            check = _not_checked("token_use", "not a Cognito token, so it carries no token_use")
        checks.append(check)
    return Inspection(Verification(checks=checks, token=decoded), chosen, sources)


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else "no algorithm"
