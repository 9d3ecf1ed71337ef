"""The fixed-window limit that stories, RSVPs, newsletters, scoring and signing share."""

from django.core.cache import cache

from kindred.core import ratelimit


def test_attempts_are_counted_per_scope_address_and_window(monkeypatch):
    cache.clear()
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    limit = (3, 60)

    assert [ratelimit.allow("story", "10.0.0.1", limit) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert ratelimit.allow("story", "10.0.0.2", limit)  # another address
    assert ratelimit.allow("rsvp", "10.0.0.1", limit)  # another scope
    now[0] += 60  # the next window
    assert ratelimit.allow("story", "10.0.0.1", limit)


def test_a_limit_of_nothing_refuses_the_first_attempt():
    cache.clear()
    assert not ratelimit.allow("closed", "10.0.0.1", (0, 60))
