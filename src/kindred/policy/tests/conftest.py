import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from kindred.policy import signing


@pytest.fixture(autouse=True)
def _fresh_caches():
    # Signing keeps per-process caches; each test's database starts over, so they must too.
    signing.clear_caches()
    cache.clear()
    yield
    signing.clear_caches()
    cache.clear()


@pytest.fixture
def staff(alice):
    """alice as network staff, with an authenticator app so the MFA rule lets her through."""
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={})
    return alice
