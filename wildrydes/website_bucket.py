"""Module 1 on AWS: the website bucket made the way module 1 made it, or an existing one adopted.

Module 1 of Wild Rydes hosted the site in an S3 bucket with static website hosting and a
bucket policy letting anyone read its objects. Buckets made since April 2023 block public
access and disable ACLs by default (S3 User Guide, "Blocking public access to your Amazon S3
storage": new buckets have all four Block Public Access settings on), so the public-read policy
is refused until Block Public Access is turned off for that bucket; the kit does exactly that,
for that bucket only (never the account's settings), after saying so. S3 website endpoints
speak HTTP only (S3 User Guide, "Website endpoints"). The bucket is tagged with the kit's tag
and recorded the moment it exists; a bucket that was already there is adopted (its site
updated) and never deleted by the kit.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import botocore.exceptions

from wildrydes import state, userpool, website
from wildrydes.backend import Backend
from wildrydes.verdicts import Report

__all__ = [
    "BUCKET_TAG",
    "HTTP_ONLY",
    "PUBLIC_ACCESS_NOTICE",
    "WebsiteBucket",
    "create_or_adopt",
    "hosted_elsewhere",
    "module1_on_aws",
    "up_hosted_elsewhere",
]

BUCKET_TAG = {"Key": "wildrydes:kit", "Value": "module-1"}
# "Amazon S3 website endpoints do not support HTTPS" (S3 User Guide, "Website endpoints").
HTTP_ONLY = (
    "the website URL is HTTP only: S3 website endpoints do not speak HTTPS (put CloudFront "
    "or Amplify Console in front for HTTPS)"
)
PUBLIC_ACCESS_NOTICE = (
    "wildrydes: turning Block Public Access OFF for bucket {bucket} only (not for your "
    "account), so its bucket policy can let anyone on the internet read the website's files, "
    "as module 1 of the workshop does. Put nothing private in this bucket."
)


@dataclass(frozen=True)
class WebsiteBucket:
    name: str
    created: bool
    uploaded: int


def _exists(s3: Any, bucket: str) -> bool:
    try:
        s3.head_bucket(Bucket=bucket)
        return True
    except botocore.exceptions.ClientError as e:
        if str(e.response.get("Error", {}).get("Code", "")) in ("404", "NoSuchBucket", "NotFound"):
            return False
        raise


def _create(backend: Backend, s3: Any, bucket: str, record: Callable[[str, bool], None]) -> None:
    params: dict[str, Any] = {"Bucket": bucket}
    if backend.region != "us-east-1":  # CreateBucket: us-east-1 takes no LocationConstraint
        params["CreateBucketConfiguration"] = {"LocationConstraint": backend.region}
    s3.create_bucket(**params)
    record(bucket, True)  # the moment it exists: a later failure leaves it known
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [dict(BUCKET_TAG)]})


def _make_public_website(s3: Any, bucket: str) -> None:
    print(PUBLIC_ACCESS_NOTICE.format(bucket=bucket), file=sys.stderr)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": False,
            "IgnorePublicAcls": False,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    s3.put_bucket_policy(Bucket=bucket, Policy=website.public_read_policy(bucket))
    s3.put_bucket_website(
        Bucket=bucket, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}}
    )


def create_or_adopt(
    backend: Backend, s3: Any, bucket: str, record: Callable[[str, bool], None]
) -> WebsiteBucket:
    """The website bucket on aws, with the site; ``record(name, created)`` once it exists.

    A new bucket is made as module 1 made it; an existing one is checked (region, write access)
    and adopted: the site's files are brought up to date, its settings left as they are.
    """
    created = not _exists(s3, bucket)
    if created:
        _create(backend, s3, bucket, record)
        _make_public_website(s3, bucket)
    else:
        website.check_bucket(backend, s3, bucket)
        record(bucket, False)
    upload = website.upload_site(s3, bucket)
    return WebsiteBucket(bucket, created, len(upload.keys))


def module1_on_aws(backend: Backend, name: str) -> str:
    """``wildrydes module1`` on aws: create or adopt bucket ``name``, recorded in the state
    file the moment it exists; returns what was done, in words."""

    def record(made: str, created: bool) -> None:
        before = state.load(backend.state_key)
        kept = before.get("bucket") == made and bool(before.get("created_bucket"))
        state.update(backend.state_key, bucket=made, created_bucket=created or kept)

    made = create_or_adopt(backend, backend.client("s3"), name, record)
    how = (
        "created now, Block Public Access off for this bucket only"
        if made.created
        else "adopted: it was there already, and the kit never deletes it"
    )
    return f"{name} ({how}; {made.uploaded} file(s) uploaded)"


def hosted_elsewhere(backend: Backend, site_url: str) -> Report:
    """``wildrydes module1 --site-url``: a site hosted elsewhere (Amplify Console), no bucket."""
    state.update(backend.state_key, site_url=site_url.rstrip("/") + "/")
    return Report(
        "Module 1 is hosted elsewhere",
        {
            "backend": backend.kind,
            "region": backend.region,
            "website_url": site_url,
            "next": "`wildrydes up` makes the pool and app client and prints the config.js "
            "to commit as js/config.js in your site's repository",
        },
    )


def up_hosted_elsewhere(
    backend: Backend,
    record: dict[str, Any],
    site_config: Callable[[str, str], website.SiteConfig],
) -> Report:
    """``up`` for a site hosted elsewhere: pool and client (each recorded as it exists), then
    the config.js to commit; ``site_config(pool_id, client_id)`` is what it holds."""
    cognito = backend.client("cognito-idp")
    pool = userpool.create_user_pool(cognito, record.get("user_pool_id"))
    state.update(backend.state_key, user_pool_id=pool.id, user_pool_arn=pool.arn)
    client = userpool.create_app_client(cognito, pool.id)
    state.update(backend.state_key, app_client_id=client.id)
    values = {
        "backend": backend.kind,
        "region": backend.region,
        "website_url": record["site_url"],
        "user_pool_id": pool.id,
        "user_pool_arn": pool.arn,
        "app_client_id": client.id,
        "config_js": website.render_config_js(site_config(pool.id, client.id)),
        "next": "commit config_js as js/config.js in your site's repository and push: "
        "Amplify Console publishes it",
    }
    return Report("Module 2 is up (site hosted elsewhere)", values)
