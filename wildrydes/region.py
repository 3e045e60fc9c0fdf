"""Which AWS region the aws backend works in, resolved the way every AWS SDK and tool does.

The order (AWS SDKs and Tools Reference Guide, "AWS Region", feature-region.html, and the AWS
CLI's "Environment variables to configure the AWS CLI"): a region given for this call
(``--region``), then the ``AWS_REGION`` environment variable, then ``AWS_DEFAULT_REGION`` (the
AWS CLI's and boto3's own name), then ``region`` in the profile of ``~/.aws/config``. boto3 by
itself reads ``AWS_DEFAULT_REGION`` and the profile only, so a learner who set ``AWS_REGION``
alone (as most AWS guides say) would be ignored; the kit resolves the region itself and hands
boto3 the result. When two places disagree, :attr:`RegionChoice.notice` says which one won.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "ENV_NAMES",
    "FLAG",
    "PROFILE",
    "RegionChoice",
    "resolve_region",
]

FLAG = "--region"
ENV_NAMES = ("AWS_REGION", "AWS_DEFAULT_REGION")
PROFILE = "the profile's region (~/.aws/config)"


@dataclass(frozen=True)
class RegionChoice:
    """The region to use, where it came from, and the other places that said otherwise."""

    region: str | None
    source: str = ""
    overruled: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def notice(self) -> str | None:
        """One line saying which region was used when two places disagree, else None."""
        if not self.overruled or not self.region:
            return None
        others = "; ".join(f"{where} says {value}" for where, value in self.overruled)
        return (
            f"wildrydes: using region {self.region} from {self.source} ({others}). As in "
            f"every AWS SDK, {FLAG} wins over AWS_REGION, AWS_REGION over AWS_DEFAULT_REGION, "
            "and those over the profile's region."
        )


def resolve_region(
    explicit: str | None,
    environ: Mapping[str, str] | None = None,
    profile_region: Callable[[], str | None] | None = None,
) -> RegionChoice:
    """The region from ``explicit`` (``--region``), the environment, then the profile.

    ``profile_region`` is asked only for the profile's own setting (it is not called when it
    cannot matter to the answer or to the notice: it reads ~/.aws/config).
    """
    env = os.environ if environ is None else environ
    candidates: list[tuple[str, str]] = []
    if explicit:
        candidates.append((FLAG, explicit.strip()))
    for name in ENV_NAMES:
        value = (env.get(name) or "").strip()
        if value:
            candidates.append((name, value))
    profile = profile_region() if profile_region is not None else None
    if profile:
        candidates.append((PROFILE, profile.strip()))
    if not candidates:
        return RegionChoice(None)
    (source, region), rest = candidates[0], candidates[1:]
    overruled = tuple((where, value) for where, value in rest if value != region)
    return RegionChoice(region, source, overruled)
