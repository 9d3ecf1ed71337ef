"""The Content-Security-Policy header: built once per process for answers without a nonce,
by django-csp itself for everything else, and the same policy either way."""

import re

import pytest
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory, override_settings

from kindred.core.middleware import CSPMiddleware

HEADER = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


def directives(header: str) -> dict[str, set[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


def through(middleware_class, response, path="/api/thing"):
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda request: response)
    return request, middleware(request)


def test_a_json_answer_carries_the_policy_django_csp_would_give(client, db):
    response = client.get("/api/observe/instruments")
    assert response.status_code == 200
    _, reference = through(DjangoCSPMiddleware, JsonResponse({}))
    policy = directives(response[HEADER])
    assert policy == directives(reference[HEADER])
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] == {"'self'"}  # no nonce: nothing here runs a script
    assert policy["frame-ancestors"] == {"'none'"}
    assert REPORT_ONLY not in response


def test_each_page_with_scripts_gets_its_own_nonce(client, db):
    nonces = []
    for _ in range(2):
        response = client.get("/")
        nonce = re.search(r"'nonce-([^']+)'", response[HEADER]).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_a_changed_setting_changes_the_header_at_once(client, db):
    client.get("/api/observe/instruments")  # the built header is now remembered
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy
    ):
        response = client.get("/api/observe/instruments")
        assert directives(response[HEADER]) == {"default-src": {"'none'"}}
        assert directives(response[REPORT_ONLY]) == {"default-src": {"'none'"}}
    response = client.get("/api/observe/instruments")
    assert directives(response[HEADER])["default-src"] == {"'self'"}
    assert REPORT_ONLY not in response


def test_exempt_answers_excluded_paths_and_headers_already_set_are_left_alone():
    exempt = HttpResponse()
    exempt._csp_exempt = True
    assert HEADER not in through(CSPMiddleware, exempt)[1]

    own = HttpResponse()
    own[HEADER] = "default-src 'none'"
    assert through(CSPMiddleware, own)[1][HEADER] == "default-src 'none'"

    policy = {"DIRECTIVES": {"default-src": ["'self'"]}, "EXCLUDE_URL_PREFIXES": ["/legacy/"]}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert HEADER not in through(CSPMiddleware, HttpResponse(), "/legacy/page")[1]
        assert HEADER in through(CSPMiddleware, HttpResponse(), "/other")[1]


def test_a_views_own_policy_still_goes_through_django_csp():
    response = HttpResponse()
    response._csp_update = {"img-src": ["https://tiles.example.org"]}
    _, answered = through(CSPMiddleware, response)
    assert directives(answered[HEADER])["img-src"] == {
        "'self'",
        "data:",
        "https://tiles.example.org",
    }


def test_a_nonce_asked_for_after_the_header_is_an_error():
    request, _ = through(CSPMiddleware, HttpResponse())
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
