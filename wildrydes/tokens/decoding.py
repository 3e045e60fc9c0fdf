"""Take a JWT apart without verifying it, and say what each claim means.

Cognito hands out three tokens at sign-in. The id token and the access token are JSON Web
Tokens (JWT): three base64url parts, ``header.payload.signature``. The refresh token is opaque:
this module never decodes or shows it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from wildrydes import render
from wildrydes.errors import TokenError, UsageError
from wildrydes.tokens.claims import claim_meaning, is_cognito

__all__ = [
    "ClaimExplanation",
    "DecodedToken",
    "decode",
    "duration",
    "explain",
    "refresh_token_summary",
]

TOKEN_USES = ("id", "access")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_TIME_CLAIMS = ("auth_time", "iat", "exp")
# Colours of the three parts, as the online JWT decoders show them.
_PART_COLOURS = {"header": "#d6336c", "payload": "#7e3fbf", "signature": "#1c7ed6"}


def _b64url_decode(part: str, what: str) -> bytes:
    if not _B64URL.fullmatch(part) or len(part) % 4 == 1:
        raise TokenError(
            f"not a JWT: the {what} is not base64url text (only A-Z a-z 0-9 - _ allowed); "
            "pass the IdToken or AccessToken string exactly as Cognito returned it"
        )
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as e:  # pragma: no cover - the regex rules these out
        raise TokenError(f"not a JWT: the {what} is not valid base64url") from e


def _json_object(part: str, what: str) -> dict[str, Any]:
    raw = _b64url_decode(part, what)
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise TokenError(
            f"not a JWT: the {what} decodes but is not JSON; pass the IdToken or "
            "AccessToken string exactly as Cognito returned it"
        ) from e
    if not isinstance(value, dict):
        raise TokenError(
            f"not a JWT: the {what} is JSON but not an object ({type(value).__name__}); "
            "pass the IdToken or AccessToken string exactly as Cognito returned it"
        )
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _duration(seconds: float) -> str:
    """A short, truthful length of time: '45 s', '4 min 59 s', '42 min', '2 h 5 min', '3 days'.

    Under ten minutes the seconds are kept, so a token with 299 s left says '4 min 59 s'
    rather than '4 min' (a fresh five-minute token never looks a minute older than it is);
    longer times go to the nearest minute (a fresh one-hour token says '1 h', not '59 min').
    """
    seconds = int(abs(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 10:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    minutes = round(seconds / 60)  # the nearest minute: a fresh hour is "1 h", not "59 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"


def _relative(name: str, when: float, now: float) -> str:
    delta = when - now
    if name == "exp":
        if delta > 0:
            return f"expires in {_duration(delta)}"
        return "expired just now" if delta > -1 else f"expired {_duration(delta)} ago"
    verb = "issued" if name == "iat" else "signed in"
    if delta > 1:
        return f"{verb} {_duration(delta)} in the future (the clocks disagree)"
    return f"{verb} just now" if delta > -1 else f"{verb} {_duration(delta)} ago"


def _local_time(when: float, tz: tzinfo | None) -> str:
    moment = (
        datetime.fromtimestamp(when, tz=tz)
        if tz is not None
        else datetime.fromtimestamp(when).astimezone()
    )
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").rstrip()


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class ClaimExplanation:
    """One claim in plain words: ``display`` is the value as a person reads it."""

    name: str
    value: Any
    meaning: str
    display: str

    def __str__(self) -> str:
        return f"{self.name}: {self.display} ({self.meaning})"


@dataclass(frozen=True)
class DecodedToken:
    """A JWT taken apart, not verified: ``header``, ``claims`` (the payload), ``signature``.

    ``signature`` is the third part as it appears in the token (base64url text).
    """

    header: dict[str, Any]
    claims: dict[str, Any]
    signature: str
    raw: str = field(repr=False)

    @property
    def payload(self) -> dict[str, Any]:
        """The claims, under the name the JWT standard gives them."""
        return self.claims

    @property
    def token_use(self) -> str | None:
        use = self.claims.get("token_use")
        return use if isinstance(use, str) else None

    @property
    def signing_input(self) -> bytes:
        """What the signature covers: the first two parts, as sent."""
        return self.raw.rsplit(".", 1)[0].encode("ascii")

    @property
    def signature_bytes(self) -> bytes:
        return _b64url_decode(self.signature, "signature")

    def _parts(self) -> tuple[str, str, str]:
        header, payload, signature = self.raw.split(".")
        return header, payload, signature

    def _title(self) -> str:
        use = self.token_use
        kind = f"{use} token" if use in TOKEN_USES else "token"
        return f"JWT ({kind}), not verified: header.payload.signature"

    def __str__(self) -> str:
        lines = [self._title(), "", "Header"]
        lines += ["  " + line for line in json.dumps(self.header, indent=2).splitlines()]
        lines += ["", "Claims (payload)"]
        explained = explain(self.claims)
        width = max((len(c.name) for c in explained), default=0)
        for c in explained:
            lines.append(f"  {c.name.ljust(width)}  {c.display}")
            lines.append(f"  {' ' * width}  - {c.meaning}")
        sig = self.signature
        shown = sig if len(sig) <= 24 else f"{sig[:10]}...{sig[-10:]}"
        lines += [
            "",
            "Signature",
            f"  {shown} ({len(sig)} base64url characters; check it with verify())",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"DecodedToken(alg={self.header.get('alg')!r}, kid={self.header.get('kid')!r}, "
            f"token_use={self.claims.get('token_use')!r}, claims={len(self.claims)})"
        )

    def _repr_html_(self) -> str:
        header, payload, signature = self._parts()
        c = _PART_COLOURS
        encoded = (
            f'<span style="color:{c["header"]}">{render.escape(header)}</span>.'
            f'<span style="color:{c["payload"]}">{render.escape(payload)}</span>.'
            f'<span style="color:{c["signature"]}">{render.escape(signature)}</span>'
        )
        return (
            '<div class="wildrydes-token">'
            f"<p><b>{render.escape(self._title())}</b></p>"
            '<div style="font-family:monospace;word-break:break-all;padding:6px;'
            f'border:1px solid #ccc">{encoded}</div>'
            f'<h4 style="color:{c["header"]}">Header</h4>'
            f'<pre style="color:{c["header"]}">'
            f"{render.escape(json.dumps(self.header, indent=2))}</pre>"
            f'<h4 style="color:{c["payload"]}">Claims (payload)</h4>'
            f"{render.claims_table(explain(self.claims))}"
            f'<h4 style="color:{c["signature"]}">Signature</h4>'
            f'<p>{len(signature)} base64url characters, over <span style="color:'
            f'{c["header"]}">header</span>.<span style="color:{c["payload"]}">payload'
            "</span>; check it with <code>verify()</code>.</p>"
            "</div>"
        )


def decode(token: str | bytes) -> DecodedToken:
    """Take a JWT apart without verifying it; ``TokenError`` if it is not a JWT (or not text:
    a caller's bad input, so checked at run time too)."""
    if isinstance(token, bytes | bytearray):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError as e:
            raise TokenError("not a JWT: the bytes are not ASCII text") from e
    if not isinstance(token, str):
        raise TokenError(
            f"not a JWT: got {type(token).__name__}, expected the token string "
            "(for example tokens['IdToken'] from the sign-in result)"
        )
    token = token.strip()
    if not token:
        raise TokenError("not a JWT: the token is empty; pass the IdToken or AccessToken string")
    if token.lower().startswith("bearer "):
        raise TokenError("not a JWT: it starts with 'Bearer '; pass only the token after it")
    parts = token.split(".")
    if len(parts) != 3:
        hint = (
            " (5 parts is an encrypted JWE, like the opaque refresh token, which cannot be decoded)"
            if len(parts) == 5
            else ""
        )
        raise TokenError(
            f"not a JWT: expected 3 parts separated by '.' (header.payload.signature), "
            f"got {len(parts)}{hint}; pass the IdToken or AccessToken string"
        )
    header_part, payload_part, signature_part = parts
    header = _json_object(header_part, "header")
    claims = _json_object(payload_part, "payload")
    _b64url_decode(signature_part, "signature")
    return DecodedToken(header=header, claims=claims, signature=signature_part, raw=token)


# --------------------------------------------------------------------------- explain


def explain(
    claims: Mapping[str, Any] | DecodedToken,
    *,
    now: float | None = None,
    tz: tzinfo | None = None,
) -> list[ClaimExplanation]:
    """Plain words for each claim, in token order; times in local time (or ``tz``)."""
    if isinstance(claims, DecodedToken):
        claims = claims.claims
    now = time.time() if now is None else float(now)
    cognito = is_cognito(claims)
    out = []
    for name, value in claims.items():
        meaning = claim_meaning(name, cognito)
        display = _show(value)
        if name in _TIME_CLAIMS:
            if _is_number(value):
                try:
                    display = f"{_local_time(value, tz)} ({_relative(name, value, now)})"
                except (OverflowError, OSError, ValueError):
                    display = f"{value} (out of range for a date)"
            else:
                display = f"{display} (not a time in seconds)"
        out.append(ClaimExplanation(name=name, value=value, meaning=meaning, display=display))
    return out


def refresh_token_summary(refresh_token: str | None, valid_for: str | None = None) -> str:
    """Say that a refresh token exists and how long it lives; never decode or show it.

    ``valid_for``: the app client's refresh-token validity as text ("30 days"), when the caller
    read it (:func:`wildrydes.userpool.token_validities`). Without it the summary names the
    setting and Cognito's default instead of guessing: the client's RefreshTokenValidity
    decides, from 60 minutes to 10 years, counted from the sign-in (Developer Guide, "Refresh
    tokens": "By default, the refresh token expires 30 days after your application user signs
    into your user pool").
    """
    if valid_for is not None and (not isinstance(valid_for, str) or not valid_for.strip()):
        raise UsageError(f"valid_for must be a length of time like '30 days', not {valid_for!r}")
    if not refresh_token:
        return "no refresh token was issued"
    how_long = (
        f"valid {valid_for.strip()} from sign-in"
        if valid_for
        else "valid as long as the app client's RefreshTokenValidity says, "
        "30 days from sign-in unless it was changed"
    )
    return f"a refresh token was issued (opaque; {how_long}); it is never shown"


#: The public name of :func:`_duration`, for the displays that count down (sessions, the bench).
duration = _duration
