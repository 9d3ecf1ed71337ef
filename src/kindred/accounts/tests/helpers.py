"""Small helpers shared by the accounts tests."""

import re

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

# The password of the alice, bob and charlie fixtures (the root conftest.py).
PASSWORD = "correct horse battery staple"


def activate_totp(user) -> str:
    """Give ``user`` an authenticator app and recovery codes, as allauth's set-up page does;
    returns the app's secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def link_in(body: str, path_fragment: str) -> str:
    """The first link in an email body whose path contains ``path_fragment``."""
    match = re.search(rf"https?://testserver(\S*{re.escape(path_fragment)}\S*)", body)
    assert match, f"no link with {path_fragment!r} in:\n{body}"
    return match.group(1)
