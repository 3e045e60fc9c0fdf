"""``wildrydes module1 / up / status / down``: module 1's bucket, then "Launch Module 2".

``make workshop`` runs ``wildrydes module1`` (the website bucket with the site, and nothing of
module 2), so that notebooks 01-03 are where the learner creates the user pool, the app client
and config.js; ``wildrydes up`` does all of it in one command, the workshop's skip-ahead.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import botocore.exceptions

from wildrydes import (
    api_gateway,
    kept_session,
    links,
    messages,
    state,
    userpool,
    website,
    website_bucket,
)
from wildrydes.backend import Backend, connect
from wildrydes.errors import ConfigurationError, ResourceError
from wildrydes.verdicts import Check, Report

__all__ = [
    "LOCAL_BUCKET",
    "choose_bucket",
    "down",
    "module1",
    "prepare_bucket",
    "site_config_for",
    "status",
    "up",
    "update_config_js",
]

LOCAL_BUCKET = "wildrydes-local-website"


def choose_bucket(backend: Backend, bucket: str | None) -> str:
    bucket = (
        bucket or os.environ.get("WILDRYDES_BUCKET") or state.load(backend.state_key).get("bucket")
    )
    if bucket:
        return bucket
    if backend.kind == "local":
        return LOCAL_BUCKET
    raise ConfigurationError(
        "Which bucket holds your website from module 1? Pass --bucket NAME (or set "
        "WILDRYDES_BUCKET, or the `bucket` parameter in notebook 00)."
    )


def prepare_bucket(backend: Backend, bucket: str | None) -> tuple[str, bool]:
    """Module 1's prerequisite: choose the bucket, make sure it is there (local: make it with
    the site; aws: check the learner's), and remember it.

    Returns the bucket's name and whether it was created now.
    """
    name = choose_bucket(backend, bucket)
    s3 = backend.client("s3")
    created = False
    if backend.kind == "local":
        created = website.ensure_local_bucket(backend, s3, name)
    else:
        website.check_bucket(backend, s3, name)
    before = state.load(backend.state_key)
    state.update(
        backend.state_key, bucket=name, created_bucket=bool(created or before.get("created_bucket"))
    )
    return name, created


def module1(
    kind: str | None = None,
    *,
    bucket: str | None = None,
    region: str | None = None,
    site_url: str | None = None,
) -> Report:
    """The website bucket of module 1, ready for notebooks 01-03 (idempotent).

    On aws: the bucket is made the way module 1 made it, or an existing one adopted; with
    ``site_url`` (a site hosted elsewhere, as Amplify Console hosts the current workshop's),
    no bucket at all: ``up`` then prints the config.js to commit to the site's repository.
    """
    backend = connect(kind, region)
    if site_url and backend.kind == "aws":
        return website_bucket.hosted_elsewhere(backend, site_url)
    if backend.kind == "aws":
        name = choose_bucket(backend, bucket)
        said = website_bucket.module1_on_aws(backend, name)
    else:
        name, created = prepare_bucket(backend, bucket)
        said = name + (" (created now)" if created else "")
    record = state.load(backend.state_key)
    values = {
        "backend": backend.kind,
        "region": backend.region,
        "bucket": said,
        "website_url": website.website_url(backend, name) + "index.html",
    }
    if backend.kind == "local":
        values["mailbox_url"] = f"{backend.endpoint_url}/_wildrydes/mailbox"
    elif backend.service_url("s3") is None:  # AWS's own S3 website endpoint
        values["website_note"] = website_bucket.HTTP_ONLY
    values["user_pool_id"] = record.get("user_pool_id") or "not yet: notebook 01 creates it"
    values["app_client_id"] = record.get("app_client_id") or "not yet: notebook 02 creates it"
    values["where you are"], values["next"] = where_next(backend, name, record)
    return Report("Module 1 is ready: the website bucket with the site", links.for_browser(values))


def where_next(backend: Backend, bucket: str, record: dict[str, Any]) -> tuple[str, str]:
    """Where the learner is in the workshop, read from what exists, and the notebook to open
    next: a second `make workshop` picks up there, not at notebook 01."""
    pool, client = record.get("user_pool_id"), record.get("app_client_id")
    if not pool:
        return "module 1 is ready", (
            "open notebooks/01_create_user_pool.ipynb (or `wildrydes up` to skip ahead)"
        )
    if not client:
        return "the user pool exists (notebook 01)", "open notebooks/02_add_app_client.ipynb"
    config = website.read_config_js(backend.client("s3"), bucket)
    if config is None or config.user_pool_id != pool or config.client_id != client:
        return (
            "the user pool and app client exist (notebooks 01-02)",
            "open notebooks/03_update_config_js.ipynb",
        )
    if kept_session.kept_any(backend.state_key, pool, client):
        return (
            "signed in with SRP, the session kept (notebook 05)",
            "open notebooks/06_decode_the_auth_token.ipynb, then 07 and 08",
        )
    users = backend.client("cognito-idp").list_users(UserPoolId=pool, Limit=1).get("Users")
    if users:
        return (
            "a rider is registered (notebook 04)",
            "open notebooks/05_sign_in_with_srp.ipynb",
        )
    return (
        "config.js names your pool and app client (notebook 03)",
        "open notebooks/04_register_and_verify.ipynb",
    )


def site_config_for(
    backend: Backend, pool_id: str, client_id: str, invoke_url: str = ""
) -> website.SiteConfig:
    if backend.kind == "local":
        # Relative to the page, which the backend serves at /<bucket>/<page>: the same config.js
        # then works at 127.0.0.1:<port> and through Jupyter's proxy on a hub.
        return website.SiteConfig(
            user_pool_id=pool_id,
            client_id=client_id,
            region=backend.region,
            endpoint=website.LOCAL_SITE_ENDPOINT,
            invoke_url=invoke_url,
            mailbox_url=website.LOCAL_SITE_MAILBOX,
        )
    cognito = backend.service_url("cognito-idp")  # None: the SDK's default, AWS itself
    return website.SiteConfig(
        user_pool_id=pool_id,
        client_id=client_id,
        region=backend.region,
        endpoint=f"{cognito}/" if cognito else None,
        invoke_url=invoke_url,
    )


def update_config_js(
    backend: Backend, bucket: str, pool_id: str, client_id: str
) -> website.SiteConfig:
    """Write js/config.js (keeping api.invokeUrl), then read it back.

    On the embedded backend it is read through the website URL, as a browser gets it, before
    and after (when it is already right, nothing is written). On aws it is read back with the
    learner's credentials: the bucket may well be private (a site hosted by Amplify Console, a
    bucket with Block Public Access on, as every new bucket is), and an anonymous read of it
    would fail although config.js is there.
    """
    s3 = backend.client("s3")
    if backend.kind == "local":
        # What a browser gets first: when it is already right, that read is the only call.
        # (Not readable there, it is read from the bucket below and written again.)
        with contextlib.suppress(ResourceError):
            served = website.fetch_config_js(website.website_url(backend, bucket))
            if served == site_config_for(backend, pool_id, client_id, served.invoke_url):
                return served
    existing = website.read_config_js(s3, bucket) or website.SiteConfig()
    wanted = site_config_for(backend, pool_id, client_id, existing.invoke_url)
    if existing != wanted:
        website.put_config_js(s3, bucket, wanted)
    seen: website.SiteConfig | None
    if backend.kind == "local":
        seen = website.fetch_config_js(website.website_url(backend, bucket))
    else:
        seen = website.read_config_js(s3, bucket)
    if seen is None:
        raise ResourceError(
            f"config.js was written to bucket {bucket} but cannot be read back "
            f"(s3://{bucket}/{website.CONFIG_KEY}: AccessDenied or missing). Allow s3:GetObject "
            f"on arn:aws:s3:::{bucket}/* (docs/iam-policy.json), then run `wildrydes up` again."
        )
    if seen != wanted:
        raise ResourceError(
            f"config.js in bucket {bucket} reads back as {seen.as_js_object()} instead of "
            f"{wanted.as_js_object()}. A CDN or proxy may be caching it; wait a minute and run "
            "`wildrydes up` again."
        )
    return wanted


def up(kind: str | None = None, *, bucket: str | None = None, region: str | None = None) -> Report:
    """Bucket (module 1), user pool, app client and config.js, each made once.

    A damaged state file is kept aside and rebuilt from what the kit finds by its tags."""
    aside = state.set_aside_if_damaged()
    if aside is not None:
        print(
            f"wildrydes: the kit's state file was damaged; kept it as {aside} and rebuilt it "
            "from the user pool and app client the kit finds by their name and tag.",
            file=sys.stderr,
        )
    backend = connect(kind, region)
    record = state.load(backend.state_key)
    if (
        backend.kind == "aws"
        and record.get("site_url")
        and not (bucket or os.environ.get("WILDRYDES_BUCKET"))
    ):
        return website_bucket.up_hosted_elsewhere(
            backend, record, lambda pool_id, client_id: site_config_for(backend, pool_id, client_id)
        )
    bucket, created_bucket = prepare_bucket(backend, bucket)
    cognito = backend.client("cognito-idp")
    # Each resource is recorded the moment it exists, so a failure at any later step leaves
    # `down` able to remove it and a rerun of `up` carries on with it. The pool is also tagged
    # (found again by name and tag should the record be lost between its creation and here);
    # the app client, which Cognito cannot tag, is found by name inside that pool.
    pool = userpool.create_user_pool(cognito, record.get("user_pool_id"))
    state.update(backend.state_key, user_pool_id=pool.id, user_pool_arn=pool.arn)
    client = userpool.create_app_client(cognito, pool.id)
    state.update(backend.state_key, app_client_id=client.id)
    update_config_js(backend, bucket, pool.id, client.id)
    values = _summary(backend, bucket, pool.id, pool.arn, client.id)
    state.save(
        backend.state_key,
        {**values, "created_bucket": created_bucket or record.get("created_bucket", False)},
    )
    return Report("Module 2 is up", links.for_browser(values))


def _summary(
    backend: Backend, bucket: str, pool_id: str | None, pool_arn: str | None, client_id: str | None
) -> dict[str, Any]:
    values = {
        "backend": backend.kind,
        "region": backend.region,
        "endpoint_url": backend.endpoint_url,
        "bucket": bucket,
        "website_url": website.website_url(backend, bucket) + "index.html",
        "user_pool_id": pool_id,
        "user_pool_arn": pool_arn,
        "app_client_id": client_id,
    }
    if backend.kind == "local":
        values["mailbox_url"] = f"{backend.endpoint_url}/_wildrydes/mailbox"
    else:
        values.pop("endpoint_url")
    return values


def status(kind: str | None = None, *, region: str | None = None) -> Report:
    """What exists, and whether each piece checks out."""
    backend = connect(kind, region, start=False)
    record = state.load(backend.state_key)
    bucket = record.get("bucket") or choose_bucket(backend, None)
    cognito, s3 = backend.client("cognito-idp"), backend.client("s3")
    pool = userpool.find_kit_pool(cognito, record.get("user_pool_id"))
    checks = [userpool.pool_check(pool, "missing")]
    client = None
    if pool:
        client = userpool.find_kit_client(cognito, pool["Id"], record.get("app_client_id"))
    checks.append(userpool.app_client_check(client, "missing"))
    checks.append(_config_js_check(backend, s3, bucket, pool, client))
    values = _summary(
        backend,
        bucket,
        pool["Id"] if pool else None,
        pool["Arn"] if pool else None,
        client["ClientId"] if client else None,
    )
    return Report("Module 2 status", links.for_browser(values), checks)


def down(kind: str | None = None, *, region: str | None = None) -> Report:
    """Remove what ``up`` made: app client, user pool, config.js back to unconfigured (and the
    ride API ``wildrydes api up`` built on AWS, whose authorizer names the pool)."""
    backend = connect(kind, region, start=False)
    record = state.load(backend.state_key)
    cognito, s3 = backend.client("cognito-idp"), backend.client("s3")
    removed: dict[str, Any] = {"backend": backend.kind, "region": backend.region}
    pool_id, client_id = record.get("user_pool_id"), record.get("app_client_id")
    if not pool_id:
        # An `up` cut short between CreateUserPool and the state file: the pool is found by
        # its name and the kit's tag, the way `up` would find it again.
        found = userpool.find_kit_pool(cognito)
        pool_id = found["Id"] if found else None
    if pool_id and client_id and userpool.describe_pool(cognito, pool_id):
        try:
            cognito.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
            removed["app_client_id"] = client_id
        except cognito.exceptions.ResourceNotFoundException:
            pass
    if pool_id and userpool.delete_user_pool(cognito, pool_id):
        removed["user_pool_id"] = pool_id
    bucket = record.get("bucket")
    if bucket:
        try:
            existing = website.read_config_js(s3, bucket)
        except botocore.exceptions.ClientError:  # the bucket is gone: nothing to reset in it
            existing = None
            removed["config_js"] = f"bucket {bucket} is gone, so there is no config.js to reset"
        if existing is not None:
            website.put_config_js(s3, bucket, website.SiteConfig(invoke_url=existing.invoke_url))
            removed["config_js"] = f"s3://{bucket}/{website.CONFIG_KEY} reset to unconfigured"
    if record.get("api_id"):  # module 3's ride API on AWS, made by `wildrydes api up`
        removed.update(api_gateway.remove(backend, record))
    keep: dict[str, Any] = {k: record[k] for k in ("bucket", "created_bucket") if k in record}
    state.save(backend.state_key, keep)
    if kept_session.forget(state_key=backend.state_key):
        removed["kept_session"] = "signed out of the notebooks (the kept session is forgotten)"
    return Report("Module 2 is down", removed)


def _config_js_check(
    backend: Backend,
    s3: Any,
    bucket: str,
    pool: dict[str, Any] | None,
    client: dict[str, Any] | None,
) -> Check:
    try:
        config = website.read_config_js(s3, bucket)
    except Exception as e:  # noqa: BLE001 - any failure is a failed check, shown as such
        if messages.client_error_parts(e)[0] == "NoSuchBucket":
            return Check(
                "config.js",
                False,
                f"bucket {bucket} is missing",
                "`wildrydes module1` (or notebook 00) makes it, `wildrydes up` makes everything",
            )
        return Check("config.js", False, f"cannot read it from bucket {bucket}: {e}")
    if not (pool and client):
        return Check(
            "config.js",
            False,
            "waits for the user pool and app client",
            "once they exist, notebook 03 (or `wildrydes up`) writes it",
        )
    if config is None:
        return Check("config.js", False, f"not in bucket {bucket}", "run `wildrydes up`")
    expected = (
        site_config_for(backend, pool["Id"], client["ClientId"], config.invoke_url)
        if pool and client
        else None
    )
    if expected is None or config != expected:
        return Check(
            "config.js",
            False,
            "does not match the pool and client",
            "run `wildrydes up` (or notebook 03)",
        )
    return Check("config.js", True, "matches the pool, client and region")
