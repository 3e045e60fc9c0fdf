"""Notebook 09: the local clock moved for an expired token, and the refusals side by side."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from wildrydes import render
from wildrydes.backend import Backend
from wildrydes.notebook.displays import Shown
from wildrydes.ride_api import RideAnswer

__all__ = ["clock_moved", "ride_answers"]


@contextlib.contextmanager
def clock_moved(backend: Backend, seconds: float) -> Iterator[bool]:
    """Inside the block the embedded backend's clock is ``seconds`` on (yields True); it is put
    back on the way out. AWS's clock cannot be moved: on the aws backend this yields False."""
    if backend.kind != "local" or not backend.endpoint_url:
        yield False
        return
    from wildrydes.local.move_clock import advance_clock

    advance_clock(backend.endpoint_url, seconds)
    try:
        yield True
    finally:
        advance_clock(backend.endpoint_url, -seconds)


def ride_answers(answers: dict[str, RideAnswer | None]) -> Shown:
    """One row per call: what was sent, the status and body that came back, and the rule."""
    rows, lines = [], []
    for sent, answer in answers.items():
        if answer is None:
            rows.append([render.escape(sent), "-", "not tried on this backend", "-"])
            lines.append(f"{sent}: not tried on this backend")
            continue
        body = json.dumps(answer.body)
        caught = answer.check or ("-" if answer.status == 201 else "(AWS does not say)")
        rows.append([render.escape(sent), render.code(answer.status), render.code(body), caught])
        lines.append(f"{sent}: {answer.status} {body} [{caught}]")
    return Shown(render.table(["sent", "status", "body", "caught by"], rows), "\n".join(lines))
