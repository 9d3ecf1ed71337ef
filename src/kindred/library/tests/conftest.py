import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from kindred.accounts.services import create_account


@pytest.fixture
def staff(db):
    """Network staff, with an authenticator app so the MFA rule lets them through."""
    user = create_account(
        "staff@example.org", "pw-staff-123456", name="Nia Staff", is_staff=True, verified=True
    )
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Facet counts are cached; each test's database starts over, so the cache must too.
    cache.clear()
    yield
    cache.clear()
