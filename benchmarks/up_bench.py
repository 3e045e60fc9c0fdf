"""Time `wildrydes up`: cold (backend start included) and warm. Prints numbers; asserts nothing."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from wildrydes.local import process


def run(*args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "wildrydes", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main(rounds: int = 5) -> None:
    cold, warm = [], []
    for _ in range(rounds):
        # A fresh kit home and port; the CLI starts the backend, the block stops it.
        with process.private_backend(start_now=False):
            env = dict(os.environ)
            cold.append(run("up", "--json", env=env))
            warm.append(run("up", "--json", env=env))
    print(f"wildrydes up, {rounds} rounds, each on a fresh embedded backend (CLI process included)")
    print(
        f"  cold (backend start + bucket + site + pool + client + config.js): "
        f"median {statistics.median(cold):.2f} s, max {max(cold):.2f} s (goal <= 2 s)"
    )
    print(
        f"  warm (everything exists):                                     "
        f"median {statistics.median(warm):.2f} s, max {max(warm):.2f} s (goal <= 0.5 s)"
    )


if __name__ == "__main__":
    main()
