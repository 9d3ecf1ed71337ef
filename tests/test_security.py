"""Security headers on every page: a strict CSP (nonces, no 'unsafe-inline'), no framing,
no sniffing, no leaking referrers, and the API docs working offline under the same policy."""

import re

import pytest


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/no-such-page/", "/api/docs"])
def test_pages_have_a_strict_content_security_policy(client, db, url):
    response = client.get(url)
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "*" not in header


def test_a_normal_page_uses_a_fresh_nonce_for_its_scripts(client, db):
    first, second = client.get("/"), client.get("/")
    nonces = []
    for response in (first, second):
        script_src = _policy(response)["script-src"]
        assert script_src[0] == "'self'"
        (nonce,) = (value for value in script_src if value.startswith("'nonce-"))
        assert f'nonce="{nonce[7:-1]}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_pages_carry_no_inline_styles_or_handlers(client, db):
    html = client.get("/").content.decode()
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)
    # htmx is told not to add its own <style> element, nor to evaluate code.
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html


@pytest.mark.parametrize("url", ["/", "/api/vocabularies"])
def test_security_headers(client, db, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only_and_lax(client, alice):
    # The password the persona fixtures in the root conftest.py give everyone.
    password = "correct horse battery staple"
    csrf = client.get("/accounts/login/").cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    response = client.post("/accounts/login/", {"login": alice.email, "password": password})
    assert response.status_code == 302, "signing in failed"
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


def test_the_api_docs_work_offline(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert '"url": "/api/openapi.json"' in html
    # Nothing is fetched from another host: no CDN, no swagger.io validator badge.
    assert not re.findall(r"https?://", html), "the docs page must not reference other hosts"
    assert '"validatorUrl": "none"' in html
