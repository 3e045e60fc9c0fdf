"""Unit tests for wildrydes.tokens.jwks: where the keys are, and the client that fetches them."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from token_factory import (
    ISS,
    POOL,
    REGION,
    id_claims,
    mint,
    run,
)

from wildrydes import tokens
from wildrydes.errors import ConfigurationError, TokenError
from wildrydes.tokens import (
    JWKSClient,
    clear_jwks_cache,
    fetch_jwks,
    issuer,
    jwks_url,
)

# --------------------------------------------------------------------------- issuer / jwks_url


def test_issuer_is_the_aws_form():
    assert issuer(REGION, POOL) == ISS


def test_jwks_url_real_aws():
    assert jwks_url(REGION, POOL) == f"{ISS}/.well-known/jwks.json"


def test_jwks_url_local_backend_keeps_aws_issuer():
    url = jwks_url(REGION, POOL, "http://127.0.0.1:5000/")
    assert url == f"http://127.0.0.1:5000/{POOL}/.well-known/jwks.json"
    assert issuer(REGION, POOL).startswith("https://cognito-idp.eu-west-1.amazonaws.com/")


@pytest.mark.parametrize("region, pool", [("", POOL), (REGION, ""), (None, POOL)])
def test_missing_pool_settings_raise_configuration_error(region, pool):
    with pytest.raises(ConfigurationError, match="missing"):
        jwks_url(region, pool)
    with pytest.raises(ConfigurationError, match="missing"):
        issuer(region, pool)


# --------------------------------------------------------------------------- fetch_jwks


class _JwksServer:
    def __init__(self, body: bytes):
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                outer.hits.append(self.path)
                if self.path == f"/{POOL}/.well-known/jwks.json":
                    status, payload = 200, body
                elif self.path == "/notjson/.well-known/jwks.json":
                    status, payload = 200, b"<html>hello</html>"
                elif self.path == "/nokeys/.well-known/jwks.json":
                    status, payload = 200, b'{"keys": []}'
                else:
                    status, payload = 404, b'{"message": "not found"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def jwks_server(jwks):
    server = _JwksServer(json.dumps(jwks).encode())
    yield server
    server.close()


def test_fetch_jwks_from_local_backend_and_verify(jwks_server, jwks, private_key):
    url = jwks_url(REGION, POOL, jwks_server.url)
    fetched = fetch_jwks(url)
    assert fetched == jwks
    assert run(mint(private_key, id_claims()), fetched).ok is True


def test_fetch_jwks_caches_per_url(jwks_server, jwks):
    url = jwks_url(REGION, POOL, jwks_server.url)
    first = fetch_jwks(url)
    first["keys"].clear()  # callers cannot spoil the cache, neither on a miss...
    second = fetch_jwks(url)
    assert second == jwks
    second["keys"].clear()  # ...nor on a hit
    assert fetch_jwks(url) == jwks
    assert len(jwks_server.hits) == 1
    clear_jwks_cache()
    fetch_jwks(url)
    assert len(jwks_server.hits) == 2


def test_fetch_jwks_with_a_session(jwks_server, jwks):
    with requests.Session() as session:
        assert fetch_jwks(jwks_url(REGION, POOL, jwks_server.url), session=session) == jwks
    assert jwks_server.hits == [f"/{POOL}/.well-known/jwks.json"]


def test_fetch_jwks_404_names_the_url_and_next_step(jwks_server):
    url = jwks_url(REGION, "eu-west-1_Missing", jwks_server.url)
    with pytest.raises(TokenError) as info:
        fetch_jwks(url)
    message = str(info.value)
    assert url in message
    assert "HTTP 404" in message
    assert "Next step" in message
    with pytest.raises(TokenError):
        fetch_jwks(url)
    assert len(jwks_server.hits) == 2  # failures are not cached


@pytest.mark.parametrize("pool, reason", [("notjson", "not JSON"), ("nokeys", "no 'keys'")])
def test_fetch_jwks_rejects_an_answer_that_is_not_a_key_set(jwks_server, pool, reason):
    url = f"{jwks_server.url}/{pool}/.well-known/jwks.json"
    with pytest.raises(TokenError, match=reason):
        fetch_jwks(url)


def test_fetch_jwks_connection_refused_names_the_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = jwks_url(REGION, POOL, f"http://127.0.0.1:{port}")
    with pytest.raises(TokenError) as info:
        fetch_jwks(url)
    assert url in str(info.value)
    assert "ConnectionError" in str(info.value)
    assert isinstance(info.value.__cause__, requests.ConnectionError)


# --------------------------------------------------------------------------- JWKSClient


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_client_keeps_the_key_set_for_its_lifespan(jwks_server, jwks):
    clock = _Clock()
    client = JWKSClient(jwks_url(REGION, POOL, jwks_server.url), lifespan=60, clock=clock)
    assert client.get_jwks() == jwks
    clock.now += 59
    client.get_jwks()
    assert len(jwks_server.hits) == 1
    clock.now += 2  # older than the lifespan: fetched again
    client.get_jwks()
    assert len(jwks_server.hits) == 2


def test_client_refetches_once_for_an_unknown_kid(jwks_server, jwks, private_key):
    client = JWKSClient(jwks_url(REGION, POOL, jwks_server.url))
    known = mint(private_key, id_claims())
    assert client.jwks_for(known) == jwks
    assert len(jwks_server.hits) == 1
    unknown = mint(private_key, id_claims(), kid="rotated-kid")
    assert client.jwks_for(unknown) == jwks  # the server still does not know it...
    assert len(jwks_server.hits) == 2  # ...but it was asked exactly once more
    assert client.jwks_for("not-a-token") == jwks  # no kid: no refetch
    assert len(jwks_server.hits) == 2


def test_one_shared_client_per_url(jwks_server):
    url = jwks_url(REGION, POOL, jwks_server.url)
    assert tokens.jwks_client(url) is tokens.jwks_client(url)
    clear_jwks_cache()
    assert tokens.jwks_client(url).get_jwks()["keys"]
