"""The local mailbox: messages the embedded Cognito "sends" land here instead of an inbox."""

from __future__ import annotations

import html
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    code: str
    sent_at: str
    user_pool_id: str
    username: str


class Outbox:
    """Thread-safe, in-memory list of sent messages, oldest first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Message] = []

    def send(self, *, to: str, code: str, user_pool_id: str, username: str,
             now: datetime) -> Message:
        message = Message(
            to=to,
            subject="Your verification code",
            body=f"Your confirmation code is {code}",
            code=code,
            sent_at=now.astimezone(timezone.utc).isoformat(timespec="seconds"),
            user_pool_id=user_pool_id,
            username=username,
        )
        with self._lock:
            self._messages.append(message)
        return message

    def as_json(self) -> list[dict[str, str]]:
        with self._lock:
            return [asdict(m) for m in self._messages]

    def mailbox_page(self) -> str:
        """The mailbox as a page a person reads: newest first, the code large and copyable."""
        with self._lock:
            messages = list(reversed(self._messages))
        items = "\n".join(_message_html(m) for m in messages) or (
            '<p class="empty">No messages yet. Register on the website or in notebook 04, '
            "then reload this page.</p>"
        )
        return _PAGE.replace("{{items}}", items).replace("{{count}}", str(len(messages)))


def _message_html(m: Message) -> str:
    e = html.escape
    return (
        '<article class="message">'
        f'<div class="meta"><span>To: <strong>{e(m.to)}</strong></span>'
        f"<span>{e(m.sent_at)}</span></div>"
        f"<h2>{e(m.subject)}</h2><p>{e(m.body)}</p>"
        f'<p class="code" title="Select to copy">{e(m.code)}</p>'
        f'<p class="pool">user pool {e(m.user_pool_id)} &middot; username {e(m.username)}</p>'
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
</style></head><body>
<header><h1>Local mailbox</h1>
<p>The embedded Cognito delivers verification codes here instead of sending email.
Newest first.</p></header>
<main>{{items}}</main></body></html>
"""
