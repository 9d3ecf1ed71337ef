"""Anyone can reach the front door, read it on a phone, and use it with the keyboard."""

import pytest

from tests.browser.helpers import assert_accessible

PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/places/",
    "/places/ok/",
    "/network/join/",
    "/network/communities/",
    "/network/directory/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(kindred, page, path):
    response = page.goto(kindred.url + path)
    assert response.status == 200
    assert page.locator("main h1").count() >= 1
    assert_accessible(page)
    # Strict CSP means no blocked inline script or style shows up in the console.
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_the_menu_and_skip_link_work_with_the_keyboard_on_a_phone(kindred, phone):
    phone.goto(kindred.url + "/")
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    phone.keyboard.press("Enter")
    assert phone.evaluate("location.hash") == "#main"
    # The menu is a <details>: it opens with the keyboard and shows the six areas.
    phone.locator(".menu > summary").focus()
    phone.keyboard.press("Enter")
    assert phone.locator(".menu-items a").first.is_visible()
    # Nothing is wider than the screen at phone size.
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow


def test_a_spanish_speaking_browser_gets_spanish(kindred, phone):
    phone.goto(kindred.url + "/")
    assert phone.locator("html").get_attribute("lang") == "es"
    assert_accessible(phone, context="(Spanish)")
