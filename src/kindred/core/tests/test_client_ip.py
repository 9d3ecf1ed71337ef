"""The client's address: never a header the visitor wrote, unless our own proxy added it."""

from django.test import RequestFactory

from kindred.core.client import client_ip


def request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_forwarded_for_is_ignored(settings):
    settings.BEHIND_PROXY = False
    made_up = request(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(made_up) == "203.0.113.7"


def test_behind_a_proxy_the_entry_it_appended_counts(settings):
    settings.BEHIND_PROXY = True
    spoofed = request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(spoofed) == "203.0.113.7"
    assert client_ip(request(REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
