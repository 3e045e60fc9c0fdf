"""One verdict model for every command that judges something: ``status``, ``check``, ``decode``.

A :class:`Check` is one named verdict with what was seen and, when it failed, the next step.
A :class:`Report` is a title, named values, and checks; a table in notebooks and aligned lines
in a terminal, both built from the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wildrydes import render

__all__ = ["Check", "Report"]


@dataclass(frozen=True)
class Check:
    """One verdict: ``name``, ``ok``, ``detail`` (what was seen) and ``next_step`` (what to do)."""

    name: str
    ok: bool
    detail: str
    next_step: str = ""

    @property
    def ran(self) -> bool:
        """False for a check that could not be made (its detail starts "not checked"): shown
        as not run, never as passed or failed."""
        return not self.detail.startswith("not checked")

    @property
    def mark(self) -> str:
        return "✓" if self.ok else "✗" if self.ran else "–"

    @property
    def message(self) -> str:
        """The detail and the next step, as one sentence."""
        return f"{self.detail}: {self.next_step}" if self.next_step else self.detail

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "detail": self.message,
            "next_step": self.next_step,
        }

    def __str__(self) -> str:
        return f"{self.mark} {self.name}: {self.message}"


@dataclass
class Report:
    """A result with named values and checks; ``ok`` when every check passed."""

    title: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.checks]

    @property
    def failed(self) -> list[str]:
        return [c.name for c in self.checks if not c.ok]

    def __getitem__(self, name: str) -> Check:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def summary(self) -> str:
        """A closing sentence (none by default)."""
        return ""

    def as_json(self) -> dict[str, Any]:
        data = dict(self.values)
        if self.checks:
            data["checks"] = {c.name: {"ok": c.ok, "detail": c.message} for c in self.checks}
            data["ok"] = self.ok
        return data

    def __str__(self) -> str:
        shown = {k: v for k, v in self.values.items() if v is not None}
        width = max((len(k) for k in [*shown, *self.names]), default=0)
        indent = "  " if self.title else ""
        lines = [self.title] if self.title else []
        lines += [f"{indent}{k:<{width}}  {v}" for k, v in shown.items()]
        lines += [f"{indent}{c.mark} {c.name:<{width}}  {c.message}" for c in self.checks]
        if self.summary():
            lines.append(self.summary())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = (
            [render.settings(self.title, self.values.items())] if self.values or self.title else []
        )
        if self.checks:
            rows = [
                [
                    render.code(c.name),
                    render.mark(c.ok) if c.ran else render.tinted(render.AMBER, "– not run"),
                    render.inline(c.message),
                ]
                for c in self.checks
            ]
            parts.append(render.table(["check", "result", "why"], rows))
        if self.summary():
            parts.append(render.verdict(self.ok, self.summary()))
        return "".join(parts)
