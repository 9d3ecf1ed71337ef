"""The per-process expiring cache behind signing, instrument lookups and the directory's
drop-downs."""

from kindred.core import ttl


def test_values_are_kept_until_they_expire_or_are_forgotten(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(ttl.time, "monotonic", lambda: now[0])
    loads = []
    cache = ttl.TTLCache(5)

    def load(key):
        loads.append(key)
        return None if key == "missing" else key.upper()

    assert cache.get("a", load) == "A" and cache.get("a", load) == "A"
    assert cache.get("missing", load) is None and cache.get("missing", load) is None
    assert loads == ["a", "missing"]  # a missing row is remembered too
    now[0] += 5.1
    assert cache.get("a", load) == "A" and loads == ["a", "missing", "a"]
    cache.forget("a")
    cache.get("a", load)
    assert loads.count("a") == 3


def test_a_full_cache_starts_over_rather_than_growing():
    cache = ttl.TTLCache(60, limit=3)
    for key in range(10):
        cache.get(key, str)
    assert len(cache.data) <= 3 and cache.get(9, lambda key: "reloaded") == "9"
