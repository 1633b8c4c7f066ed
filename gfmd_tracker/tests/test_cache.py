"""The process's cache, bounded in bytes (gfmd_tracker.cache)."""

import time

from gfmd_tracker.cache import BoundedMemoryCache


def bounded(max_bytes, location):
    return BoundedMemoryCache(location, {"OPTIONS": {"MAX_BYTES": max_bytes}})


def test_it_drops_the_least_recently_used_values_once_full():
    cache = bounded(16_000, "test-lru")
    cache.clear()
    for name in "abcdefgh":
        cache.set(name, name * 1_500)  # about 1,800 bytes kept each, with the key and bookkeeping
    assert cache.get("a") == "a" * 1_500  # used: now the most recent
    cache.set("i", "i" * 1_500)  # full: the least recently used goes, "b"
    assert [name for name in "abcdefghi" if cache.get(name) is not None] == list("acdefghi")


def test_it_keeps_no_value_larger_than_an_eighth_of_its_bound():
    cache = bounded(16_000, "test-large")
    cache.clear()
    cache.set("small", "x")
    cache.set("large", "x" * 2_000)
    assert (cache.get("small"), cache.get("large")) == ("x", None)


def test_it_forgets_expired_values_and_honours_add_touch_and_delete(monkeypatch):
    cache = bounded(8_000, "test-expiry")
    cache.clear()
    cache.set("soon", 1, timeout=10)
    cache.set("kept", 2, timeout=None)
    assert cache.add("kept", 3) is False and cache.add("new", 4) is True
    assert cache.touch("soon", timeout=100) is True
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 50)
    assert (cache.get("soon"), cache.get("kept"), cache.get("new")) == (1, 2, 4)  # "new": 300 s, the default
    monkeypatch.setattr(time, "time", lambda: real() + 500)
    assert (cache.get("soon"), cache.get("kept"), cache.get("new")) == (None, 2, None)
    assert cache.delete("kept") is True and cache.get("kept") is None and cache.delete("kept") is False


def cache_settings(**environ):
    """The cache the production settings configure from `environ`, read in a fresh process."""
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "CACHE_URL", "CACHE_MAX_MB")}
    env.update(DJANGO_SETTINGS_MODULE="gfmd_tracker.settings", SECRET_KEY="x" * 60 + "-production-like-key",
               **environ)
    code = "import json; from django.conf import settings; print(json.dumps(settings.CACHES['default']))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                            cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_each_process_keeps_its_own_bounded_cache_unless_cache_url_names_a_shared_one():
    assert cache_settings() == {"BACKEND": "gfmd_tracker.cache.BoundedMemoryCache",
                                "OPTIONS": {"MAX_BYTES": 64 * 2**20}}
    assert cache_settings(CACHE_MAX_MB="16")["OPTIONS"] == {"MAX_BYTES": 16 * 2**20}
    assert cache_settings(CACHE_URL="redis://cache.internal:6379/2") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache.internal:6379/2"}
