"""Who is asking: the client's address, for rate limits, the sign-in lock-out and the audit log.

Without a proxy the address is REMOTE_ADDR. Behind one (BEHIND_PROXY=1), REMOTE_ADDR is the
proxy, and the client is the last X-Forwarded-For entry: the one our proxy appended. Entries
before it were written by the visitor and prove nothing, so they are never used.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]
