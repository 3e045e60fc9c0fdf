"""What an instructor demos: any JWT decoded and checked against its own issuer, a claim edited
to watch the signature fail, short token lifetimes, the users table and a groups claim.

Unlike :func:`wildrydes.accounts.verify_token`, which checks a token against the kit's own pool
and app client, :func:`inspect` needs no pool: it decodes whatever it is given (like jwt.io),
finds the signing keys its ``iss`` publishes (Cognito: ``<iss>/.well-known/jwks.json``; the
embedded backend signs with Cognito's issuer form, so a pool that exists on the running local
backend is looked up there first), and says plainly which checks it could not make.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any

import botocore.exceptions
import requests

from wildrydes import render, tokens
from wildrydes.errors import TokenError, WildRydesError

__all__ = [
    "ADMINS_GROUP",
    "Inspection",
    "KeySource",
    "UserRow",
    "add_to_group",
    "edit_claim",
    "inspect",
    "jwks_candidates",
    "set_token_lifetimes",
    "users_table",
]

#: Cognito's issuer: https://cognito-idp.<region>.amazonaws.com/<pool id> (developer guide,
#: "Verifying a JSON Web Token").
_COGNITO_ISS = re.compile(
    r"^https://cognito-idp\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<pool>[\w-]+_[0-9A-Za-z]+)$"
)
NOT_CHECKED = "not checked: "
ADMINS_GROUP = "admins"
#: Cognito's limits for id and access tokens (UpdateUserPoolClient: 5 minutes to 1 day).
MIN_TOKEN_MINUTES, MAX_TOKEN_MINUTES = 5, 24 * 60


# --------------------------------------------------------------------------- any token
@dataclass(frozen=True)
class KeySource:
    """Where the token's signing keys were looked for, and what came of it."""

    url: str
    what: str  # "the local backend" or "the issuer"
    found: bool
    note: str = ""


@dataclass(frozen=True)
class Inspection:
    """A token decoded without a pool, and each check with its verdict (or why not made)."""

    verification: tokens.Verification
    keys: KeySource | None = None
    sources: list[KeySource] = field(default_factory=list)

    @property
    def token(self) -> tokens.DecodedToken | None:
        return self.verification.token

    @property
    def ok(self) -> bool:
        return self.verification.ok

    @property
    def not_checked(self) -> list[tokens.Check]:
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

    def __str__(self) -> str:
        parts = [str(self.token), ""] if self.token else []
        checks = self.verification.checks
        width = max((len(c.name) for c in checks), default=0)
        parts += [self._where(), "", "Checks"]
        parts += [
            f"{'-' if c in self.not_checked else '✓' if c.ok else '✗'} "
            f"{c.name.ljust(width)}  {c.detail}"
            for c in checks
        ]
        parts.append(self.summary())
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        parts = [self.token._repr_html_()] if self.token else []
        parts.append(f"<p>{render.escape(self._where())}</p>")
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


def _local_endpoint() -> str | None:
    """The running embedded backend's URL, without starting one."""
    from wildrydes.local import process

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


def _not_checked(name: str, why: str) -> tokens.Check:
    return tokens.Check(name, False, NOT_CHECKED + why)


def inspect(
    token: str,
    *,
    client_id: str | None = None,
    expected_use: str | None = None,
    now: float | None = None,
    local_endpoint: str | None | bool = True,
) -> Inspection:
    """Decode any JWT and verify what can be verified; never raises for a bad token.

    ``client_id``: the app client the token must be for (otherwise the audience is not
    checked). ``local_endpoint``: True finds the running embedded backend; a URL uses that
    one; None or False looks only where the issuer publishes.
    """
    try:
        decoded = tokens.decode(token)
    except TokenError as e:
        skipped = "the token could not be decoded"
        checks = [tokens.Check("format", False, str(e))]
        checks += [_not_checked(name, skipped) for name in tokens.CHECK_NAMES[1:]]
        return Inspection(tokens.Verification(checks=checks, token=None))
    if local_endpoint is True:
        local_endpoint = _local_endpoint()
    iss = decoded.claims.get("iss")
    kid = decoded.header.get("kid")
    sources, chosen, jwks = [], None, None
    for url, what in jwks_candidates(iss if isinstance(iss, str) else "", local_endpoint or None):
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
        if kid not in {k.get("kid") for k in candidate["keys"]}:
            sources.append(KeySource(url, what, False, f"no key with kid {kid}"))
            continue
        chosen, jwks = KeySource(url, what, True), candidate
        sources.append(chosen)
        break
    match = _COGNITO_ISS.match(iss) if isinstance(iss, str) else None
    region, pool = (match["region"], match["pool"]) if match else ("-", "-")
    verification = tokens.verify(
        decoded.raw,
        jwks=jwks or {"keys": []},
        region=region,
        user_pool_id=pool,
        client_id=client_id or "-",
        expected_use=expected_use,
        now=now,
        expected_issuer=iss if isinstance(iss, str) and iss else "-",
    )
    checks = []
    for check in verification.checks:
        if check.name in ("key", "signature") and jwks is None:
            why = (
                "the token names no https issuer to fetch keys from"
                if not sources
                else "its issuer's keys could not be fetched ("
                + "; ".join(f"{s.url}: {s.note}" for s in sources)
                + ")"
            )
            check = _not_checked(check.name, why)
        elif check.name == "issuer":
            check = (
                tokens.Check("issuer", True, f"{iss}, a Cognito user pool ({pool} in {region})")
                if match
                else _not_checked("issuer", f"{iss!r} is not a Cognito user pool's issuer")
            )
        elif check.name == "audience" and not client_id:
            check = _not_checked("audience", "no app client given to compare with (--client-id)")
        checks.append(check)
    return Inspection(tokens.Verification(checks=checks, token=decoded), chosen, sources)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def edit_claim(token: str, name: str, value: Any) -> str:
    """The same token with one claim changed (or added) and the old signature kept: what a
    forger would send. ``inspect`` then fails its signature check."""
    decoded = tokens.decode(token)
    claims = dict(decoded.claims)
    claims[name] = value
    header, _, signature = decoded.raw.split(".")
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    return f"{header}.{payload}.{signature}"


def parse_value(text: str) -> Any:
    """A claim value as typed: JSON when it parses (numbers, true, lists), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


# --------------------------------------------------------------------------- the pool's side
def set_token_lifetimes(
    cognito: Any, user_pool_id: str, client_id: str, minutes: int
) -> dict[str, Any]:
    """Id and access tokens of this app client last ``minutes`` (Cognito allows 5 to 1440).

    UpdateUserPoolClient resets every setting it is not given, so the client's current
    settings are read first and sent back with the new validity.
    """
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not (MIN_TOKEN_MINUTES <= minutes <= MAX_TOKEN_MINUTES)
    ):
        raise WildRydesError(
            f"Token lifetime {minutes!r} is not allowed. Next step: pick whole minutes from "
            f"{MIN_TOKEN_MINUTES} to {MAX_TOKEN_MINUTES} (Cognito's limits for id and access "
            "tokens)."
        )
    client = cognito.describe_user_pool_client(UserPoolId=user_pool_id, ClientId=client_id)[
        "UserPoolClient"
    ]
    keep = (
        "ClientName",
        "RefreshTokenValidity",
        "ExplicitAuthFlows",
        "ReadAttributes",
        "WriteAttributes",
        "SupportedIdentityProviders",
        "CallbackURLs",
        "LogoutURLs",
        "AllowedOAuthFlows",
        "AllowedOAuthScopes",
        "AllowedOAuthFlowsUserPoolClient",
        "PreventUserExistenceErrors",
        "EnableTokenRevocation",
    )
    settings = {k: client[k] for k in keep if k in client}
    units = dict(client.get("TokenValidityUnits") or {})
    units.update(IdToken="minutes", AccessToken="minutes")
    units.setdefault("RefreshToken", "days")
    updated = cognito.update_user_pool_client(
        UserPoolId=user_pool_id,
        ClientId=client_id,
        IdTokenValidity=minutes,
        AccessTokenValidity=minutes,
        TokenValidityUnits=units,
        **settings,
    )["UserPoolClient"]
    return {
        "id_token": f"{updated['IdTokenValidity']} {units['IdToken']}",
        "access_token": f"{updated['AccessTokenValidity']} {units['AccessToken']}",
    }


@dataclass(frozen=True)
class UserRow:
    username: str
    status: str
    email: str | None
    email_verified: bool
    groups: list[str]
    enabled: bool = True


@dataclass(frozen=True)
class UsersTable:
    """The console's Users tab: status, whether the email is verified, groups."""

    user_pool_id: str
    rows: list[UserRow]

    def as_json(self) -> list[dict[str, Any]]:
        return [dict(r.__dict__) for r in self.rows]

    def __str__(self) -> str:
        lines = [f"Users of {self.user_pool_id}"]
        lines += [
            f"  {r.username:<40} {r.status:<14} email "
            f"{'verified' if r.email_verified else 'NOT verified':<12} groups "
            f"{', '.join(r.groups) or '-'}"
            for r in self.rows
        ]
        return "\n".join(lines) if self.rows else lines[0] + ": none yet"

    def _repr_html_(self) -> str:
        rows = [
            [
                render.code(r.username),
                render.escape(r.email or ""),
                render.mark(r.status == "CONFIRMED", r.status, r.status),
                render.mark(r.email_verified, "verified", "not verified"),
                render.escape(", ".join(r.groups) or "-"),
            ]
            for r in self.rows
        ]
        return render.table(
            ["username", "email", "status", "email verified", "groups"],
            rows,
            f"Users of {self.user_pool_id}",
            empty="none yet",
        )


def users_table(cognito: Any, user_pool_id: str) -> UsersTable:
    """ListUsers, and AdminListGroupsForUser for each (a workshop pool has a handful)."""
    rows = []
    for page in cognito.get_paginator("list_users").paginate(UserPoolId=user_pool_id):
        for user in page["Users"]:
            attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
            groups = [
                g["GroupName"]
                for g in cognito.admin_list_groups_for_user(
                    UserPoolId=user_pool_id, Username=user["Username"]
                ).get("Groups", [])
            ]
            rows.append(
                UserRow(
                    user["Username"],
                    user["UserStatus"],
                    attributes.get("email"),
                    attributes.get("email_verified") == "true",
                    sorted(groups),
                    bool(user.get("Enabled", True)),
                )
            )
    return UsersTable(user_pool_id, sorted(rows, key=lambda r: r.username))


def add_to_group(cognito: Any, user_pool_id: str, username: str, group: str = ADMINS_GROUP) -> bool:
    """Make ``group`` (once) and put the user in it; True if the group was created now.
    The user's next tokens carry it in ``cognito:groups``."""
    created = False
    try:
        cognito.create_group(
            UserPoolId=user_pool_id,
            GroupName=group,
            Description="Wild Rydes instructors' demo group",
        )
        created = True
    except botocore.exceptions.ClientError as e:
        if e.response.get("Error", {}).get("Code") != "GroupExistsException":
            raise
    cognito.admin_add_user_to_group(UserPoolId=user_pool_id, Username=username, GroupName=group)
    return created


# --------------------------------------------------------------------------- refresh, sign-out
@dataclass(frozen=True)
class RefreshTry:
    """What happened when the refresh token was used: new tokens, or Cognito's refusal."""

    ok: bool
    detail: str
    exp: int | None = None

    def __str__(self) -> str:
        return f"{'✓ refreshed' if self.ok else '✗ refused'}: {self.detail}"

    def _repr_html_(self) -> str:
        return (
            f"<p>{render.mark(self.ok, 'refreshed', 'refused')}: {render.escape(self.detail)}</p>"
        )


def try_refresh(kit: Any, session: Any) -> tuple[RefreshTry, Any]:
    """REFRESH_TOKEN_AUTH with the session's refresh token (never shown): the new session, or
    Cognito's words when it refuses (after a global sign-out, for one)."""
    from wildrydes import accounts

    try:
        fresh = accounts.refresh(kit, session)
    except WildRydesError as e:
        return RefreshTry(False, str(e)), None
    exp = tokens.decode(fresh.id_token).claims.get("exp")
    return RefreshTry(
        True,
        f"new id and access tokens (the id token now expires at exp={exp}); "
        "the refresh token itself stays the same and is never shown",
        exp,
    ), fresh
