"""An AWS-compatible "remote" for the aws backend's tests: the embedded backend, run apart.

It has its own kit home (so its own access key) and port, as an account of its own would. The
module-1 bucket is made in it the way module 1 of the workshop makes one: a bucket with
static website hosting and a public-read policy, holding the Wild Rydes site with an empty
``js/config.js``. The learner's side then runs with ``WILDRYDES_BACKEND=aws`` and
``AWS_ENDPOINT_URL`` pointing at it, exactly as it would at AWS.

Reading the remote's outbox (:meth:`Remote.latest_code`) is the harness standing in for the
person who reads the email on a real inbox; the kit's aws path never does it.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import requests

from wildrydes.local import credentials as kit_credentials
from wildrydes.local import process
from wildrydes.website import SiteConfig, render_config_js, site_files

REGION = "us-east-1"


environment = process.environment


@dataclass(frozen=True)
class Remote:
    url: str
    home: Path
    bucket: str
    credentials: kit_credentials.KitCredentials
    region: str = REGION

    def learner_environment(self, learner_home: Path) -> dict[str, str | None]:
        """What a learner pointing the kit at this endpoint sets (nothing about the remote's
        home: its access key comes in as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)."""
        return {
            "WILDRYDES_BACKEND": "aws",
            "WILDRYDES_HOME": str(learner_home),
            "WILDRYDES_BUCKET": self.bucket,
            "WILDRYDES_LOCAL_PORT": None,
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": self.credentials.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.credentials.secret_access_key,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_PROFILE": None,
            "AWS_SESSION_TOKEN": None,
        }

    def s3(self):
        return boto3.client(
            "s3", endpoint_url=self.url, region_name=self.region, **self.credentials.boto3_kwargs()
        )

    def outbox(self) -> list[dict]:
        url = f"{self.url}/_wildrydes/outbox"
        headers = kit_credentials.sign_request("GET", url, credentials=self.credentials)
        response = requests.get(url, headers=headers, timeout=10)
        response.raise_for_status()
        return response.json()

    def latest_code(self, email: str) -> str:
        """The newest code sent to ``email``: what a person would type from the inbox."""
        for message in reversed(self.outbox()):
            if message["to"].lower() == email.lower():
                return message["code"]
        raise AssertionError(f"no message to {email} in the remote's outbox")


def _public_read(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicReadForWebsite",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


def make_module1_bucket(remote: Remote) -> None:
    """Module 1's steps: bucket, website hosting, public read, the site with its config.js."""
    s3 = remote.s3()
    s3.create_bucket(Bucket=remote.bucket)
    s3.put_bucket_website(
        Bucket=remote.bucket, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}}
    )
    s3.put_bucket_policy(Bucket=remote.bucket, Policy=_public_read(remote.bucket))
    for key, path in site_files().items():
        kind = (
            "application/javascript"
            if key.endswith(".js")
            else (mimetypes.guess_type(key)[0] or "application/octet-stream")
        )
        s3.put_object(Bucket=remote.bucket, Key=key, Body=path.read_bytes(), ContentType=kind)
    s3.put_object(
        Bucket=remote.bucket,
        Key="js/config.js",
        Body=render_config_js(SiteConfig()).encode(),
        ContentType="application/javascript",
    )


@contextlib.contextmanager
def started_remote(home: Path) -> Iterator[Remote]:
    """The remote, running with its module-1 bucket, for the length of the block."""
    with process.private_backend(home, set_environment=False) as private:
        remote = Remote(
            private.url,
            home,
            f"wildrydes-module1-{uuid.uuid4().hex[:8]}",
            kit_credentials.load(home),
        )
        make_module1_bucket(remote)
        yield remote


def nothing_local_for_the_learner(learner_home: Path) -> list[str]:
    """What the kit started or made locally in the learner's home (should be nothing)."""
    return [
        name
        for name in ("local.json", "credentials.json", "local.log")
        if (learner_home / name).exists()
    ]
