"""The website bucket from module 1, the site's files, and ``js/config.js``."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import botocore.exceptions

from wildrydes import iam
from wildrydes.backend import Backend, pages
from wildrydes.errors import ResourceError

__all__ = [
    "CONFIG_KEY",
    "LOCAL_SITE_ENDPOINT",
    "LOCAL_SITE_MAILBOX",
    "NOT_UPLOADED",
    "NO_CACHE",
    "SDK_KEY",
    "SDK_SOURCE",
    "WEBSITE_DIR",
    "SiteConfig",
    "Upload",
    "check_bucket",
    "ensure_local_bucket",
    "fetch_config_js",
    "parse_config_js",
    "public_read_policy",
    "put_config_js",
    "read_config_js",
    "render_config_js",
    "site_files",
    "upload_site",
    "website_url",
]

WEBSITE_DIR = Path(__file__).resolve().parent.parent / "website"
SDK_SOURCE = Path("node_modules/amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js")
SDK_KEY = "js/vendor/amazon-cognito-identity.min.js"
CONFIG_KEY = "js/config.js"
NOT_UPLOADED = {"package.json", "package-lock.json", ".gitignore", CONFIG_KEY}
NO_CACHE = "no-cache, no-store, must-revalidate"
# config.js on the embedded backend names Cognito and the mailbox relative to the page
# (served at <backend>/<bucket>/<page>), so the site works wherever the backend is reached
# from: http://127.0.0.1:<port>/, or <jupyter base_url>/wildrydes/ through Jupyter's proxy.
LOCAL_SITE_ENDPOINT = "../"
LOCAL_SITE_MAILBOX = "../_wildrydes/mailbox"
# S3 website endpoints: these regions spell it with a dash, the rest with a dot.
_DASH_REGIONS = {
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "eu-west-1",
    "sa-east-1",
    "us-gov-west-1",
}


@dataclass(frozen=True)
class SiteConfig:
    """What ``window._config`` holds."""

    user_pool_id: str = ""
    client_id: str = ""
    region: str = ""
    endpoint: str | None = None
    invoke_url: str = ""
    mailbox_url: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.user_pool_id and self.client_id and self.region)

    def as_js_object(self) -> dict[str, Any]:
        cognito = {
            "userPoolId": self.user_pool_id,
            "userPoolClientId": self.client_id,
            "region": self.region,
        }
        if self.endpoint:
            cognito["endpoint"] = self.endpoint
        config: dict[str, Any] = {"cognito": cognito, "api": {"invokeUrl": self.invoke_url}}
        if self.mailbox_url:
            config["local"] = {"mailboxUrl": self.mailbox_url}
        return config


def render_config_js(config: SiteConfig) -> str:
    """config.js as JavaScript; values are JSON-encoded, never formatted into code."""
    encoded = json.dumps(config.as_js_object(), indent=4, ensure_ascii=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        encoded = encoded.replace(char, escape)
    note = (
        "// Written by the wildrydes kit (wildrydes up / notebook 03). Values come from\n"
        "// your Cognito user pool; api.invokeUrl is kept when the kit rewrites this file.\n"
    )
    return f"{note}window._config = {encoded};\n"


_ASSIGNMENT = re.compile(r"window\._config\s*=\s*(\{.*\})\s*;?\s*$", re.S)


def _js_string(text: str, key: str) -> str:
    match = re.search(rf"\b{key}\s*:\s*(['\"])(.*?)\1", text)
    return match.group(2) if match else ""


def parse_config_js(text: str) -> SiteConfig:
    """Read config.js: the kit's JSON form, or the workshop's original hand-edited form."""
    match = _ASSIGNMENT.search(text)
    if match:
        try:
            data = json.loads(match.group(1))
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict):
            cognito, api = data.get("cognito", {}), data.get("api", {})
            return SiteConfig(
                cognito.get("userPoolId", ""),
                cognito.get("userPoolClientId", ""),
                cognito.get("region", ""),
                cognito.get("endpoint"),
                api.get("invokeUrl", ""),
                data.get("local", {}).get("mailboxUrl"),
            )
    # The original workshop's object literal: quoted values, trailing comments.
    return SiteConfig(
        _js_string(text, "userPoolId"),
        _js_string(text, "userPoolClientId"),
        _js_string(text, "region"),
        None,
        _js_string(text, "invokeUrl"),
    )


def website_url(backend: Backend, bucket: str) -> str:
    """The site's base URL (ends with ``/``)."""
    endpoint = backend.service_url("s3")
    if endpoint:  # the embedded backend, or an AWS-compatible endpoint: path-style
        return f"{endpoint}/{bucket}/"
    sep = "-" if backend.region in _DASH_REGIONS else "."
    # S3 website endpoints are plain HTTP ("Amazon S3 website endpoints do not support HTTPS":
    # S3 User Guide, "Website endpoints"); notebook 05 says what that means for SRP.
    return f"http://{bucket}.s3-website{sep}{backend.region}.amazonaws.com/"


# -- the bucket ------------------------------------------------------------------------------
def _code(error: botocore.exceptions.ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def check_bucket(backend: Backend, s3: Any, bucket: str) -> str:
    """Module 1's bucket on AWS: exists, is in the backend's region, and we can write to it."""
    try:
        s3.head_bucket(Bucket=bucket)
    except botocore.exceptions.ClientError as e:
        if _code(e) in ("404", "NoSuchBucket", "NotFound"):
            raise ResourceError(
                f"The website bucket {bucket!r} does not exist in this account. Create it in "
                "module 1 (static web hosting), or pass the name of the bucket you made "
                "there."
            ) from e
        if _code(e) in ("403", "AccessDenied", "Forbidden"):
            raise ResourceError(
                f"Access to the website bucket {bucket!r} is denied: it belongs to another "
                "account, or your credentials may not use it. Check the bucket name from "
                "module 1 and that AWS_PROFILE is that account. "
                + (iam.denied_hint(e, bucket=bucket, region=backend.region) or "")
            ) from e
        raise
    location = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint") or "us-east-1"
    if location != backend.region:
        raise ResourceError(
            f"The website bucket {bucket!r} is in {location}, but the kit works in "
            f"{backend.region}. Set AWS_REGION={location} (or pass --region {location}) so the "
            "user pool sits beside the website, as the workshop expects."
        )
    probe = f".wildrydes-write-check-{uuid.uuid4().hex}"
    try:
        s3.put_object(Bucket=bucket, Key=probe, Body=b"")
        s3.delete_object(Bucket=bucket, Key=probe)
    except botocore.exceptions.ClientError as e:
        raise ResourceError(
            f"The website bucket {bucket!r} exists but the kit cannot write to it "
            f"({_code(e)}). "
            + (
                iam.denied_hint(e, bucket=bucket, region=backend.region)
                or "Use credentials allowed to s3:PutObject on it."
            )
        ) from e
    return location


def public_read_policy(bucket: str) -> str:
    """Module 1's bucket policy: anyone may read the website's objects (and nothing else)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


def ensure_local_bucket(
    backend: Backend, s3: Any, bucket: str, website_dir: Path = WEBSITE_DIR
) -> bool:
    """On the embedded backend, make module 1's bucket and site. True if it was created.

    The listing of the bucket's files is also how a missing bucket shows (NoSuchBucket): one
    call where a HeadBucket first would be two."""
    try:
        present = _etags(s3, bucket)
        created = False
    except botocore.exceptions.ClientError as e:
        if _code(e) != "NoSuchBucket":
            raise
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))
        s3.put_bucket_website(
            Bucket=bucket, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}}
        )
        present, created = {}, True
    upload_site(s3, bucket, website_dir, present=present)
    return created


# -- the site --------------------------------------------------------------------------------
@dataclass
class Upload:
    keys: list[str] = field(default_factory=list)


_UPLOADS_AT_ONCE = 4


def _content_type(path: Path) -> str:
    if path.suffix == ".js":
        return "application/javascript"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _cache_control(key: str) -> str:
    return NO_CACHE if key.endswith(".html") or key == CONFIG_KEY else "max-age=300"


def site_files(website_dir: Path = WEBSITE_DIR) -> dict[str, Path]:
    """The files to upload, by key: the pages and assets, plus the Cognito SDK from npm."""
    files = {}
    # Walked without going into node_modules/ (hundreds of npm's files, none uploaded).
    for folder, subfolders, names in os.walk(website_dir):
        subfolders[:] = sorted(d for d in subfolders if d != "node_modules")
        for name in sorted(names):
            path = Path(folder, name)
            key = path.relative_to(website_dir).as_posix()
            if key not in NOT_UPLOADED:
                files[key] = path
    sdk = website_dir / SDK_SOURCE
    if not sdk.is_file():
        raise ResourceError(
            f"The Amazon Cognito Identity SDK is missing ({sdk}). Run `make setup` (it runs "
            "`npm ci` in website/) and try again."
        )
    files[SDK_KEY] = sdk
    return files


def _etags(s3: Any, bucket: str) -> dict[str, str]:
    etags = {}
    for page in pages(
        s3.list_objects_v2, ("NextContinuationToken", "ContinuationToken"), Bucket=bucket
    ):
        for item in page.get("Contents", []):
            etags[item["Key"]] = item["ETag"].strip('"')
    return etags


def upload_site(
    s3: Any, bucket: str, website_dir: Path = WEBSITE_DIR, *, present: dict[str, str] | None = None
) -> Upload:
    """Upload the website files that differ from the bucket's; config.js only if it has none.

    ``present``: the bucket's ETags by key, when the caller has just listed them.
    A few at a time (boto3's clients are thread-safe): a new bucket takes some thirty files.
    """
    upload = Upload()
    if present is None:
        present = _etags(s3, bucket)
    changed = []
    for key, path in site_files(website_dir).items():
        body = path.read_bytes()
        if present.get(key) != hashlib.md5(body, usedforsecurity=False).hexdigest():
            changed.append((key, path, body))

    def put(item: tuple[str, Path, bytes]) -> str:
        key, path, body = item
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType=_content_type(path),
            CacheControl=_cache_control(key),
        )
        return key

    with ThreadPoolExecutor(max_workers=_UPLOADS_AT_ONCE) as uploads:
        upload.keys.extend(uploads.map(put, changed))
    if CONFIG_KEY not in present:
        put_config_js(s3, bucket, SiteConfig())
        upload.keys.append(CONFIG_KEY)
    return upload


# -- config.js ---------------------------------------------------------------------------------
def read_config_js(s3: Any, bucket: str, *, denied_is_missing: bool = True) -> SiteConfig | None:
    """config.js as the bucket holds it, or None when there is none.

    ``denied_is_missing=False`` lets an AccessDenied through (``wildrydes check`` names the
    permission it lacks)."""
    try:
        body = s3.get_object(Bucket=bucket, Key=CONFIG_KEY)["Body"].read()
    except botocore.exceptions.ClientError as e:
        # "If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status
        # code 403 Access Denied error" for a key that does not exist (Amazon S3 API
        # Reference, GetObject, Permissions): to credentials without it, a bucket with no
        # config.js yet answers 403. A read that is really denied shows when the kit reads
        # config.js back after writing it (launch.update_config_js names s3:GetObject).
        if _code(e) in ("NoSuchKey", "404") or (
            denied_is_missing and _code(e) in ("AccessDenied", "403")
        ):
            return None
        raise
    return parse_config_js(body.decode("utf-8", errors="replace"))


def put_config_js(s3: Any, bucket: str, config: SiteConfig) -> str:
    text = render_config_js(config)
    s3.put_object(
        Bucket=bucket,
        Key=CONFIG_KEY,
        Body=text.encode(),
        ContentType="application/javascript",
        CacheControl=NO_CACHE,
    )
    return text


def fetch_config_js(base_url: str) -> SiteConfig:
    """config.js read back the way a browser gets it, through the website URL."""
    url = base_url + CONFIG_KEY
    request = urllib.request.Request(url, headers={"Cache-Control": "no-cache"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http(s) only
            text = response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as e:
        raise ResourceError(
            f"Reading {url} back answered HTTP {e.code}. Check that static website hosting "
            "and public read are on for the bucket (module 1)."
        ) from e
    except OSError as e:
        raise ResourceError(f"Could not read {url} back: {e}. Is the website reachable?") from e
    return parse_config_js(text)
