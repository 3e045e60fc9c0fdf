"""The learner's own copy of the notebooks, so a walk-through never changes the repository.

``make workshop`` opens JupyterLab on ``workspace/`` (gitignored), which the kit fills with the
workshop's notebooks the first time. JupyterLab then autosaves outputs where a Jupyter user
expects them, in the notebook they opened, and reopening a notebook shows the learner's own
outputs again; the notebooks in ``notebooks/`` stay as committed (without outputs). A notebook
already in the workspace is never overwritten: ``refresh`` names the ones to copy again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["NOTEBOOKS_DIR", "WORKSPACE_DIR", "describe", "prepare"]

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO / "notebooks"
WORKSPACE_DIR = REPO / "workspace"


def prepare(
    target: Path = WORKSPACE_DIR, source: Path = NOTEBOOKS_DIR, *, refresh: tuple[str, ...] = ()
) -> list[str]:
    """Copy each workshop notebook missing from ``target`` (or named in ``refresh``).

    Returns the names copied now; the learner's edited copies are left as they are.
    """
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in sorted(source.glob("*.ipynb")):
        destination = target / notebook.name
        if destination.exists() and notebook.name not in refresh and notebook.stem not in refresh:
            continue
        shutil.copyfile(notebook, destination)
        copied.append(notebook.name)
    return copied


def describe(target: Path, copied: list[str]) -> str:
    """What ``prepare`` did, for a terminal: the notebooks copied now and the ones kept."""
    kept = sorted(p.name for p in target.glob("*.ipynb") if p.name not in copied)
    lines = [f"workspace: {target}"]
    if copied:
        lines.append(f"  copied from notebooks/: {', '.join(copied)}")
    if kept:
        lines.append(
            f"  your own copies, kept as they are: {', '.join(kept)} (`wildrydes workspace "
            "--refresh NAME` starts one afresh)"
        )
    return "\n".join(lines)
