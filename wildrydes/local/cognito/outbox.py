"""The local mailbox: messages the local Cognito "sends" land here instead of an inbox.

They are kept in the store, so the mailbox survives a restart; only the newest
``KEEP_MESSAGES`` are kept, so it cannot grow without bound. Invitations (AdminCreateUser)
carry a temporary password and are therefore kept in memory only.
"""

from __future__ import annotations

import html
import threading
from collections import deque
from datetime import datetime, timezone

from wildrydes.local.cognito.store import Store

__all__ = [
    "KEEP_MESSAGES",
    "Outbox",
]

KEEP_MESSAGES = 500


class Outbox:
    """The sent messages, oldest first, in the store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        # Invitations carry a temporary password: kept in memory only, never in the file.
        self._invitations: deque[dict[str, str]] = deque(maxlen=KEEP_MESSAGES)

    def send(
        self,
        *,
        to: str,
        code: str,
        user_pool_id: str,
        username: str,
        now: datetime,
        subject: str = "Your verification code",
        body: str | None = None,
    ) -> None:
        self._store.add_message(
            {
                "to": to,
                "subject": subject,
                "body": body or f"Your confirmation code is {code}",
                "code": code,
                "sent_at": now.astimezone(timezone.utc).isoformat(timespec="seconds"),
                "user_pool_id": user_pool_id,
                "username": username,
            },
            keep=KEEP_MESSAGES,
        )

    def invite(
        self, *, to: str, temporary_password: str, user_pool_id: str, username: str, now: datetime
    ) -> None:
        """AdminCreateUser's invitation (Cognito's default wording), kept in memory only."""
        with self._lock:
            self._invitations.append(
                {
                    "to": to,
                    "subject": "Your temporary password",
                    "body": f"Your username is {username} and temporary password is "
                    f"{temporary_password}.",
                    "code": temporary_password,
                    "sent_at": now.astimezone(timezone.utc).isoformat(timespec="seconds"),
                    "user_pool_id": user_pool_id,
                    "username": username,
                }
            )

    def as_json(self) -> list[dict[str, str]]:
        """Every message, oldest first (a stable merge of kept messages and invitations)."""
        with self._lock:
            invitations = list(self._invitations)
        kept = self._store.messages()  # in the order they were sent
        if not invitations:
            return kept
        return sorted(kept + invitations, key=lambda m: m["sent_at"])

    def mailbox_page(self, pool: str | None = None, website: str | None = None) -> str:
        """The mailbox as a page a person reads: newest first, the code large and copyable.

        ``pool`` shows only that user pool's messages (the page links each pool present, and
        ``?pool=all`` for every one);
        ``website`` is the site's index page, relative to the mailbox, for the link back.
        """
        everything = list(reversed(self.as_json()))
        pools: dict[str, int] = {}
        for m in everything:
            pools[m["user_pool_id"]] = pools.get(m["user_pool_id"], 0) + 1
        messages = [m for m in everything if not pool or m["user_pool_id"] == pool]
        items = "\n".join(_message_html(m) for m in messages) or (
            f'<p class="empty">No messages for user pool {html.escape(pool)}. '
            '<a href="?pool=all">Show every pool</a>.</p>'
            if pool
            else '<p class="empty">No messages yet. Register on the website or in notebook 04, '
            "then reload this page.</p>"
        )
        return (
            _PAGE.replace("{{nav}}", _nav(pools, pool, website))
            .replace("{{items}}", items)
            .replace("{{count}}", str(len(messages)))
        )


def _nav(pools: dict[str, int], chosen: str | None, website: str | None) -> str:
    """The link back to the website, and a filter per user pool (all links relative, so the
    page works directly and through Jupyter's proxy alike)."""
    e = html.escape
    links = []
    if website:
        links.append(
            f'<a class="back" href="{e(website)}">&larr; Back to the Wild Rydes website</a>'
        )
    if pools:
        total = sum(pools.values())
        current = ' aria-current="page"'
        choices = [f'<a href="?pool=all"{"" if chosen else current}>every pool ({total})</a>']
        choices += [
            f'<a href="?pool={e(p)}"{current if p == chosen else ""}>{e(p)} ({n})</a>'
            for p, n in sorted(pools.items())
        ]
        links.append('<span class="filter">Show: ' + " &middot; ".join(choices) + "</span>")
    return f'<nav class="mailbox-nav">{" ".join(links)}</nav>' if links else ""


def _message_html(m: dict[str, str]) -> str:
    e = html.escape
    return (
        '<article class="message">'
        f'<div class="meta"><span>To: <strong>{e(m["to"])}</strong></span>'
        f"<span>{e(m['sent_at'])}</span></div>"
        f"<h2>{e(m['subject'])}</h2><p>{e(m['body'])}</p>"
        f'<p class="code" title="Select to copy">{e(m["code"])}</p>'
        f'<p class="pool">user pool {e(m["user_pool_id"])} &middot; username '
        f"{e(m['username'])}</p>"
        "</article>"
    )


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local mailbox ({{count}}) - Wild Rydes</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f1fb;color:#222}
header{background:#4b2a85;color:#fff;padding:1rem 1.5rem}
header h1{margin:0;font-size:1.3rem}
header p{margin:.3rem 0 0;opacity:.85;font-size:.9rem}
main{max-width:40rem;margin:1.5rem auto;padding:0 1rem}
.message{background:#fff;border-radius:10px;padding:1rem 1.25rem;margin-bottom:1rem;
box-shadow:0 1px 4px rgba(0,0,0,.08)}
.meta{display:flex;justify-content:space-between;gap:1rem;font-size:.85rem;color:#555;
flex-wrap:wrap}
.message h2{font-size:1.05rem;margin:.6rem 0 .2rem}
.code{font:700 2.2rem/1.2 ui-monospace,monospace;letter-spacing:.25em;user-select:all;
background:#f0ebfa;border-radius:8px;padding:.4rem .8rem;display:inline-block}
.pool{font-size:.8rem;color:#777}.empty{color:#555}
.mailbox-nav{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin-bottom:1rem;font-size:.9rem}
.mailbox-nav a{color:#4b2a85}.mailbox-nav a[aria-current]{font-weight:700;color:#222}
</style></head><body>
<header><h1>Local mailbox</h1>
<p>The embedded Cognito delivers verification codes here instead of sending email.
Newest first.</p></header>
<main>{{nav}}{{items}}</main></body></html>
"""
