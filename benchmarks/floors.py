"""Issue 23's figures as ratios to floors measured in the same run (``make bench``).

Absolute times move from machine to machine (and with what else the machine is doing), so
each figure is printed beside a floor measured here, now, and the ratio of the two:

- the batch (``python -m wildrydes.tools.batch``, the ten notebooks) beside the same batch code
  running the same notebooks with every code cell emptied: what papermill and Jupyter cost;
- ``wildrydes up`` (warm), ``status`` and ``check`` beside the floor of any CLI call that uses
  AWS, ``python -c "import boto3; boto3.client('cognito-idp')"``;
- the backend's start until ready with 1,000 users in its store, beside the goal of 0.5 s;
  and ``up`` cold beside warm ``up`` plus that start.

The package's bytecode is compiled first, as a learner's first run writes it (a machine with
PYTHONDONTWRITEBYTECODE set, as some CI images have, would otherwise compile the kit's modules
on every call while boto3's were compiled at install).

Run: python benchmarks/floors.py [--rounds N] [--users N] [--no-batch]
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR_CALL = "import boto3; boto3.client('cognito-idp', region_name='us-east-1')"
PASSWORD = "Bench-" + uuid.uuid4().hex[:12] + "!a1"  # made up per run, never printed


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def median_of(rounds: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(rounds))


def interleaved(
    rounds: int, commands: dict[str, list[str]], env: dict[str, str]
) -> dict[str, float]:
    """Each command's median time, the commands run in turn in every round: a machine whose
    speed drifts (a shared host) then moves a figure and its floor alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(timed(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


def row(name: str, value: float, floor: float, goal: float, floor_name: str) -> str:
    ratio = value / floor if floor else float("inf")
    verdict = "meets" if ratio <= goal else "misses"
    return (
        f"  {name:<22} {value:6.2f} s   floor {floor:6.2f} s ({floor_name})   "
        f"ratio {ratio:4.2f}  goal <= {goal:g}: {verdict}"
    )


def emptied_notebooks(into: Path) -> Path:
    """Copies of the workshop notebooks whose code cells do nothing (parameters cells kept)."""
    for source in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        notebook = json.loads(source.read_text())
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", []):
                cell["source"] = "pass"
        (into / source.name).write_text(json.dumps(notebook))
    return into


def batch(rounds: int) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="wildrydes-bench-"))
    try:
        command = [sys.executable, "-m", "wildrydes.tools.batch", "--output"]
        floor_dir = emptied_notebooks(Path(tempfile.mkdtemp(dir=work)))

        def ours() -> float:
            return timed([*command, str(Path(tempfile.mkdtemp(dir=work)))])

        def floor() -> float:
            out = str(Path(tempfile.mkdtemp(dir=work)))
            return timed([*command, out, "--notebooks", str(floor_dir)])

        return [
            row(
                "batch (10 notebooks)",
                median_of(rounds, ours),
                median_of(rounds, floor),
                1.5,
                "same batch, empty cells",
            )
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cli_and_start(rounds: int, users: int) -> list[str]:
    from wildrydes import launch
    from wildrydes.backend import connect
    from wildrydes.local import process

    # The command a learner types: the console script pip installed beside this interpreter.
    script = Path(sys.executable).with_name("wildrydes")
    wildrydes = [str(script)] if script.exists() else [sys.executable, "-m", "wildrydes"]
    lines = []
    with process.private_backend(start_now=False) as private:
        env = dict(os.environ)
        colds = [timed([*wildrydes, "up", "--json"], env)]
        took = interleaved(
            rounds,
            {
                "floor": [sys.executable, "-c", FLOOR_CALL],
                "up (warm)": [*wildrydes, "up", "--json"],
                "status": [*wildrydes, "status", "--json"],
                "check": [*wildrydes, "check"],
            },
            env,
        )
        floor, warm = took["floor"], took["up (warm)"]
        for name in ("up (warm)", "status", "check"):
            lines.append(row(name, took[name], floor, 1.1, "import boto3 + client"))

        kit = launch.up()
        client_id = kit.values["app_client_id"]
        cognito = connect().client("cognito-idp")

        def sign_up(i: int) -> None:
            cognito.sign_up(
                ClientId=client_id,
                Username=f"bench-{i}-{uuid.uuid4().hex[:6]}",
                Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": f"bench-{i}@example.com"}],
            )

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(sign_up, range(users)))

        s3 = connect().client("s3")  # made before the clock starts; same port every start
        answered: list[float] = []

        def restart() -> float:
            """Until the backend answers (what `local start` waits for); kept in
            ``answered``. Returned: until S3 answers too (moto loaded, the website put back)."""
            private.stop()
            started = time.perf_counter()
            private.start()
            answered.append(time.perf_counter() - started)
            s3.list_buckets()
            return time.perf_counter() - started

        full_start = median_of(rounds, restart)
        start = statistics.median(answered)
    for _ in range(rounds - 1):  # more first `up`s, each in a new kit home
        with process.private_backend(start_now=False):
            colds.append(timed([*wildrydes, "up", "--json"], dict(os.environ)))
    cold = statistics.median(colds)
    lines.append(
        f"  {'backend start':<22} {start:6.2f} s   with {users} users in the store, until it "
        f"answers   goal <= 0.5 s: {'meets' if start <= 0.5 else 'misses'}"
    )
    lines.append(
        f"  {'  and S3 answers':<22} {full_start:6.2f} s   moto's S3 loaded and the website put "
        f"back   goal <= 0.5 s: {'meets' if full_start <= 0.5 else 'misses'}"
    )
    # A cold `up` makes the website itself, where a warm one finds it: the start it is
    # compared with is the one after which S3 answers too (moto loaded, the website put back).
    lines.append(
        f"  {'up (cold)':<22} {cold:6.2f} s   warm up + start = {warm + full_start:.2f} s   "
        f"goal: cold <= warm + start: {'meets' if cold <= warm + full_start else 'misses'}"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--no-batch", action="store_true", help="skip the notebooks (~1 min)")
    args = parser.parse_args()
    print(
        f"python benchmarks/floors.py --rounds {args.rounds} --users {args.users}"
        f"{' --no-batch' if args.no_batch else ''}   (medians of {args.rounds} rounds)"
    )
    compileall.compile_dir(ROOT / "wildrydes", quiet=1)
    for line in cli_and_start(args.rounds, args.users):
        print(line, flush=True)
    if not args.no_batch:
        for line in batch(max(1, args.rounds // 2)):
            print(line, flush=True)


if __name__ == "__main__":
    main()
