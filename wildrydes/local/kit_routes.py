"""The kit's own routes under ``/_wildrydes/``: not AWS APIs, so they prove who is asking.

- ``GET /_wildrydes/health``   liveness and the serving pid (``wildrydes local``)
- ``GET /_wildrydes/outbox``   the sent messages as JSON, oldest first
- ``GET /_wildrydes/mailbox``  the same as a page a person reads
- ``GET /_wildrydes/login``    ``?secret=...&next=/path``: sets the cookie, then goes to ``next``
- ``POST /_wildrydes/clock``   ``{"advance_seconds": N}`` moves the service's clock: the
  instructor's expiry demo, local only (:mod:`wildrydes.local.cognito.clock`; its client is
  :mod:`wildrydes.local.move_clock`)

Each answers only a caller that holds the kit home's secret (:mod:`wildrydes.local.secret`:
the header, a link's ``?secret=`` once, then its cookie), a request signed with the home's key
(SigV4 for service ``wildrydes``, as a remote's tools sign), or a request forwarded by the
learner's authenticated Jupyter proxy; the clock only a request signed with the home's key.
Everything else gets 403, whatever ``Origin`` says, and a foreign ``Origin`` gets 403 even
with the secret (a page elsewhere must not drive them with the learner's cookie).
"""

from __future__ import annotations

import gc
import hmac
import json
import math
import os
import urllib.parse
from collections.abc import Callable
from html import escape
from typing import Any

from werkzeug.wrappers import Request, Response

from wildrydes.local import secret as kit_secret
from wildrydes.local.bodies import TooLarge, read_bytes
from wildrydes.local.cognito import LocalCognito

__all__ = ["MAX_CLOCK_SHIFT_SECONDS", "KitRoutes"]

MAX_CLOCK_SHIFT_SECONDS = 10 * 365 * 24 * 3600
_REFUSED_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Local mailbox: not yours to open</title></head><body>
<h1>This local mailbox is private</h1>
<p>It belongs to the learner who started this embedded backend. To open it, use the link
that <code>wildrydes status</code> prints (it lets this browser in once and remembers it), or
the <em>Local mailbox</em> link in JupyterLab (notebook 00, or the launcher tile).</p>
</body></html>"""


def _json(payload: Any, status: int = 200) -> Response:
    response = Response(json.dumps(payload), status=status, content_type="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


class KitRoutes:
    """Answers ``/_wildrydes/<name>``; ``signed`` checks the clock's SigV4 signature."""

    def __init__(
        self,
        cognito: LocalCognito,
        *,
        port: int,
        secret: str,
        ready: Callable[[], bool],
        signed: Callable[[Request], Response | None],
        website_link: Callable[[], str | None],
        current_pool: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.cognito = cognito
        self.port = port
        self._secret = secret
        self._cookie = kit_secret.cookie_value(secret)
        self._ready = ready
        self._signed = signed
        self._website_link = website_link
        self._current_pool = current_pool

    # -- who is asking -------------------------------------------------------------------
    def _holds_secret(self, request: Request) -> bool:
        given = request.headers.get(kit_secret.HEADER, "")
        if given and hmac.compare_digest(given.encode(), self._secret.encode()):
            return True
        cookie = request.cookies.get(kit_secret.cookie_name(self.port), "")
        return bool(cookie) and hmac.compare_digest(cookie.encode(), self._cookie.encode())

    def _refused(self, request: Request, name: str) -> Response:
        if name in ("mailbox", "login") and "text/html" in request.headers.get("Accept", ""):
            page = Response(_REFUSED_PAGE, status=403, content_type="text/html; charset=utf-8")
            page.headers["Cache-Control"] = "no-store"
            return page
        return _json(
            {
                "message": "The kit's own routes answer only the learner who started this "
                f"backend: send the {kit_secret.HEADER} header (the kit's clients do), or open "
                "the link `wildrydes status` prints."
            },
            403,
        )

    # -- the routes ----------------------------------------------------------------------
    def __call__(self, request: Request, name: str, *, proxied: bool) -> Response:
        given = request.args.get(kit_secret.QUERY)
        if given is not None and request.method == "GET":
            return self._login(request, name, given)
        if name == "clock" and request.method == "POST":
            return self._signed(request) or self._move_clock(request)
        if "Authorization" in request.headers:  # a tool holding the home's key: SigV4
            refused = self._signed(request)
            if refused is not None:
                return refused
        elif not (proxied or self._holds_secret(request)):
            return self._refused(request, name)
        if name == "health" and request.method == "GET":
            ready = self._ready()
            return _json(
                {
                    "ok": ready,
                    "service": "wildrydes-local",
                    "pid": os.getpid(),
                    "collector": gc.isenabled(),  # a long-lived process collects its garbage
                },
                200 if ready else 503,
            )
        if name == "outbox" and request.method == "GET":
            return _json(self.cognito.outbox.as_json())
        if name == "mailbox" and request.method == "GET":
            # The kit's current pool unless the page asks for another, or for all (?pool=all):
            # messages of pools deleted since (an earlier `up`) stay out of the learner's way.
            asked = request.args.get("pool")
            pool = self._current_pool() if asked is None else (None if asked == "all" else asked)
            page = Response(
                self.cognito.outbox.mailbox_page(pool, self._website_link()),
                content_type="text/html; charset=utf-8",
            )
            page.headers["Cache-Control"] = "no-store"
            return page
        return _json({"message": f"no such route /_wildrydes/{escape(name)}"}, 404)

    def _login(self, request: Request, name: str, given: str) -> Response:
        """A person's link: the secret once, then a cookie and the same page without it."""
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            return self._refused(request, name)
        if name == "login":
            target = request.args.get("next", "/")
            if not target.startswith("/") or target.startswith("//") or "\\" in target:
                target = "/"
        else:
            kept = [(k, v) for k, v in request.args.items(multi=True) if k != kit_secret.QUERY]
            target = request.path + (f"?{urllib.parse.urlencode(kept)}" if kept else "")
        response = Response(status=303)
        response.headers["Location"] = target
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.set_cookie(
            kit_secret.cookie_name(self.port),
            self._cookie,
            max_age=kit_secret.COOKIE_MAX_AGE_SECONDS,
            path="/_wildrydes/",
            httponly=True,
            samesite="Strict",
        )
        return response

    def _move_clock(self, request: Request) -> Response:
        try:
            body = json.loads(read_bytes(request.environ) or b"null")
        except (TooLarge, ValueError, RecursionError):
            body = None
        seconds = body.get("advance_seconds") if isinstance(body, dict) else None
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, (int, float))
            or not math.isfinite(seconds)
            or abs(seconds) > MAX_CLOCK_SHIFT_SECONDS
        ):
            return _json(
                {
                    "message": "advance_seconds must be a number of seconds between "
                    f"-{MAX_CLOCK_SHIFT_SECONDS} and {MAX_CLOCK_SHIFT_SECONDS}"
                },
                400,
            )
        return _json({"offset_seconds": self.cognito.clock.advance(float(seconds))})
