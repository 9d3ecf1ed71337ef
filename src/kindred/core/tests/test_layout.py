import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.shortcuts import render
from django.test import Client, RequestFactory

from kindred.core import views


def _page(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_layout_has_landmarks_and_a_skip_link(client, db):
    html = _page(client)
    assert re.search(r'<html lang="en"', html)
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert html.index("skip-link") < html.index("<header")
    assert '<nav class="container" aria-label="Main">' in html
    assert '<main id="main" class="container" tabindex="-1">' in html
    assert '<footer class="site-footer">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_the_menu_is_the_same_on_narrow_and_wide_screens(client, db):
    html = _page(client)
    wide = html[html.index('<ul class="nav-wide">') : html.index("<details")]
    narrow = html[html.index('<details class="nav-narrow menu">') : html.index("</details>")]
    assert "<summary>Menu</summary>" in narrow
    for link in ('href="/accounts/login/"', 'href="/network/join/"'):
        assert link in wide and link in narrow


def test_a_signed_in_person_gets_account_links_and_sign_out(client_as, alice):
    html = _page(client_as(alice))
    assert 'href="/accounts/login/"' not in html
    assert re.search(r'<form method="post" action="/accounts/logout/"', html)
    assert "Sign out</button>" in html


def test_the_footer_switches_language_without_javascript(client, db):
    html = _page(client, "/?page=2")
    form = html[html.index('<form method="post" action="/language/"') :]
    form = form[: form.index("</form>")]
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/?page=2">' in form
    assert '<label for="language-select">Language</label>' in form
    assert '<option value="es" lang="es">Español</option>' in form
    assert '<button type="submit" class="secondary">Change language</button>' in form


def test_scripts_carry_the_csp_nonce(client, db):
    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag


def test_flash_messages_are_announced(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.success(request, "Saved.")
    messages.error(request, "Could not save.")
    html = render(request, "base.html").content.decode()
    assert '<section class="messages" aria-label="Messages">' in html
    assert '<p class="message message-success" role="status">Saved.</p>' in html
    assert '<p class="message message-error" role="alert">Could not save.</p>' in html


def test_a_missing_page_gets_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>We could not find that page</h1>" in html
    assert '<main id="main"' in html


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (views.error_403, 403, "This page is not open to you"),
        (views.error_404, 404, "We could not find that page"),
    ],
)
def test_error_pages_use_the_layout(db, view, status, heading):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    response = view(request, exception=None)
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_the_500_page_stands_alone():
    # It must render even when the database is down: no menu, no user lookup.
    response = views.error_500(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in html
    assert "<nav" not in html and '<html lang="en"' in html


def test_an_expired_form_gets_a_friendly_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/language/", {"language": "es", "next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Please send the form again</h1>" in html
    assert "accept cookies" in html  # no CSRF cookie was sent
    assert "kindred_language" not in response.cookies
