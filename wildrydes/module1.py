"""Module 1's prerequisite alone: the website bucket with the site, and nothing of module 2.

``make workshop`` runs ``wildrydes module1`` so that notebooks 01-03 are where the learner
creates the user pool, the app client and config.js (``wildrydes up`` still does all of it in
one command, the workshop's skip-ahead).
"""

from __future__ import annotations

from wildrydes import launch, state, website
from wildrydes.backend import Backend, connect

__all__ = ["prepare", "prepare_bucket"]


def prepare_bucket(backend: Backend, bucket: str | None) -> tuple[str, bool]:
    """Choose the bucket, make sure it is there (local: with the site), remember it.

    Returns the bucket's name and whether it was created now.
    """
    name = launch.choose_bucket(backend, bucket)
    created = launch.prepare_bucket(backend, name)
    before = state.load(backend.state_key)
    state.update(
        backend.state_key, bucket=name, created_bucket=bool(created or before.get("created_bucket"))
    )
    return name, created


def prepare(
    kind: str | None = None, *, bucket: str | None = None, region: str | None = None
) -> launch.Report:
    """The website bucket of module 1, ready for notebooks 01-03 (idempotent)."""
    backend = connect(kind, region)
    name, created = prepare_bucket(backend, bucket)
    record = state.load(backend.state_key)
    values = {
        "backend": backend.kind,
        "region": backend.region,
        "bucket": name + (" (created now)" if created else ""),
        "website_url": website.website_url(backend, name) + "index.html",
    }
    if backend.kind == "local":
        values["mailbox_url"] = f"{backend.endpoint_url}/_wildrydes/mailbox"
    values["user_pool_id"] = record.get("user_pool_id") or "not yet: notebook 01 creates it"
    values["app_client_id"] = record.get("app_client_id") or "not yet: notebook 02 creates it"
    values["next"] = "open notebooks/01_create_user_pool.ipynb (or `wildrydes up` to skip ahead)"
    return launch.Report("Module 1 is ready: the website bucket with the site", values)
