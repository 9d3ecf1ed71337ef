"""A fixed-window limit per client address, kept in the shared cache.

Anonymous forms that store something or send an email (a story, a guest RSVP, a newsletter
subscription) count each attempt here, so one address cannot flood moderators' queues or
other people's inboxes. With the default local-memory cache the window is per process; with
Redis (CACHE_URL) it is shared by every app server.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from kindred.core.client import client_ip


def limit_for(scope: str) -> tuple[int, int]:
    """(attempts, window seconds) for ``scope``; ANONYMOUS_RATE_LIMITS may override it."""
    defaults = {"story": (5, 600), "rsvp": (20, 600), "newsletter": (10, 600)}
    overrides = getattr(settings, "ANONYMOUS_RATE_LIMITS", {})
    return overrides.get(scope, defaults.get(scope, (20, 600)))


def over_limit(request: HttpRequest, scope: str, limit: tuple[int, int] | None = None) -> bool:
    """Count this attempt; True once the address has made more than the limit this window.

    ``limit`` (attempts, window seconds) overrides the scope's default."""
    return not allow(scope, client_ip(request), limit or limit_for(scope))


def allow(scope: str, address: str, limit: tuple[int, int]) -> bool:
    """Count one attempt by ``address`` in ``scope``; False once it is over ``limit``
    (attempts, window seconds) in this window.

    The key names the window, so the usual case is a single cache operation (an increment);
    the first attempt of a window adds the counter. Signing a popular action calls this on
    every signature."""
    attempts, window = limit
    key = f"ratelimit:{scope}:{address}:{int(time.time() // window)}"
    try:
        return cache.incr(key) <= attempts
    except ValueError:  # the first attempt in this window
        pass
    if cache.add(key, 1, window):
        return attempts >= 1
    try:  # another request added the counter meanwhile
        return cache.incr(key) <= attempts
    except ValueError:  # and it expired already
        return True
