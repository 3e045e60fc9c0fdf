"""The unicorns of Wild Rydes module 3's fleet (its ``requestUnicorn.js`` names these three)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

__all__ = ["FLEET", "Unicorn", "dispatch"]


@dataclass(frozen=True)
class Unicorn:
    """One unicorn, in the shape module 3's response gives it (``Name``, ``Color``, ``Gender``)."""

    name: str
    color: str
    gender: str

    def as_json(self) -> dict[str, str]:
        return {"Name": self.name, "Color": self.color, "Gender": self.gender}


FLEET = (
    Unicorn("Bucephalus", "Golden", "Male"),
    Unicorn("Shadowfax", "White", "Male"),
    Unicorn("Rocinante", "Yellow", "Female"),
)


def dispatch(fleet: tuple[Unicorn, ...] = FLEET) -> Unicorn:
    """A unicorn for the next ride: any of the fleet, as module 3 picks one at random."""
    return secrets.choice(fleet)
