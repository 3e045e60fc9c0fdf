"""The website in headless Chromium, against the embedded backend.

The site is the one ``wildrydes up`` uploads (``launched``), served path-style from its bucket
by the embedded backend, with the SDK doing SRP against the embedded Cognito on the same origin.
Variants of config.js live in extra buckets on the same backend (``variants``).

Chromium: ``wildrydes.notebook.screenshots.open_browser`` (Debian's /usr/bin/chromium, or
Playwright's own). Without one these tests skip, unless WILDRYDES_REQUIRE_BROWSER=1 (CI),
where they fail.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from typing import Any

import pytest
from browser_support import INVOKE_URL, PASSWORD, Site, Watched, latest_code, new_email, username
from tests_support import free_port

# ---------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    from wildrydes.errors import ConfigurationError
    from wildrydes.notebook import screenshots

    with ExitStack() as stack:
        try:
            chromium = stack.enter_context(screenshots.open_browser())
        except ConfigurationError as e:
            reason = f"install chromium (apt-get install -y chromium): {e}"
            if os.environ.get("WILDRYDES_REQUIRE_BROWSER") == "1":
                pytest.fail(reason, pytrace=False)
            pytest.skip(reason)
        yield chromium


@pytest.fixture
def make_page(browser):
    """make_page(width, height, **context_options) -> Watched; contexts close after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 800, **options: Any) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Watched(context.new_page())

    yield make
    for context in contexts:
        context.close()


# ---------------------------------------------------------------------- the site


@pytest.fixture(scope="session")
def site(launched) -> Site:
    values = launched.values
    return Site(
        base=values["website_url"].removesuffix("index.html"),
        endpoint=values["endpoint_url"],
        bucket=values["bucket"],
        region=values["region"],
        user_pool_id=values["user_pool_id"],
        client_id=values["app_client_id"],
        mailbox_url=values["mailbox_url"],
    )


@pytest.fixture(scope="session")
def backend(launched):
    from wildrydes.backend import connect

    return connect()


@pytest.fixture(scope="session")
def cognito(backend):
    return backend.client("cognito-idp")


def _variant_bucket(backend: Any, name: str, config: Any | None) -> None:
    """A public website bucket like module 1's, with the site and this config.js (or none)."""
    from wildrydes import website

    s3 = backend.client("s3")
    website.ensure_local_bucket(backend, s3, name)
    if config is None:
        s3.delete_object(Bucket=name, Key=website.CONFIG_KEY)
    else:
        website.put_config_js(s3, name, config)


@pytest.fixture(scope="session")
def variants(site, backend) -> dict[str, str]:
    """Base URLs of the same site with other config.js files, on the same backend:

    - ``unconfigured``  the config.js the kit writes before a user pool exists (empty ids)
    - ``noconfig``      no js/config.js at all
    - ``nosdk``         the real pool, but js/vendor/ without the SDK
    - ``aws``           AWS-shaped: the real pool and app client, no endpoint, api.invokeUrl set
    - ``dead``          the real pool behind an endpoint where nothing listens
    """
    from wildrydes import website
    from wildrydes.website import SiteConfig

    local = SiteConfig(
        site.user_pool_id,
        site.client_id,
        site.region,
        site.cognito_url,
        mailbox_url=site.mailbox_url,
    )
    configs = {
        "unconfigured": SiteConfig(),
        "noconfig": None,
        "nosdk": local,
        "aws": SiteConfig(site.user_pool_id, site.client_id, site.region, invoke_url=INVOKE_URL),
        "dead": SiteConfig(
            site.user_pool_id,
            site.client_id,
            site.region,
            f"http://127.0.0.1:{free_port()}/",
            mailbox_url=site.mailbox_url,
        ),
    }
    bases = {}
    for name, config in configs.items():
        bucket = f"wildrydes-browser-{name}"
        _variant_bucket(backend, bucket, config)
        bases[name] = f"{site.endpoint}/{bucket}/"
    backend.client("s3").delete_object(Bucket="wildrydes-browser-nosdk", Key=website.SDK_KEY)
    return bases


# ---------------------------------------------------------------------- riders


@pytest.fixture
def registered(site, cognito):
    """register(email=None) -> email: signed up through Cognito's API, not yet verified."""

    def register(email: str | None = None, **attributes: str) -> str:
        email = email or new_email()
        extra = [{"Name": k, "Value": v} for k, v in attributes.items()]
        cognito.sign_up(
            ClientId=site.client_id,
            Username=username(email),
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": email}, *extra],
        )
        return email

    return register


@pytest.fixture
def confirmed(site, cognito, backend, registered):
    """confirmed(email=None, **attributes) -> email: signed up, verified with the emailed code."""

    def confirm(email: str | None = None, **attributes: str) -> str:
        email = registered(email, **attributes)
        cognito.confirm_sign_up(
            ClientId=site.client_id,
            Username=username(email),
            ConfirmationCode=latest_code(backend, email),
        )
        return email

    return confirm
