"""The local Cognito's numbers: SRP verification, start with 1,000 users, memory, 50 learners.

Run: python benchmarks/cognito_bench.py [users]   (default 1000)

Starts its own embedded backend (a temporary WILDRYDES_HOME, a free port) and prints:

* server SRP verification: the Server-Timing the backend reports for RespondToAuthChallenge
  (PASSWORD_VERIFIER: session key, claim check, token signing), median over 50 sign-ins
  (goal <= 15 ms);
* RSS of the backend process before and after N sign-ups + N sign-ins (goal: growth
  <= 10 MiB for N = 1,000);
* backend start with those N users in the store, from `process.start()` to ready
  (goal <= 1 s); then whether a user made before the restart still signs in;
* 50 concurrent learners, each: sign-up, confirm with the code from the outbox, SRP sign-in,
  GetUser, refresh, global sign-out; the number of errors (goal 0) and the wall time.

Nothing is asserted. The backend is stopped and its home removed at the end.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

PASSWORD = "Correct-Horse-9"  # noqa: S105 - a made-up password for timing
SERVER_TIMING = re.compile(r"dur=([0-9.]+)")


def _rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(users: int = 1000) -> None:
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    from wildrydes import launch, srp
    from wildrydes.backend import connect
    from wildrydes.local import process, secret

    with process.private_backend() as private:
        running = private.start()
        kit = launch.up()
        pool_id, client_id = kit.values["user_pool_id"], kit.values["app_client_id"]
        cognito = connect().client("cognito-idp")
        timings: list[float] = []

        def sign_in(username: str, client=cognito) -> dict:
            a = srp.new_ephemeral_a()
            challenge = client.initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_SRP_AUTH",
                AuthParameters=srp.auth_parameters(username, srp.compute_A(a)),
            )
            answer = client.respond_to_auth_challenge(
                ClientId=client_id,
                ChallengeName="PASSWORD_VERIFIER",
                ChallengeResponses=srp.client_response(
                    pool_id, PASSWORD, a, challenge["ChallengeParameters"]
                ),
            )
            header = answer["ResponseMetadata"]["HTTPHeaders"].get("server-timing", "")
            match = SERVER_TIMING.search(header)
            if match:
                timings.append(float(match.group(1)))
            return answer["AuthenticationResult"]

        def sign_up(username: str, client=cognito) -> None:
            client.sign_up(
                ClientId=client_id,
                Username=username,
                Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": username.replace("-at-", "@")}],
            )

        names = [f"bench-{i}-{uuid.uuid4().hex[:6]}-at-example.com" for i in range(users)]
        sign_up(names[0])
        cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=names[0])
        sign_in(names[0])  # warm-up: keys, tables of powers
        timings.clear()
        rss_before = _rss_mib(running.pid)
        started = time.perf_counter()
        for name in names[1:]:
            sign_up(name)
            cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=name)
        for name in names:
            sign_in(name)
        took = time.perf_counter() - started
        rss_after = _rss_mib(running.pid)
        print(
            f"server SRP verification (RespondToAuthChallenge Server-Timing, {len(timings)} "
            f"sign-ins): median {statistics.median(timings):.2f} ms, "
            f"mean {statistics.fmean(timings):.2f} ms"
        )
        print(
            f"RSS over {users} sign-ups + {users} sign-ins ({took:.1f} s): "
            f"{rss_before:.1f} -> {rss_after:.1f} MiB (growth {rss_after - rss_before:+.1f} "
            "MiB)"
        )

        process.stop()
        started = time.perf_counter()
        running = process.start()
        ready = time.perf_counter() - started
        print(f"backend start with {users} users in the store, until ready: {ready:.2f} s")
        cognito = connect().client("cognito-idp")
        try:
            sign_in(names[0])
            print("a user made before the restart signs in after it: yes")
        except Exception as e:  # noqa: BLE001 - reported, not raised
            print(f"a user made before the restart signs in after it: no ({e})")

        kit = launch.up()  # the same pool when the store kept it; a new one otherwise
        pool_id, client_id = kit.values["user_pool_id"], kit.values["app_client_id"]
        endpoint = connect().endpoint_url
        learners = 50
        clients = [
            connect().session.client("cognito-idp", region_name="us-east-1", endpoint_url=endpoint)
            for _ in range(learners)
        ]

        def learner(i: int) -> str | None:
            client = clients[i]
            username = f"learner-{i}-{uuid.uuid4().hex[:8]}-at-example.com"
            try:
                sign_up(username, client)
                messages = requests.get(
                    f"{endpoint}/_wildrydes/outbox", headers=secret.headers(), timeout=30
                ).json()
                code = [m["code"] for m in messages if m["username"] == username][-1]
                client.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)
                tokens = sign_in(username, client)
                client.get_user(AccessToken=tokens["AccessToken"])
                client.initiate_auth(
                    ClientId=client_id,
                    AuthFlow="REFRESH_TOKEN_AUTH",
                    AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
                )
                client.global_sign_out(AccessToken=tokens["AccessToken"])
            except Exception as e:  # noqa: BLE001 - counted and shown
                return f"{type(e).__name__}: {e}"
            return None

        started = time.perf_counter()
        with ThreadPoolExecutor(learners) as pool:
            errors = [r for r in pool.map(learner, range(learners)) if r]
        print(
            f"{learners} concurrent learners, whole flow: {len(errors)} errors in "
            f"{time.perf_counter() - started:.1f} s"
        )
        for error in errors[:5]:
            print("  ", error)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
