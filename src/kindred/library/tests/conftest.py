import pytest
from allauth.mfa.models import Authenticator

from kindred.accounts.services import create_account


@pytest.fixture
def staff(db):
    """Network staff, with an authenticator app so the MFA rule lets them through."""
    user = create_account(
        "staff@example.org", "pw-staff-123456", name="Nia Staff", is_staff=True, verified=True
    )
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user
