"""The kit home's own access key for the embedded backend, and signing with it.

Real AWS admits IAM-only operations (S3 writes, Cognito's admin and management calls) only
with a SigV4 signature made from a secret the caller holds. The embedded backend does the
same: each kit home gets a random access key and secret in ``credentials.json`` (mode 0600),
which the backend loads at start and the kit's boto3 clients sign with. A web page in the
learner's browser never has them.
"""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from wildrydes.errors import ConfigurationError
from wildrydes.home import create_private, kit_home

__all__ = ["KitCredentials", "credentials_path", "load", "sign_request"]

FILE_NAME = "credentials.json"
# The service name the kit's own routes (/_wildrydes/...) are signed for.
KIT_SERVICE = "wildrydes"


@dataclass(frozen=True)
class KitCredentials:
    access_key_id: str
    secret_access_key: str

    def boto3_kwargs(self) -> dict[str, str]:
        return {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
        }

    def __repr__(self) -> str:  # never print the secret
        return f"KitCredentials(access_key_id={self.access_key_id!r})"


def credentials_path(home: Path | None = None) -> Path:
    return (home or kit_home()) / FILE_NAME


def _new() -> KitCredentials:
    # AWS's shape: 20 upper-case characters starting "AKIA"; the secret is 40 characters.
    alphabet = string.ascii_uppercase + string.digits
    key = "AKIA" + "".join(secrets.choice(alphabet) for _ in range(16))
    return KitCredentials(key, secrets.token_urlsafe(30)[:40])


def load(home: Path | None = None) -> KitCredentials:
    """The kit home's key, made on first use (atomically, so racing starts agree)."""
    path = credentials_path(home)
    try:
        text = path.read_text()
    except FileNotFoundError:
        made = _new()
        record = {
            "aws_access_key_id": made.access_key_id,
            "aws_secret_access_key": made.secret_access_key,
        }
        try:
            if create_private(path, json.dumps(record)):
                return made
            text = path.read_text()  # another process made it a moment ago
        except OSError as e:
            raise ConfigurationError(
                f"Cannot write the local access key {path}: {e.strerror}. Make the kit home "
                "writable (or point WILDRYDES_HOME at a writable folder), and free some disk "
                "space."
            ) from e
    except OSError as e:
        raise _damaged(path) from e
    try:
        record = json.loads(text)
        return KitCredentials(
            str(record["aws_access_key_id"]), str(record["aws_secret_access_key"])
        )
    except (ValueError, KeyError, TypeError) as e:
        raise _damaged(path) from e


def _damaged(path: Path) -> ConfigurationError:
    return ConfigurationError(
        f"The local access key file {path} is unreadable or damaged. Stop the backend "
        "(`wildrydes local stop`), delete that file, and start again: a new key is made."
    )


def sign_request(
    method: str,
    url: str,
    body: bytes = b"",
    *,
    credentials: KitCredentials | None = None,
    region: str = "us-east-1",
    service: str = KIT_SERVICE,
    headers: dict[str, str] | None = None,
) -> dict[str, str]:
    """Headers that sign ``method url`` with the kit's key (for the kit's own routes)."""
    # botocore's signer (~45 ms to import) is for signing only: `load` runs in `up`'s head
    # start (local.head_start), before the command has imported botocore.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    creds = credentials or load()
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    SigV4Auth(Credentials(creds.access_key_id, creds.secret_access_key), service, region).add_auth(
        request
    )
    return dict(request.headers.items())
