"""Wall time of a full SRP sign-in over HTTP against the embedded backend.

Run: python benchmarks/signin_bench.py [sign-ins]   (default 30)

Starts its own embedded backend (a temporary WILDRYDES_HOME, a free port), runs
``launch.up()``, registers and confirms one user, then signs in with the kit's client
(``accounts.sign_in``: InitiateAuth USER_SRP_AUTH + RespondToAuthChallenge) and prints, per
sign-in, median and mean of:

* wall: the whole ``accounts.sign_in`` call as a notebook sees it (boto3 client, two HTTP
  round trips, SRP math on both sides, token signing);
* server: the time the local Cognito spent answering the two requests, as the backend
  reports it in its ``Server-Timing`` header (SRP verification and RS256 signing included,
  HTTP parsing not);
* client CPU: ``time.process_time`` of this process during the call (SRP math, boto3).

The first sign-in is timed on its own: it also makes the pool's signing keys and the user's
SRP verifier. Nothing is asserted; the backend is stopped and its home removed at the
end.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time

SERVER_TIMING = re.compile(r"dur=([0-9.]+)")


def _line(label: str, samples: list[float]) -> None:
    print(
        f"  {label:<12} median {statistics.median(samples):8.2f} ms   "
        f"mean {statistics.fmean(samples):8.2f} ms   "
        f"min {min(samples):8.2f} ms   max {max(samples):8.2f} ms"
    )


def main(sign_ins: int = 30) -> None:
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    import boto3

    from wildrydes import accounts, launch, srp
    from wildrydes.backend import Backend
    from wildrydes.kit import Kit, current
    from wildrydes.local import credentials, process

    with process.private_backend() as private:
        backend_process, home = private.start(), private.home
        print(
            f"embedded backend {backend_process.url}, kit home {home}, SRP arithmetic "
            f"{srp.powmod_backend()} (the backend process picks the same default)"
        )
        launch.up()
        kit = current()
        server_ms: list[float] = []

        def record(http_response, **_):
            match = SERVER_TIMING.search(http_response.headers.get("Server-Timing", ""))
            if match:
                server_ms.append(float(match.group(1)))

        # Hear every Cognito response of the timed sign-ins (a session of their own).
        session = boto3.session.Session(**credentials.load().boto3_kwargs())
        timed = Kit(
            Backend("local", kit.region, kit.backend.endpoint_url, session),
            kit.bucket,
            kit.user_pool_id,
            kit.app_client_id,
        )
        timed.backend.listen("after-call.cognito-identity-provider", record)

        email, password = "bench-rider@example.com", "Bench-Rider-42"
        accounts.register(kit, email, password)
        accounts.confirm(kit, email, from_mailbox=True)

        start = time.perf_counter()
        accounts.sign_in(timed, email, password)
        first_ms = (time.perf_counter() - start) * 1000
        first_server = sum(server_ms)
        server_ms.clear()

        wall, cpu, server = [], [], []
        for _ in range(sign_ins):
            server_ms.clear()
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            accounts.sign_in(timed, email, password)
            wall.append((time.perf_counter() - start_wall) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            server.append(sum(server_ms))
            if len(server_ms) != 2:
                print(f"  note: {len(server_ms)} Server-Timing headers in one sign-in, not 2")

        print(
            f"\nfirst sign-in (makes the pool's keys and the verifier): {first_ms:.1f} ms "
            f"wall, {first_server:.1f} ms server"
        )
        print(f"{sign_ins} SRP sign-ins over HTTP with the kit's client, per sign-in:")
        _line("wall", wall)
        _line("server", server)
        _line("client CPU", cpu)
        share = statistics.median(server) / statistics.median(wall)
        print(f"  the server's share of the median wall time: {share:.0%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
