"""At backend start: put back what moto's S3 (in memory) forgot, from what the kit remembers.

Cognito's pools and users come back from the store on their own; the website bucket does not,
so it is made again from ``website/`` and ``js/config.js`` from the kit's state (the pool and
app client ``wildrydes up`` recorded, when that pool still exists).
"""

from __future__ import annotations

import logging

from wildrydes import state, website
from wildrydes.backend import local_backend

__all__ = [
    "restore_website",
]

log = logging.getLogger(__name__)


def restore_website(endpoint_url: str, pool_exists) -> str | None:
    """Re-make the recorded website bucket; returns its name, or None if none is recorded.

    ``pool_exists(pool_id)`` says whether the store still has the recorded user pool.
    """
    record = state.load("local")
    bucket = record.get("bucket")
    if not bucket:
        return None
    backend = local_backend(endpoint_url)
    s3 = backend.client("s3")
    website.ensure_local_bucket(backend, s3, bucket)
    pool_id, client_id = record.get("user_pool_id"), record.get("app_client_id")
    if pool_id and client_id and pool_exists(pool_id):
        from wildrydes.launch import site_config_for

        website.put_config_js(s3, bucket, site_config_for(backend, pool_id, client_id))
    log.info("restored website bucket %s", bucket)
    return bucket
