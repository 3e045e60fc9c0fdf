"""The backend answers as soon as it listens; the website bucket moto forgot is made again
behind it, and S3 requests from others wait for that.

The restore's own requests are answered in the backend's process by its WSGI app
(wildrydes.local.in_process): through the same doors (a wrong key is still refused), without a
socket or a worker thread, which waiting requests may hold.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import boto3
import botocore.exceptions
import pytest
from werkzeug.test import Client

from wildrydes.local import credentials as kit_credentials
from wildrydes.local.server import EmbeddedBackend

PORT = 4590  # the Host name the app expects; no socket is opened


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("WILDRYDES_HOME", str(tmp_path / "home"))
    backend = EmbeddedBackend(port=PORT)
    yield backend
    backend.cognito.close()


def _s3(app, secret: str | None = None):
    keys = kit_credentials.load()
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url=f"http://127.0.0.1:{PORT}",
        aws_access_key_id=keys.access_key_id,
        aws_secret_access_key=secret or keys.secret_access_key,
        config=botocore.config.Config(s3={"addressing_style": "path"}),
    )
    client.meta.events.register("before-send.s3", app.send_in_process)
    return client


def test_the_restores_requests_pass_the_same_doors_in_process(app):
    s3 = _s3(app)
    s3.create_bucket(Bucket="site")
    s3.put_object(Bucket="site", Key="js/config.js", Body=b"window._config = {};")
    assert s3.get_object(Bucket="site", Key="js/config.js")["Body"].read() == (
        b"window._config = {};"
    )
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="site")["Contents"]] == ["js/config.js"]
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        _s3(app, secret="not-the-kit-homes-secret-key-0000000000").list_objects_v2(Bucket="site")
    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_other_s3_requests_wait_for_the_restore_cognito_does_not(app):
    _s3(app).create_bucket(Bucket="site")
    app.s3_restored.clear()  # as serve() does while its start-up hook runs
    answered: list[int] = []
    browser = threading.Thread(
        target=lambda: answered.append(
            Client(app).get("/site/index.html", headers={"Host": f"127.0.0.1:{PORT}"}).status_code
        )
    )
    browser.start()
    cognito = Client(app).post(
        "/",
        headers={
            "Host": f"127.0.0.1:{PORT}",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            "Content-Type": "application/x-amz-json-1.1",
        },
        data=b"{}",
    )
    assert cognito.status_code == 400  # answered at once (a missing AuthFlow), not held
    time.sleep(0.5)
    assert answered == [] and browser.is_alive(), "an S3 request did not wait for the restore"
    _s3(app).put_object(Bucket="site", Key="index.html", Body=b"<html></html>")  # the restore
    app.s3_restored.set()
    browser.join(10)
    assert answered == [403]  # the bucket is private: S3's own answer, once restored


def test_moto_loads_at_the_first_s3_request_not_when_the_backend_is_made(tmp_path):
    """Issue 23: the backend answers before moto (~0.1 s to import) is loaded; its start-up
    hook then warms S3 in the background."""
    probe = (
        "import sys\n"
        "from wildrydes.local.server import EmbeddedBackend\n"
        "app = EmbeddedBackend(port=1)\n"
        "print(any(name == 'moto' or name.startswith('moto.') for name in sys.modules))\n"
        "app.s3.warm()\n"
        "print('moto.s3.models' in sys.modules)\n"
    )
    answer = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "WILDRYDES_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert answer.stdout.split() == ["False", "True"]
