"""The website by keyboard: every control reached with Tab shows a focus indicator of 3:1,
errors are tied to their fields and take the focus there, the primary button's text is 4.5:1,
and the Show/Hide button says what it does (issue 21, item 7)."""

from __future__ import annotations

from typing import Any

import pytest
from accessibility import contrast, focus_change, over
from browser_support import PASSWORD, new_email, sign_in

pytestmark = pytest.mark.browser

_DESCRIBE = """() => { const e = document.activeElement;
  if (!e || e === document.body) return null;
  return e.id ? '#' + e.id : e.tagName.toLowerCase() + ':' + (e.textContent || '').trim(); }"""


def _walk(page: Any, limit: int = 60) -> list[tuple[str, int, int]]:
    """Tab from the top of the page to its end: (element, pixels changed 3:1, minimum)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops: list[tuple[str, int, int]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = page.evaluate(_DESCRIBE)
        if where is None or (stops and where == stops[0][0]):
            break
        changed, needed = focus_change(page)
        stops.append((where, changed, needed))
    return stops


def _focused(page: Any) -> str | None:
    return page.evaluate(_DESCRIBE)


@pytest.mark.parametrize(
    ("name", "controls"),
    [
        ("index.html", ["#giddyUp"]),
        (
            "register.html",
            [
                "#emailInputRegister",
                "#passwordInputRegister",
                "button:Show password",
                "#password2InputRegister",
                "button:Create my account",
            ],
        ),
        ("verify.html", ["#emailInputVerify", "#codeInputVerify", "button:Verify", "#resendCode"]),
        ("signin.html", ["#emailInputSignin", "#passwordInputSignin", "button:Show password"]),
        ("ride.html", ["#signOut", "#copyToken", "#authToken"]),
    ],
)
def test_every_tab_stop_shows_a_focus_indicator_of_3_to_1(
    site, make_page, confirmed, name, controls
):
    w = make_page()
    if name == "ride.html":
        sign_in(w, site.base, confirmed())
    else:
        w.page.goto(site.url(name))
        w.page.locator("body.js-ready").wait_for(state="attached")
    stops = _walk(w.page)
    reached = [where for where, _, _ in stops]
    assert reached[0] == "a:Skip to content", reached
    order = [reached.index(c) for c in controls]  # each reached, in the page's order
    assert order == sorted(order), reached
    faint = [(where, changed, needed) for where, changed, needed in stops if changed < needed]
    assert faint == [], f"{name}: focus indicators under 3:1 or too small: {faint}"
    assert w.errors() == []


def test_the_indicator_check_can_fail(site, make_page):
    """The same measure on a field whose ring is switched off finds nothing."""
    w = make_page(bypass_csp=True)  # the pages' CSP admits no added style, rightly
    w.page.goto(site.url("signin.html"))
    w.page.add_style_tag(content="#emailInputSignin:focus { outline: none !important; }")
    w.page.focus("#emailInputSignin")
    changed, needed = focus_change(w.page)
    assert changed < needed


@pytest.mark.parametrize("name", ["index.html", "register.html", "verify.html", "signin.html"])
def test_the_primary_buttons_text_is_4_5_to_1(site, make_page, name):
    w = make_page()
    w.page.goto(site.url(name))
    w.page.locator("body.js-ready").wait_for(state="attached")
    button = w.page.locator(".button-primary").first
    page_colour = "rgb(255, 255, 255)"
    for state in ("rest", "hover"):
        if state == "hover":
            button.hover()
            w.page.wait_for_timeout(250)
        text, background = button.evaluate(
            "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
        )
        ratio = contrast(text, over(background, page_colour))
        assert ratio >= 4.5, f"{name} ({state}): {text} on {background} is {ratio:.2f}:1"


def test_register_by_keyboard_ties_the_refusal_to_the_password(site, make_page):
    """Skip link, fields, Show/Hide and Enter, with no mouse; Cognito refuses the password and
    the focus lands on the password, which names the refusal and its next step."""
    w = make_page()
    page = w.page
    page.goto(site.url("register.html"))
    page.locator("body.js-ready").wait_for(state="attached")
    page.keyboard.press("Tab")
    assert _focused(page) == "a:Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page) == "#emailInputRegister"  # the skip link skipped the navigation
    page.keyboard.type(new_email("keys"))
    page.keyboard.press("Tab")
    page.keyboard.type("unicorn-ride1")
    page.keyboard.press("Tab")
    show = page.get_by_role("button", name="Show password", exact=True)
    assert show.evaluate("b => b === document.activeElement")
    page.keyboard.press("Space")
    assert page.locator("#passwordInputRegister").get_attribute("type") == "text"
    # The name follows the visible word (WCAG 2.5.3, label in name).
    hide = page.get_by_role("button", name="Hide password", exact=True)
    assert hide.evaluate("b => b === document.activeElement")
    assert page.get_by_role("button", name="Show password", exact=True).count() == 0
    page.keyboard.press("Tab")
    page.keyboard.type("unicorn-ride1")
    page.keyboard.press("Enter")

    error = page.locator("#formMessage .form-error")
    error.wait_for()
    assert error.get_attribute("role") == "alert"
    assert error.get_attribute("data-error-code") == "InvalidPasswordException"
    page.wait_for_function("document.activeElement.id === 'passwordInputRegister'")
    field = page.locator("#passwordInputRegister")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby").split()
    assert described[0] == "passwordChecklist"  # its own description stays first
    assert {"formError", "formHint1"} <= set(described)
    description = " ".join(page.locator(f"#{i}").inner_text() for i in described[1:])
    assert "uppercase" in description and "still needs" in description
    assert page.locator("#registrationForm button[type=submit]").is_enabled()

    page.keyboard.type("X")  # changing the field clears the mark
    assert field.get_attribute("aria-invalid") is None
    assert field.get_attribute("aria-describedby") == "passwordChecklist"
    assert w.errors([(400, site.cognito_url)]) == []


def test_a_wrong_password_puts_the_focus_back_on_the_password(site, make_page, confirmed):
    w = make_page()
    page = w.page
    page.goto(site.url("signin.html"))
    page.fill("#emailInputSignin", confirmed())
    page.fill("#passwordInputSignin", PASSWORD + "x")
    page.focus("#signinForm button[type=submit]")
    page.keyboard.press("Enter")
    # While Cognito answers the form is busy, but nothing was disabled under the focus.
    page.locator("#formMessage .form-error").wait_for()
    page.wait_for_function("document.activeElement.id === 'passwordInputSignin'")
    field = page.locator("#passwordInputSignin")
    assert field.get_attribute("aria-invalid") == "true"
    assert "formError" in field.get_attribute("aria-describedby").split()
    assert page.locator("#emailInputSignin").get_attribute("aria-invalid") is None
    assert w.errors([(400, site.cognito_url)]) == []


def test_a_missing_email_is_tied_to_the_email_field(site, make_page):
    w = make_page()
    w.page.goto(site.url("verify.html"))
    w.page.locator("body.js-ready").wait_for(state="attached")
    w.page.click("#resendCode")
    w.page.wait_for_function("document.activeElement.id === 'emailInputVerify'")
    field = w.page.locator("#emailInputVerify")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("aria-describedby") == "formError"
    assert "Enter your email address first" in w.page.inner_text("#formError")
    assert w.errors() == []
