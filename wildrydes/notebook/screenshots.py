"""Screenshots of the Wild Rydes website in headless Chromium, for notebook 07 and the README.

- :func:`capture` loads pages of a launched site and returns one PNG per page;
- :func:`journey` walks register -> verify -> sign in -> ride as a rider would, with the code from
  the local mailbox, so the last picture shows a real auth token;
- :func:`open_browser` is the headless Chromium both use (pass it in to reuse one).

The browser is Chromium from the system (Debian's ``/usr/bin/chromium``, or ``chromium`` on the
PATH), else Playwright's own. Either missing raises :class:`ConfigurationError` saying what to
install. Both functions also work inside Jupyter, whose event loop Playwright's sync API refuses:
there the browser runs on a worker thread.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from wildrydes import mailbox, render
from wildrydes.backend import LOCAL_REGION, Backend
from wildrydes.errors import AuthError, ConfigurationError
from wildrydes.messages import next_step

__all__ = ["PAGES", "Journey", "capture", "find_chromium", "journey", "open_browser"]

PAGES = ("index.html", "register.html", "verify.html", "signin.html", "ride.html")
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
# Headless in a container or CI: no sandbox (often root), no GPU, and no background traffic.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
INSTALL_ADVICE = (
    "install chromium (apt-get install -y chromium on Debian/Ubuntu), or let Playwright fetch "
    "its own with `python -m playwright install chromium`"
)
STEP_TIMEOUT_MS = 15_000
_T = TypeVar("_T")


# --------------------------------------------------------------------------- the browser


def find_chromium() -> str | None:
    """The system's Chromium, or None to use Playwright's own build."""
    if SYSTEM_CHROMIUM.is_file():
        return str(SYSTEM_CHROMIUM)
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def open_browser() -> Iterator[Any]:
    """A headless Chromium (a Playwright ``Browser``), closed when the block ends."""
    try:  # Playwright is optional (the test extra): imported here, where its absence is said
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright  # (optional, as above)
    except ImportError as e:
        raise ConfigurationError(
            "Screenshots need Playwright, which is not installed. Install the kit's test "
            "extra (pip install -e '.[test]') or `pip install playwright`, then "
            f"{INSTALL_ADVICE}."
        ) from e
    executable = find_chromium()
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, args=list(CHROMIUM_ARGS), headless=True
            )
        except PlaywrightError as e:
            where = executable or "Playwright's own Chromium"
            first_line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ConfigurationError(
                f"Headless Chromium would not start ({where}: {first_line}). To take "
                f"screenshots, {INSTALL_ADVICE}."
            ) from e
        try:
            yield browser
        finally:
            browser.close()


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _with_browser(work: Callable[[Any], _T], browser: Any | None) -> _T:
    """Run ``work(browser)`` with the given browser, or a new one (off Jupyter's event loop)."""
    if browser is not None:
        return work(browser)

    def job() -> _T:
        with open_browser() as own:
            return work(own)

    if not _in_event_loop():
        return job()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wildrydes-screenshots") as pool:
        return pool.submit(job).result()


def site_base(website_url: str) -> str:
    """The site's folder URL, ending in ``/``, from its URL or the URL of one of its pages."""
    parts = urlsplit(website_url)
    path = parts.path or "/"
    if not path.endswith("/"):
        head, _, last = path.rpartition("/")
        path = f"{head}/" if "." in last else f"{path}/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _settle(page: Any) -> None:
    """Wait until the page's scripts have run; on ride.html, until it shows a ride, an error
    (Cognito not answering) or redirects."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # optional: see open_browser

    page.wait_for_load_state("load")
    with suppress(PlaywrightTimeout):  # a page without the kit's scripts: shoot it as it is
        page.locator("body.js-ready").wait_for(state="attached", timeout=5_000)
        if page.locator("body.page-ride").count():
            page.locator(
                ", ".join(
                    (
                        "body.page-ride #rideContent:not([hidden])",
                        "body.page-ride #configNotice:not([hidden])",
                        "body.page-ride #formMessage .form-error",
                        "body.page-signin.js-ready",
                    )
                )
            ).first.wait_for(state="attached")
            page.wait_for_load_state("load")
    page.evaluate("() => document.fonts.ready.then(() => true)")


# --------------------------------------------------------------------------- capture


def capture(
    website_url: str,
    pages: Iterable[str] = PAGES,
    *,
    width: int = 1280,
    height: int = 800,
    full_page: bool = True,
    browser: Any | None = None,
) -> dict[str, bytes]:
    """PNG bytes of each page of the site at ``website_url``, keyed by page name.

    ``ride.html`` needs a session, so here it shows the sign-in page it sends you to; use
    :func:`journey` for the ride page with a real token.
    """
    base = site_base(website_url)
    names = list(pages)

    def work(chromium: Any) -> dict[str, bytes]:
        context = chromium.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(STEP_TIMEOUT_MS)
        try:
            page = context.new_page()
            shots = {}
            for name in names:
                page.goto(base + name)
                _settle(page)
                shots[name] = page.screenshot(full_page=full_page)
            return shots
        finally:
            context.close()

    return _with_browser(work, browser)


# --------------------------------------------------------------------------- journey


@dataclass
class Journey:
    """What :func:`journey` saw: a PNG per step, and the ID token the ride page showed."""

    email: str
    shots: dict[str, bytes] = field(default_factory=dict)
    id_token: str = field(default="", repr=False)
    already_registered: bool = False

    def __str__(self) -> str:
        start = "signed in again as" if self.already_registered else "registered and signed in as"
        return (
            f"Walked the website: {start} {self.email}; {len(self.shots)} screenshots "
            f"({', '.join(self.shots)}); the ride page shows an ID token of "
            f"{len(self.id_token)} characters."
        )

    def _repr_html_(self) -> str:
        figures = "".join(render.figure(png, name, wide=True) for name, png in self.shots.items())
        return f"<p>{render.escape(str(self))}</p>{figures}"


def _local_code_reader(page: Any, website_url: str) -> Callable[[str], str]:
    """Reads codes from the embedded backend's mailbox, if the site runs on it."""
    local = page.evaluate("() => (window._config && window._config.local) || null")
    if not local:
        raise ConfigurationError(
            "This website is not on the embedded backend, so there is no local mailbox to read "
            "the verification code from. Pass code=<a function that returns the emailed code>."
        )
    parts = urlsplit(website_url)
    backend = Backend("local", LOCAL_REGION, urlunsplit((parts.scheme, parts.netloc, "", "", "")))
    return lambda email: mailbox.latest_code(backend, email, wait_seconds=10)


def _submit(page: Any, form: str, next_page: str) -> tuple[str, str] | None:
    """Submit ``form``; None once ``next_page`` loads, else (error code, Cognito's message)."""
    page.click(f"{form} button[type=submit]")
    error = page.locator("#formMessage .form-error")
    arrived = page.locator(f"body.page-{next_page}")
    error.or_(arrived).first.wait_for()
    if arrived.count():
        _settle(page)
        return None
    return error.get_attribute("data-error-code") or "", error.inner_text()


def _refused(step: str, email: str, outcome: tuple[str, str]) -> AuthError:
    """The website's refusal as a kit error: its words, and the table's next step."""
    code, message = outcome
    hint = next_step("website-walk", code, "terminal", True, email=email, page=step)
    return AuthError(message or code, hint=hint, code=code)


def journey(
    website_url: str,
    email: str,
    password: str,
    *,
    code: Callable[[str], str] | None = None,
    width: int = 1280,
    height: int = 800,
    full_page: bool = True,
    browser: Any | None = None,
) -> Journey:
    """Register, verify, sign in and reach the ride page in a browser, shooting each step.

    ``code(email)`` returns the verification code; by default it comes from the local mailbox
    (embedded backend only). A rider who registered before is signed in (and verified first,
    with a new code, if they never were).
    """
    base = site_base(website_url)

    def fill(page: Any, values: dict[str, str]) -> None:
        for selector, value in values.items():
            page.fill(selector, value)

    def work(chromium: Any) -> Journey:
        context = chromium.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(STEP_TIMEOUT_MS)
        result = Journey(email)
        try:
            page = context.new_page()
            page.goto(base + "register.html")
            _settle(page)
            reader = code or _local_code_reader(page, website_url)
            fill(
                page,
                {
                    "#emailInputRegister": email,
                    "#passwordInputRegister": password,
                    "#password2InputRegister": password,
                },
            )
            result.shots["register"] = page.screenshot(full_page=full_page)
            outcome = _submit(page, "#registrationForm", "verify")
            if outcome and outcome[0] == "UsernameExistsException":
                result.already_registered = True
                del result.shots["register"]
            elif outcome:
                raise _refused("register", email, outcome)
            else:
                verify(page, reader, result)

            if result.already_registered:
                page.goto(base + "signin.html")
                _settle(page)
            fill(page, {"#emailInputSignin": email, "#passwordInputSignin": password})
            result.shots["signin"] = page.screenshot(full_page=full_page)
            outcome = _submit(page, "#signinForm", "ride")
            if outcome and outcome[0] == "UserNotConfirmedException":
                page.goto(f"{base}verify.html")
                _settle(page)
                fill(page, {"#emailInputVerify": email})
                page.click("#resendCode")
                page.locator(
                    "#formMessage .form-success, #formMessage .form-error"
                ).first.wait_for()
                verify(page, reader, result)
                fill(page, {"#emailInputSignin": email, "#passwordInputSignin": password})
                outcome = _submit(page, "#signinForm", "ride")
            if outcome:
                raise _refused("sign-in", email, outcome)

            page.locator("#rideContent").wait_for(state="visible")
            result.id_token = page.inner_text("#authToken").strip()
            result.shots["ride"] = page.screenshot(full_page=full_page)
            return result
        finally:
            context.close()

    def verify(page: Any, reader: Callable[[str], str], result: Journey) -> None:
        page.fill("#codeInputVerify", reader(email))
        result.shots["verify"] = page.screenshot(full_page=full_page)
        outcome = _submit(page, "#verifyForm", "signin")
        if outcome:
            raise _refused("verify", email, outcome)

    return _with_browser(work, browser)
