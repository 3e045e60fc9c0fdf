"""Small displays the notebooks show: settings, config.js, the newest message, two tokens.

The pool's and app client's settings, config.js as a browser reads it, the newest message in
the local mailbox, and the id and access tokens side by side.

Each returns a :class:`Shown`, with ``_repr_html_`` for a notebook and ``__str__`` for a
terminal; every value from AWS or a token is HTML-escaped.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from wildrydes import links, mailbox, render, tokens, userpool
from wildrydes.kit import Kit
from wildrydes.website import SiteConfig

__all__ = [
    "Shown",
    "app_client_settings",
    "config_check",
    "latest_message",
    "pool_settings",
    "short",
    "side_by_side",
]


@dataclass(frozen=True)
class Shown:
    """HTML for a notebook and plain text for a terminal."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text


_e = render.escape
_code = render.code


def short(value: int | str | bytes, keep: int = 12) -> str:
    """A long number, byte string or text as ``head…tail (n hex digits | n chars)``."""
    unit = "hex digits"
    if isinstance(value, bytes):
        value = value.hex()
    elif isinstance(value, int):
        value = format(value, "x")
    elif not all(c in string.hexdigits for c in value):
        unit = "chars"
    if len(value) <= 2 * keep + 6:
        return value
    return f"{value[:keep]}…{value[-6:]} ({len(value)} {unit})"


# --------------------------------------------------------------------------- the pool's settings


def _rows_shown(title: str, rows: list[tuple[str, Any]]) -> Shown:
    cells = [[f"<b>{_e(k)}</b>", _code(v)] for k, v in rows]
    return Shown(
        render.table(["setting", "value"], cells, title), "\n".join(f"{k}: {v}" for k, v in rows)
    )


def pool_settings(pool: dict[str, Any]) -> Shown:
    """The settings of a user pool (DescribeUserPool's ``UserPool``) the workshop relies on."""
    policy = (pool.get("Policies") or {}).get("PasswordPolicy", {})
    email: dict[str, Any] = next(
        (a for a in pool.get("SchemaAttributes", []) if a.get("Name") == "email"), {}
    )
    template = pool.get("VerificationMessageTemplate") or {}
    rows = [
        ("Pool Id", pool.get("Id")),
        ("Pool ARN", pool.get("Arn")),
        ("password: minimum length", policy.get("MinimumLength")),
        (
            "password: needs",
            ", ".join(
                k.removeprefix("Require").lower()
                for k in (
                    "RequireUppercase",
                    "RequireLowercase",
                    "RequireNumbers",
                    "RequireSymbols",
                )
                if policy.get(k)
            )
            or "nothing",
        ),
        ("email attribute required", email.get("Required", False)),
        (
            "verified automatically (a code is sent)",
            ", ".join(pool.get("AutoVerifiedAttributes") or []) or "nothing",
        ),
        ("how users confirm", template.get("DefaultEmailOption", "CONFIRM_WITH_CODE")),
        ("kit tag", pool.get("UserPoolTags") or {}),
    ]
    return _rows_shown("The user pool's settings", rows)


def app_client_settings(client: dict[str, Any]) -> Shown:
    """An app client (DescribeUserPoolClient's ``UserPoolClient``), as the workshop checks it."""
    rows = [
        ("App client id", client.get("ClientId")),
        ("name", client.get("ClientName")),
        (
            "client secret",
            "yes (a browser could not keep it)"
            if client.get("ClientSecret")
            else "none, as a browser app needs",
        ),
        ("sign-in flows allowed", ", ".join(client.get("ExplicitAuthFlows") or [])),
    ]
    lifetimes = userpool.token_validities(client)
    rows += [
        ("id token lifetime", str(lifetimes["id_token"])),
        ("access token lifetime", str(lifetimes["access_token"])),
        ("refresh token lifetime (from sign-in)", str(lifetimes["refresh_token"])),
        (
            "refresh token rotation",
            (client.get("RefreshTokenRotation") or {}).get("Feature", "DISABLED"),
        ),
    ]
    return _rows_shown("The app client's settings", rows)


def config_check(seen: SiteConfig, user_pool_id: str, app_client_id: str, region: str) -> Shown:
    """config.js as a browser fetched it, next to what the kit made."""
    pairs = [
        ("userPoolId", seen.user_pool_id, user_pool_id),
        ("userPoolClientId", seen.client_id, app_client_id),
        ("region", seen.region, region),
    ]
    rows = [
        [_code(k), _code(got), render.mark(got == want, "matches", f"expected {want}")]
        for k, got, want in pairs
    ]
    text = "\n".join(
        f"{k}: {got} ({'ok' if got == want else 'expected ' + want})" for k, got, want in pairs
    )
    return Shown(
        render.table(
            ["in config.js", "value", "matches the kit?"], rows, "config.js, as a browser reads it"
        ),
        text,
    )


def latest_message(kit: Kit, email: str) -> Shown:
    """The newest message to ``email`` in the local mailbox (on AWS: where to look instead)."""
    if kit.backend.kind != "local":
        # Developer Guide, "Email settings": with the default sender "Amazon Cognito limits
        # the number of emails it sends each day" (the Quotas page gives the number).
        text = (
            f"Cognito emailed the code to {email}: look in that inbox (and its spam folder). "
            "Cognito's built-in email sender sends only a limited number of emails a day per "
            "AWS account; if a class shares one account and codes stop coming, that is why "
            "(use your own account, or set up Amazon SES for the pool)."
        )
        return Shown(f"<p>📨 {_e(text)}</p>", text)
    found = [m for m in mailbox.messages(kit.backend) if m["to"].lower() == email.lower()]
    if not found:
        text = f"No message to {email} in the local mailbox yet."
        return Shown(f"<p>{_e(text)}</p>", text)
    m = found[-1]
    rows = [
        ("to", m["to"]),
        ("subject", m["subject"]),
        ("body", m["body"]),
        ("code", m["code"]),
        ("sent at", m["sent_at"]),
    ]
    url = links.link(mailbox.mailbox_url(kit.backend))  # through Jupyter's proxy if any
    shown = _rows_shown(f"The newest of {len(found)} message(s) to {email}", rows)
    return Shown(
        shown.html + f"<p>Every message: <a href='{_e(url)}' target='_blank'>{_e(url)}</a></p>",
        shown.text,
    )


# --------------------------------------------------------------------------- tokens


def side_by_side(id_token: str, access_token: str) -> Shown:
    """The claims of the id and the access token in one table, with what each means."""
    id_claims = {c.name: c for c in tokens.explain(tokens.decode(id_token))}
    access_claims = {c.name: c for c in tokens.explain(tokens.decode(access_token))}
    names = list(dict.fromkeys([*id_claims, *access_claims]))
    lines = [
        (
            name,
            id_claims[name].display if name in id_claims else "—",
            access_claims[name].display if name in access_claims else "—",
            (id_claims.get(name) or access_claims[name]).meaning,
        )
        for name in names
    ]
    rows = [
        [_code(name), _e(id_shown), _e(access_shown), _e(meaning)]
        for name, id_shown, access_shown, meaning in lines
    ]
    text = "\n".join(
        f"{name}: id={id_shown} access={access_shown}" for name, id_shown, access_shown, _ in lines
    )
    return Shown(
        render.table(
            ["claim", "id token", "access token", "meaning"],
            rows,
            "Id token and access token, side by side",
        ),
        text,
    )
