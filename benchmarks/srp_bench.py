"""CPU cost of one SRP sign-in: the kit's client and server versus pycognito's client.

Run: python benchmarks/srp_bench.py [iterations]

Prints, per sign-in (time.process_time, median and mean over the iterations):

* client: the kit (new_ephemeral_a + compute_A + client_response) and pycognito's AWSSRP
  (constructor, which draws a and computes A, + process_challenge) for the same challenge,
  and their ratio (goal: kit <= 0.5x pycognito);
* server: server_ephemeral + server_session_key + verify_claim (goal: <= 30 ms).

Each measurement is repeated with gmpy2 off and, when it is installed, on.  Nothing is
asserted.  One untimed warm-up sign-in runs first (it builds the kit's table of powers of g).
"""

from __future__ import annotations

import base64
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from unittest import mock

from pycognito import aws_srp

from wildrydes import srp

POOL_ID = "us-east-1_AbC123"
USER_ID = "6f1c2d3e-0000-4a5b-9c8d-112233445566"
PASSWORD = "Correct-Horse-9"  # noqa: S105 - a made-up password for timing
SECRET_BLOCK = base64.b64encode(bytes(range(256)) * 4).decode()  # Cognito's are ~1 KB
TIMESTAMP = "Thu Nov 5 09:03:01 UTC 2026"
FROZEN_CLOCK = SimpleNamespace(
    datetime=SimpleNamespace(utcnow=lambda: datetime(2026, 11, 5, 9, 3, 1))
)


def cpu_ms(run: Callable[[], float | None], iterations: int) -> list[float]:
    """CPU milliseconds per call; ``run`` may return its own timed share in seconds."""
    run()  # warm-up
    samples = []
    for _ in range(iterations):
        start = time.process_time()
        own = run()
        elapsed = time.process_time() - start if own is None else own
        samples.append(elapsed * 1000)
    return samples


def summary(label: str, samples: list[float]) -> float:
    median = statistics.median(samples)
    print(f"  {label:<44} median {median:8.2f} ms   mean {statistics.fmean(samples):8.2f} ms")
    return median


def main(iterations: int = 50) -> None:
    verifier = srp.make_verifier(POOL_ID, USER_ID, PASSWORD)
    _, big_b = srp.server_ephemeral(verifier.verifier)
    challenge = {
        "SALT": verifier.salt_hex,
        "SRP_B": format(big_b, "x"),
        "SECRET_BLOCK": SECRET_BLOCK,
        "USER_ID_FOR_SRP": USER_ID,
        "USERNAME": USER_ID,
    }

    def kit_client() -> None:
        a = srp.new_ephemeral_a()
        srp.compute_A(a)
        srp.client_response(POOL_ID, PASSWORD, a, challenge, TIMESTAMP)

    def pycognito_client() -> None:
        client = aws_srp.AWSSRP(USER_ID, PASSWORD, POOL_ID, "client-id", client=object())
        client.process_challenge(challenge, {"USERNAME": USER_ID})

    def kit_server() -> float:
        """Time only the server's share; the client's answer is computed untimed."""
        start = time.process_time()
        b, big_b = srp.server_ephemeral(verifier.verifier)
        server_part = time.process_time() - start
        a = srp.new_ephemeral_a()
        big_a = srp.compute_A(a)
        fresh = {**challenge, "SRP_B": format(big_b, "x")}
        response = srp.client_response(POOL_ID, PASSWORD, a, fresh, TIMESTAMP)
        start = time.process_time()
        key = srp.server_session_key(big_a, big_b, b, verifier.verifier)
        ok = srp.verify_claim(
            key, POOL_ID, USER_ID, SECRET_BLOCK, TIMESTAMP, response["PASSWORD_CLAIM_SIGNATURE"]
        )
        server_part += time.process_time() - start
        if not ok:
            raise RuntimeError("the server rejected a correct sign-in")
        return server_part

    print(f"SRP sign-in CPU time, {iterations} iterations, Python {sys.version.split()[0]}")
    gmpy2_default = srp.powmod_backend() == "gmpy2"
    with warnings.catch_warnings(), mock.patch.object(aws_srp, "datetime", FROZEN_CLOCK):
        warnings.simplefilter("ignore")
        theirs = summary("pycognito AWSSRP client", cpu_ms(pycognito_client, iterations))
        for use in (False, True):
            if srp.use_gmpy2(use) != use:
                print("  (gmpy2 is not installed: no gmpy2 run)")
                continue
            print(f"backend: {srp.powmod_backend()}")
            ours = summary("kit client", cpu_ms(kit_client, iterations))
            print(f"  {'ratio kit / pycognito (goal <= 0.5)':<44} {ours / theirs:8.2f}x")
            summary("kit server verify (goal <= 30 ms)", cpu_ms(kit_server, iterations))
    srp.use_gmpy2(gmpy2_default)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
