"""A class on one machine: N kit homes start their backends at once, none with a port set.

Run: python benchmarks/many_homes.py [homes]   (default 30)

Each home runs ``wildrydes local start`` in its own process, all at the same moment, with
WILDRYDES_LOCAL_PORT unset (as a learner on a shared hub would). Prints how many backends
started, on how many distinct ports, the slowest start, whether each answers its own home's
secret and refuses every other home's, then stops them all and removes the homes.
Nothing is asserted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(homes: int = 30) -> None:
    import requests

    from wildrydes.local import secret

    base = Path(tempfile.mkdtemp(prefix="wildrydes-class-"))
    env = {k: v for k, v in os.environ.items() if k != "WILDRYDES_LOCAL_PORT"}
    folders = [base / f"learner-{i:02d}" for i in range(homes)]
    started = time.monotonic()
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "wildrydes", "local", "start"],
            env={**env, "WILDRYDES_HOME": str(folder)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    urls: list[str | None] = []
    slowest = 0.0
    for process in starts:
        out, err = process.communicate(timeout=600)
        slowest = max(slowest, time.monotonic() - started)
        urls.append(out.strip().splitlines()[-1] if process.returncode == 0 else None)
        if process.returncode != 0:
            print(f"a start failed: {err.strip()[-300:]}")
    try:
        working = [u for u in urls if u]
        print(f"{len(working)} of {homes} homes got a backend, on {len(set(working))} ports")
        print(f"all started within {slowest:.1f} s (2 cores)")
        own = others = 0
        for i, url in enumerate(urls):
            if not url:
                continue
            answer = requests.get(
                f"{url}/_wildrydes/outbox", headers=secret.headers(folders[i]), timeout=10
            )
            own += answer.status_code == 200
            stranger = folders[(i + 1) % homes]
            if (stranger / secret.FILE_NAME).exists():
                refused = requests.get(
                    f"{url}/_wildrydes/outbox", headers=secret.headers(stranger), timeout=10
                )
                others += refused.status_code == 403
        print(f"{own} answer their own home's secret; {others} refuse a neighbour's")
    finally:
        for folder in folders:
            subprocess.run(
                [sys.executable, "-m", "wildrydes", "local", "stop"],
                env={**env, "WILDRYDES_HOME": str(folder)},
                capture_output=True,
                timeout=120,
            )
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
