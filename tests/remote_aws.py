"""AWS-compatible "remotes" for the aws backend's tests: two engines, started apart.

``kit``: the embedded backend run as a remote, with its own kit home (so its own access key)
and port, as an account of its own would. ``moto``: moto's own server (``python -m
moto.server``), an engine the kit did not write, in a process of its own on a free port, so a
misunderstanding shared by the kit's client and the kit's backend can show. The
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
import os
import socket
import subprocess
import sys
import time
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
ENGINES = ("kit", "moto")


environment = process.environment


@dataclass(frozen=True)
class Remote:
    url: str
    home: Path
    bucket: str
    credentials: kit_credentials.KitCredentials
    region: str = REGION
    engine: str = "kit"

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
        if self.engine != "kit":
            raise AssertionError(f"the {self.engine} engine keeps no outbox the tests can read")
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def moto_server(**env: str) -> Iterator[str]:
    """moto's own server (``python -m moto.server``) on a free port, its URL for the block.

    ``env`` goes to its process only: ``INITIAL_NO_AUTH_ACTION_COUNT`` turns on its IAM
    checks, which moto reads once at import.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "WILDRYDES_"))}
    environ.update(env)
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{url}/moto-api/data.json", timeout=2)
                break
            except requests.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto's server did not start on port {port}") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextlib.contextmanager
def started_moto_remote(home: Path) -> Iterator[Remote]:
    """moto's server as the remote, with a module-1 bucket made the way module 1 makes it."""
    with moto_server() as url:
        remote = Remote(
            url,
            home,
            f"wildrydes-module1-{uuid.uuid4().hex[:8]}",
            kit_credentials.KitCredentials("AKIAMOTOENGINETESTS1", "moto-engine-secret-key"),
            engine="moto",
        )
        make_module1_bucket(remote)
        yield remote


@contextlib.contextmanager
def started(engine: str, home: Path) -> Iterator[Remote]:
    """The remote of ``engine`` (one of :data:`ENGINES`)."""
    starter = started_moto_remote if engine == "moto" else started_remote
    with starter(home) as remote:
        yield remote


def nothing_local_for_the_learner(learner_home: Path) -> list[str]:
    """What the kit started or made locally in the learner's home (should be nothing)."""
    return [
        name
        for name in ("local.json", "credentials.json", "local.log")
        if (learner_home / name).exists()
    ]
