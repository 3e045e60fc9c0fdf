"""``python -m wildrydes.tools.batch`` (``make run``): every workshop notebook, headless, in order.

Runs each notebook with papermill on a private embedded backend (its own kit home and port,
stopped at the end), or, with ``WILDRYDES_BACKEND=aws``, on the aws backend as configured
(AWS itself, or the endpoint ``AWS_ENDPOINT_URL`` names; nothing local is started, and the
module-1 bucket comes from ``WILDRYDES_BUCKET``), writes the executed notebooks to
``runs/<timestamp>/``, prints a table of notebook, status and seconds, and exits with 1 when
any notebook failed.

The learner's password comes from ``WILDRYDES_PASSWORD``; when it is unset the batch makes up a
random one that meets the workshop's policy, for this run only (it is never written anywhere).
The email is unique per run, so runs never collide in a shared backend.

Speed: kernel start-up is most of a short notebook's time, so a :class:`KernelPool` starts the
next notebook's kernel (and loads the kit into it) while the current notebook runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import shutil
import string
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = [
    "KERNEL_NAME",
    "NOTEBOOKS_DIR",
    "WARM_UP",
    "KernelPool",
    "Outcome",
    "main",
    "make_password",
    "notebooks_in",
    "run_notebook",
    "run_notebooks",
    "summary",
    "unique_email",
]

from wildrydes.local import process
from wildrydes.tools.scrub import strip_tokens

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
# The venv's ipykernel spec; jupyter_client runs it with this interpreter (sys.executable).
KERNEL_NAME = "python3"
# What the notebooks import first, and the embedded backend's clients (botocore's models
# parsed). A warm kernel has these before its notebook starts; the notebook's own imports
# still run, so a missing import still fails (it leaves the names IPython, ipywidgets and
# wildrydes).
WARM_UP = (
    "import IPython.display, ipywidgets, wildrydes.notebook, wildrydes.accounts, "
    "wildrydes.srp, wildrydes.tokens, wildrydes.trace, wildrydes.backend\n"
    "wildrydes.backend.prepare_local_clients()"
)
_SYMBOLS = "!#%+-=?@^_~"


@dataclass(frozen=True)
class Outcome:
    notebook: str
    ok: bool
    seconds: float
    output: Path
    error: str = ""


def make_password(length: int = 20) -> str:
    """A random password with an upper- and lowercase letter, a digit and a symbol."""
    rng = secrets.SystemRandom()
    pools = (string.ascii_uppercase, string.ascii_lowercase, string.digits, _SYMBOLS)
    chars = [rng.choice(pool) for pool in pools]
    everything = "".join(pools)
    chars += [rng.choice(everything) for _ in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)


def unique_email(stamp: str | None = None) -> str:
    stamp = stamp or datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"batch-{stamp}-{secrets.token_hex(3)}@example.com"


def notebooks_in(folder: Path, names: list[str] | None = None) -> list[Path]:
    """The notebooks to run, in workshop order (their file names sort that way)."""
    found = sorted(p.resolve() for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if names:
        found = [p for p in found if any(p.stem.startswith(n) or p.name == n for n in names)]
    return found


class KernelPool:
    """Starts the next notebook's kernel (with ``WARM_UP`` run in it) ahead of time.

    Each kernel runs one notebook and is then shut down in the background. Kernels inherit
    the environment as it is when they start, so create the pool after setting it.
    """

    def __init__(self, cwd: Path, warm_up: str = WARM_UP) -> None:
        self.cwd, self.warm_up = cwd, warm_up
        self._sockets = (
            tempfile.mkdtemp(prefix="wildrydes-kernels-") if os.name == "posix" else None
        )
        self._count = 0
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-start")
        self._stopper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-stop")
        self._next: Future[Any] | None = self._starter.submit(self._start)

    def _start(self) -> Any:
        # Imported on the kernel-starting thread, while the main thread imports papermill:
        # jupyter_client and papermill are most of the batch's start-up (see _import_papermill).
        from jupyter_client.manager import AsyncKernelManager

        class Manager(AsyncKernelManager):
            """Remembers the clients papermill makes, to close their sockets afterwards."""

            def client(self, **kwargs: Any) -> Any:
                made = super().client(**kwargs)
                self.made_clients = [*getattr(self, "made_clients", []), made]
                return made

        self._count += 1
        if self._sockets:  # Unix sockets: private to this user, and no TCP warning
            manager = Manager(
                kernel_name=KERNEL_NAME, transport="ipc", ip=f"{self._sockets}/k{self._count}"
            )
        else:
            manager = Manager(kernel_name=KERNEL_NAME)

        async def start() -> None:
            await manager.start_kernel(cwd=str(self.cwd))
            client = manager.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=60)
                if self.warm_up:
                    await client.execute_interactive(
                        self.warm_up, silent=True, store_history=False, timeout=60
                    )
            finally:
                client.stop_channels()

        asyncio.run(start())
        return manager

    def take(self, more: bool = True) -> Any:
        """A started kernel; begins warming the next one when ``more`` notebooks follow."""
        if self._next is None:
            raise RuntimeError("the kernel pool is closed")
        manager = self._next.result()
        self._next = self._starter.submit(self._start) if more else None
        return manager

    def release(self, manager: Any) -> None:
        """Close the clients that used a kernel, and shut the kernel down in the background."""
        for client in getattr(manager, "made_clients", []):
            client.stop_channels()  # papermill leaves them open when it did not start the kernel
        self._stopper.submit(lambda: asyncio.run(manager.shutdown_kernel(now=True)))

    def close(self) -> None:
        """Shut down the kernel nobody took, wait for the rest, remove the socket folder."""
        if self._next is not None:
            try:
                self.release(self._next.result())
            finally:
                self._next = None
        self._starter.shutdown(wait=True)
        self._stopper.shutdown(wait=True)
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)


def _import_papermill() -> None:
    """Import papermill, without the optional IRI checker jsonschema would load for nbformat.

    ``rfc3987_syntax`` builds a parser grammar when imported (about 3 s of CPU) and only serves
    jsonschema's "iri" formats, which notebook schemas never use.
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import -> ImportError
    import papermill  # noqa: F401


def run_notebook(
    path: Path, output: Path, parameters: dict[str, object], timeout: int = 300, kernel: Any = None
) -> Outcome:
    """Execute one notebook with papermill into ``output`` (on ``kernel`` if one is given)."""
    _import_papermill()  # the guarded import first: see there
    import papermill
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    declared = papermill.inspect_notebook(str(path))  # pass only what its parameters cell has
    parameters = {k: v for k, v in parameters.items() if k in declared}
    try:
        papermill.execute_notebook(
            str(path),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            cwd=str(path.parent),
            execution_timeout=timeout,
            # Nothing in a workshop kernel needs a graceful exit; this saves ~0.5 s each.
            shutdown_kernel="immediate",
            **({"km": kernel} if kernel is not None else {}),
        )
    except PapermillExecutionError as e:
        strip_tokens(output)
        return Outcome(
            path.stem,
            False,
            time.perf_counter() - started,
            output,
            f"In [{e.exec_count}]: {e.ename}: {e.evalue}",
        )
    strip_tokens(output)  # the copy keeps claims and verdicts, never a replayable token
    return Outcome(path.stem, True, time.perf_counter() - started, output)


def run_notebooks(
    paths: list[Path],
    output: Path,
    parameters: dict[str, object],
    *,
    timeout: int = 300,
    meanwhile: Callable[[], object] | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Run ``paths`` in order into the folder ``output``, each on a fresh, pre-started kernel.

    ``meanwhile`` runs while the first kernel starts (e.g. starting the backend); its errors
    are raised. Every notebook runs even when an earlier one failed.
    """
    # Absolute paths: papermill changes the working directory while a notebook runs.
    paths, output = [p.resolve() for p in paths], output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    outcomes: list[Outcome] = []
    kernels = KernelPool(paths[0].parent)
    try:
        with ThreadPoolExecutor(max_workers=1) as side:
            job = side.submit(meanwhile) if meanwhile else None
            _import_papermill()
            if job:
                job.result()
        for i, path in enumerate(paths):
            kernel = kernels.take(more=i + 1 < len(paths))
            try:
                outcome = run_notebook(path, output / path.name, parameters, timeout, kernel)
            finally:
                kernels.release(kernel)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    finally:
        kernels.close()
    return outcomes


def summary(outcomes: list[Outcome], wall: float) -> str:
    width = max([len(o.notebook) for o in outcomes] + [len("total (wall)")])
    lines = [f"{'notebook':<{width}}  {'status':<6}  {'seconds':>7}"]
    for o in outcomes:
        lines.append(f"{o.notebook:<{width}}  {'ok' if o.ok else 'FAILED':<6}  {o.seconds:7.2f}")
    passed = sum(o.ok for o in outcomes)
    lines.append(f"{'total (wall)':<{width}}  {f'{passed}/{len(outcomes)}':<6}  {wall:7.2f}")
    lines += [f"  {o.notebook}: {o.error}" for o in outcomes if not o.ok]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wildrydes.tools.batch",
        description="Run the workshop notebooks headless with papermill, in order.",
    )
    parser.add_argument(
        "names", nargs="*", help="only these notebooks (name or number prefix, e.g. 00 05)"
    )
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=NOTEBOOKS_DIR,
        help="folder of notebooks (default: the kit's notebooks/)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="folder for executed notebooks (default: runs/<timestamp>/)",
    )
    parser.add_argument(
        "--shared",
        action="store_true",
        help="use your own kit home and embedded backend instead of a private "
        "one (notebook 99 then removes your pool)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="NAME",
        help="leave out this notebook (name or number prefix), e.g. --skip 09 on an "
        "AWS-compatible endpoint that serves no API Gateway; repeat for more",
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="skip notebook 07's walk through the website in headless Chromium",
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    skipped = set(notebooks_in(args.notebooks, args.skip)) if args.skip else set()
    paths = [p for p in notebooks_in(args.notebooks, args.names) if p not in skipped]
    if not paths:
        print(f"no notebooks to run in {args.notebooks}", file=sys.stderr)
        return 2
    output = args.output or Path("runs") / stamp

    aws = (os.environ.get("WILDRYDES_BACKEND") or "local").strip().lower() == "aws"
    env = {"WILDRYDES_BACKEND": "aws" if aws else "local"}
    if not os.environ.get("WILDRYDES_PASSWORD"):
        env["WILDRYDES_PASSWORD"] = make_password()
    parameters: dict[str, object] = {"email": unique_email(stamp)}
    if args.no_browser:
        parameters["screenshots"] = False

    def show(o: Outcome) -> None:
        print(f"{'ok' if o.ok else 'FAILED':<6} {o.seconds:6.2f}s  {o.notebook}", flush=True)

    with contextlib.ExitStack() as stack:
        meanwhile = None
        if not args.shared and not aws:
            # Its own kit home and port; the backend starts while the first kernel does.
            meanwhile = stack.enter_context(process.private_backend(start_now=False)).start
        elif not args.shared:
            home = tempfile.mkdtemp(prefix="wildrydes-batch-")
            stack.callback(shutil.rmtree, home, ignore_errors=True)
            env["WILDRYDES_HOME"] = home  # the run's own state file
        stack.enter_context(process.environment(**env))
        outcomes = run_notebooks(
            paths, output, parameters, timeout=args.timeout, meanwhile=meanwhile, progress=show
        )
    print()
    print(summary(outcomes, time.perf_counter() - started))
    print(f"\nexecuted notebooks: {output}")
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
