"""Try each attack of the doors issue against a fresh embedded backend and print the outcome.

    python benchmarks/doors_probe.py

Starts a private backend (its own kit home and port), runs ``wildrydes up``, registers a
rider, then sends what a hostile web page or a stranger's curl could send. Prints one line
per attack: HTTP status and whether it worked. Nothing here needs the kit's key.
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
        print(f"{'attack':<48} {'HTTP':>4}  worked")
        for name, status, worked in rows:
            print(f"{name:<48} {status:>4}  {'YES' if worked else 'no'}")
        print(f"{sum(w for *_, w in rows)} of {len(rows)} attacks worked")


if __name__ == "__main__":
    main()
