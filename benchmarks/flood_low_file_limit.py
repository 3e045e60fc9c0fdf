"""A connection flood against a backend started with Linux's usual open-files limit (1,024).

Run: python benchmarks/flood_low_file_limit.py [connections]   (default 1100)

Lowers its own soft limit on open files to 1,024 before it starts a private backend (which
inherits it), raises it again for its own client sockets, holds that many idle connections
(half of them having sent half a request line), then signs in with new boto3 clients (new
connections). Prints whether the sign-in succeeded and how long it took. Run it against an
older checkout too: ``cd /tmp && PYTHONPATH=/path/to/checkout python <this file>``.
Nothing is asserted. Linux and macOS (RLIMIT_NOFILE).
"""

from __future__ import annotations

import os
import resource
import socket
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

PASSWORD = "Flood-Rider-42"  # noqa: S105 - a made-up rider of a throwaway backend


def main(connections: int = 1100) -> None:
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    from wildrydes import accounts, backend, launch
    from wildrydes.kit import current
    from wildrydes.local import process

    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))  # what the backend starts with
    with process.private_backend() as private:
        private.start()
        wanted = connections + 200
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
        launch.up()
        kit = current()
        email = f"flood-{uuid.uuid4().hex[:8]}@example.com"
        accounts.register(kit, email, PASSWORD)
        accounts.confirm(kit, email, admin=True)
        held = []
        for i in range(connections):
            s = socket.create_connection(("127.0.0.1", private.port), timeout=5)
            if i % 2:
                s.sendall(b"GET /_wildrydes/health HT")
            held.append(s)
        backend._CLIENTS.clear()  # new clients: new connections, not a pooled keep-alive one
        backend._SESSIONS.clear()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(lambda: accounts.sign_in(current(), email, PASSWORD))
            try:
                future.result(timeout=90)
                outcome = "ok"
            except TimeoutError:
                outcome = "no answer within 90 s"
            except Exception as e:  # noqa: BLE001 - the outcome is what we print
                outcome = f"{type(e).__name__}: {str(e)[:120]}"
            print(
                f"{connections} idle connections, backend's soft limit 1,024 open files: "
                f"sign-in {outcome} after {time.monotonic() - started:.1f} s",
                flush=True,
            )
            for s in held:
                s.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1100)
