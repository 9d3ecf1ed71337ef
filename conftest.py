"""Shared test personas, as in healthchecks' hc/test.py.

alice owns or administers the thing under test, bob is a member with fewer rights, and
charlie is a signed-in outsider with no access. Each test module decides what alice and bob
own; these fixtures only make the people.
"""

import pytest
from django.test import Client

from kindred.accounts.services import create_account

PASSWORD = "correct horse battery staple"


@pytest.fixture
def alice(db):
    return create_account("alice@example.org", PASSWORD, name="Alice Owner", verified=True)


@pytest.fixture
def bob(db):
    return create_account("bob@example.org", PASSWORD, name="Bob Member", verified=True)


@pytest.fixture
def charlie(db):
    return create_account("charlie@example.org", PASSWORD, name="Charlie Outsider", verified=True)


@pytest.fixture
def client_as():
    """``client_as(user)`` gives a test client signed in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever language an earlier test switched to."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
