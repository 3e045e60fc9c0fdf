"""Which AWS the kit talks to, and the boto3 clients for it (traced, ready to use).

``local`` (the default) is the embedded backend on 127.0.0.1, started on first use;
``aws`` is real AWS through boto3's standard credential chain and region.

The clients are botocore's, which boto3's clients are too: the kit makes them from a botocore
session and so skips ``import boto3`` (it brings s3transfer) and the resource data boto3's
session adds to every client's lookup, about 30 ms of every command (issue 23's profile).

On ``aws``, boto3's own endpoint settings (``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_S3``,
``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``, ``endpoint_url`` in ~/.aws/config) point the
kit at an AWS-compatible endpoint instead; the kit then takes the URLs it shows and writes
(the website, config.js's Cognito endpoint, the JWKS) from that endpoint, and starts nothing.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import botocore.exceptions
import botocore.session
from botocore.config import Config

from wildrydes.errors import ConfigurationError, ResourceError
from wildrydes.local import credentials, head_start, process
from wildrydes.region import RegionChoice, resolve_region
from wildrydes.state import kit_home
from wildrydes.trace import TRACE

__all__ = [
    "LOCAL_REGION",
    "Backend",
    "Listener",
    "check_region",
    "collector_paused",
    "connect",
    "is_aws_endpoint",
    "local_backend",
    "pages",
    "prepare_local_clients",
    "resolve_aws_region",
]

LOCAL_REGION = "us-east-1"
_CLIENTS: dict[tuple[int, str, str, str | None], tuple[Any, Any]] = {}
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")
# Hosts of AWS's own endpoints (commercial, China, dual-stack); any other host is an endpoint
# someone configured: an emulator, a proxy, the embedded backend run as a "remote".
_AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """A step without the cyclic garbage collector (left as it was found, after).

    Making a client parses botocore's service model and endpoint rules from JSON, tens of
    thousands of objects that live as long as the client; the collector makes pass after pass
    over them for nothing: 20-25 ms of every command, more in a kernel that holds many objects
    (issue 23's profile). Reference counting still frees what is dropped meanwhile. The command
    line runs a whole command this way; ``local serve``, which lives long, turns it back on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def pages(
    call: Callable[..., dict[str, Any]], token: tuple[str, str], **request: Any
) -> Iterator[dict[str, Any]]:
    """Every page of a list ``call``: ``token`` names the answer's continuation token and the
    request's (``("NextToken", "NextToken")``, S3's ``("NextContinuationToken",
    "ContinuationToken")``). botocore's paginators do the same after loading their own model
    (a walk of botocore's ~400 service folders to find it: ~10 ms of a command whose lists
    are one page; issue 23)."""
    answer_key, request_key = token
    while True:
        page = call(**request)
        yield page
        following = page.get(answer_key)
        if not following:
            return
        if following == request.get(request_key):
            # As botocore's paginators refuse it: a service that hands back the token it was
            # given would be listed forever.
            name = getattr(call, "__name__", "a list call")
            raise ResourceError(
                f"{name} answered the same {answer_key} twice, so its list never ends. The "
                "endpoint is not behaving as AWS does: check the backend it points at "
                "(`wildrydes status`)."
            )
        request[request_key] = following


def is_aws_endpoint(url: str) -> bool:
    """Whether ``url`` is one of AWS's own endpoints."""
    return (urlsplit(url).hostname or "").endswith(_AWS_HOST_SUFFIXES)


@dataclass(frozen=True)
class Backend:
    """Where the kit's AWS calls go."""

    kind: str  # "local" or "aws"
    region: str
    endpoint_url: str | None = None
    session: Any = None  # a botocore session (a boto3 one, as tests pass, works too)

    @property
    def state_key(self) -> str:
        return "local" if self.kind == "local" else f"aws:{self.region}"

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` whose calls land in the API-call trace (cached)."""
        key = (id(self.session), service, self.region, self.endpoint_url)
        if key not in _CLIENTS:
            # The session is kept with its client, so its id is never reused for another.
            _CLIENTS[key] = (self.session, self._new_client(service))
        return _CLIENTS[key][1]

    def listen(self, event: str, handler: Callable[..., Any]) -> Listener:
        """Call ``handler`` on botocore ``event`` for every client of this backend's session.

        Clients the kit already made (it caches them) and clients made later both hear it.
        The returned :class:`Listener` stops listening with ``stop()``, or as a ``with`` block.
        """
        emitters = [_core(self.session).get_component("event_emitter")] + [
            client.meta.events for session, client in _CLIENTS.values() if session is self.session
        ]
        return Listener(event, handler, emitters).start()

    def service_url(self, service: str) -> str | None:
        """Where calls to ``service`` go when it is not AWS itself (no trailing ``/``), else None.

        The embedded backend's URL on ``local``; on ``aws``, the endpoint boto3 resolved from
        ``AWS_ENDPOINT_URL`` and its per-service forms, or None for AWS's own endpoint.
        """
        if self.kind == "local":
            return self.endpoint_url
        url = self.client(service).meta.endpoint_url
        return None if is_aws_endpoint(url) else url.rstrip("/")

    def _new_client(self, service: str) -> Any:
        with collector_paused():
            client = self._make_client(service, path_style=self.kind == "local")
            if (
                service == "s3"
                and not is_aws_endpoint(client.meta.endpoint_url)
                and self.kind == "aws"
            ):
                # Emulators answer path-style requests; bucket.<ip> or bucket.localhost names
                # seldom resolve or pass their Host checks.
                client = self._make_client(service, path_style=True)
        for event, handler in TRACE.hooks():
            Listener(event, handler, [client.meta.events]).start()
        return client

    def _make_client(self, service: str, *, path_style: bool) -> Any:
        config = Config(
            retries={"max_attempts": 2, "mode": "standard"},
            s3={"addressing_style": "path"} if path_style else None,
        )
        return _core(self.session).create_client(
            service, region_name=self.region, endpoint_url=self.endpoint_url, config=config
        )

    def __str__(self) -> str:
        url = self.endpoint_url or (self.service_url("cognito-idp") if self.kind == "aws" else None)
        where = f" at {url}" if url else ""
        return f"{self.kind} backend, region {self.region}{where}"


def _core(session: Any) -> Any:
    """The botocore session behind ``session`` (itself, or a boto3 session's)."""
    return session if isinstance(session, botocore.session.Session) else session._session


class Listener:
    """A handler registered on botocore events, taken off again by ``stop()``."""

    def __init__(self, event: str, handler: Callable[..., Any], emitters: list[Any]) -> None:
        self.event, self.handler, self._emitters = event, handler, emitters
        self._id = f"wildrydes-listener-{uuid.uuid4().hex}"

    def start(self) -> Listener:
        for events in self._emitters:
            events.register(self.event, self.handler, unique_id=self._id)
        return self

    def stop(self) -> None:
        for events in self._emitters:
            events.unregister(self.event, unique_id=self._id)
        self._emitters = []

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def local_backend(endpoint_url: str, region: str = LOCAL_REGION) -> Backend:
    """The embedded backend at ``endpoint_url``, signed with the kit home's key (starts nothing)."""
    return Backend("local", check_region(region), endpoint_url, _session("local"))


def _session_key(kind: str) -> tuple[str | None, ...]:
    if kind == "local":
        return ("local", str(kit_home()))
    # Everything boto3 reads once, when the session and its clients are made: a change of any
    # (another endpoint, profile, key or config file in the same kernel) gets a new session.
    return ("aws", *(os.environ.get(name) for name in _AWS_SESSION_VARIABLES))


_AWS_SESSION_VARIABLES = (
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
)


_SESSIONS: dict[tuple[str | None, ...], Any] = {}


def _session(kind: str) -> Any:
    """One boto3 session per backend and identity, so clients can be reused."""
    key = _session_key(kind)
    if key not in _SESSIONS:
        if kind == "local":
            # The kit home's own key: the embedded backend refuses IAM-only calls without it.
            kit = credentials.load()
            session = botocore.session.Session()
            session.set_credentials(kit.access_key_id, kit.secret_access_key)
            _SESSIONS[key] = session
        else:
            _SESSIONS[key] = botocore.session.Session()
    return _SESSIONS[key]


def check_region(region: str) -> str:
    if not _REGION.match(region or ""):
        raise ConfigurationError(
            f"{region!r} is not an AWS region name. Use one like us-east-1 or eu-west-2 "
            "(set AWS_REGION or pass --region)."
        )
    return region


def connect(kind: str | None = None, region: str | None = None, *, start: bool = True) -> Backend:
    """The backend to use: ``kind`` or $WILDRYDES_BACKEND, default ``local``."""
    kind = (kind or os.environ.get("WILDRYDES_BACKEND") or "local").strip().lower()
    if kind == "local":
        return _local(region, start=start)
    if kind == "aws":
        return _aws(region)
    raise ConfigurationError(
        f"Unknown backend {kind!r}. Set WILDRYDES_BACKEND to 'local' (the embedded AWS on "
        "this machine) or 'aws' (your AWS account)."
    )


def _local(region: str | None, *, start: bool) -> Backend:
    # A start the command line began before its imports (local.head_start): the clients are
    # made while it finishes, as a start begun here would make them.
    head_start.port_and_wait(lambda port: _prepare(port, region))
    running = process.status()
    if running is None:
        if not start:
            raise ConfigurationError(
                "The embedded backend is not running. Start it with `wildrydes local start` "
                "(or run any notebook, which starts it)."
            )
        running = process.start(meanwhile=lambda port: _prepare(port, region))
    return local_backend(running.url, region or LOCAL_REGION)


def prepare_local_clients() -> None:
    """The embedded backend's Cognito and S3 clients, made ahead if it runs (nothing is
    called, nothing started): the batch's kernels, started while the previous notebook runs,
    do this with their imports."""
    running = process.status()
    if running is not None and (os.environ.get("WILDRYDES_BACKEND") or "local") == "local":
        _prepare(running.port, None)


def _prepare(port: int, region: str | None) -> None:
    """While a new backend starts: the clients every step uses, made (and kept) ahead.

    Only a head start: anything wrong here (a bad region) shows again, with its own message,
    when the step makes the same client.
    """
    try:
        backend = local_backend(f"http://{process.HOST}:{port}", region or LOCAL_REGION)
        for service in ("cognito-idp", "s3"):
            backend.client(service)
    except Exception:  # noqa: BLE001, S110 - see the docstring: the step itself reports it
        pass


def _profile_region(session: Any) -> str | None:
    """``region`` in the active profile of ~/.aws/config, ignoring AWS_DEFAULT_REGION."""
    try:
        value = _core(session).get_scoped_config().get("region")
    except botocore.exceptions.BotoCoreError:  # e.g. AWS_PROFILE names no profile
        return None
    return str(value) if value else None


def resolve_aws_region(region: str | None, session: Any = None) -> RegionChoice:
    """The aws backend's region: ``region`` (--region), AWS_REGION, AWS_DEFAULT_REGION, then
    the profile's (:mod:`wildrydes.region` cites the order)."""
    session = session if session is not None else _session("aws")
    return resolve_region(region, os.environ, lambda: _profile_region(session))


_NOTICES_SHOWN: set[str] = set()


def _aws(region: str | None) -> Backend:
    session = _session("aws")
    choice = resolve_aws_region(region, session)
    if not choice.region:
        raise ConfigurationError(
            "No AWS region is set for the aws backend. Set AWS_REGION (e.g. "
            "`export AWS_REGION=us-east-1`), configure one with `aws configure`, or pass "
            "--region."
        )
    region = check_region(choice.region)
    notice = choice.notice
    if notice and notice not in _NOTICES_SHOWN:
        _NOTICES_SHOWN.add(notice)
        print(notice, file=sys.stderr)
    try:
        credentials = session.get_credentials()
    except botocore.exceptions.BotoCoreError as e:
        raise ConfigurationError(f"AWS credentials could not be loaded: {e}") from e
    if credentials is None:
        raise ConfigurationError(
            "No AWS credentials found for the aws backend. Set AWS_PROFILE to a configured "
            "profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run "
            "`aws configure`. To work without an AWS account, use the local backend "
            "(WILDRYDES_BACKEND=local)."
        )
    return Backend("aws", region, None, session)
