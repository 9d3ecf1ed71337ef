from allauth.account.models import EmailAddress
from django.db import transaction

from kindred.accounts.models import User
from kindred.core.audit import log_action


@transaction.atomic
def create_account(
    email: str,
    password: str | None,
    *,
    name: str = "",
    language: str = "",
    verified: bool = False,
    is_staff: bool = False,
) -> User:
    """Create a person's account (the demo data and admin tools; sign-up goes via allauth)."""
    user = User.objects.create_user(
        email, password, name=name, language=language, is_staff=is_staff
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    log_action(None, "account.created", user)
    return user
