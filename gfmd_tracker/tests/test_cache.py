"""The process's cache, bounded in bytes (gfmd_tracker.cache)."""

import os
import time
import uuid

import pytest
from django.conf import settings

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


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def shared_cache(settings):
    """The tracker's cache in a real Redis (`CACHE_URL=redis://…`, as several servers share it),
    under a prefix of this test's own. Skipped, visibly, where no Redis answers (.ci/run starts one)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"gfmd-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_a_shared_cache_serves_every_process_the_same_report_until_the_data_changes(shared_cache, db):
    from django.core.cache import CacheHandler

    from recommendations import versioning

    client, prefix = shared_cache
    computed = []

    def report():
        computed.append(1)
        return {"open": 42}

    assert versioning.cached_report("status", {"meeting": "2010"}, report) == {"open": 42}
    assert len(list(client.scan_iter(f"{prefix}:*"))) == 1  # kept in Redis, not in this process
    other_process = CacheHandler(settings.CACHES)["default"]
    [key] = [k.decode().split(":", 2)[2] for k in client.scan_iter(f"{prefix}:*")]
    assert other_process.get(key) == {"open": 42}  # another server reads the same value
    assert versioning.cached_report("status", {"meeting": "2010"}, report) == {"open": 42}
    assert computed == [1]
    versioning.bump()  # a change of the data: every server computes the report anew
    versioning.cached_report("status", {"meeting": "2010"}, report)
    assert computed == [1, 1]


def test_the_lists_work_with_a_shared_cache(shared_cache, viewer_client):
    client, prefix = shared_cache
    first = viewer_client.get("/recommendations/", {"status": "not_started"})
    second = viewer_client.get("/recommendations/", {"status": "not_started"})
    assert first.status_code == second.status_code == 200
    assert first.context["page"].paginator.count == second.context["page"].paginator.count > 0
    assert any(True for _ in client.scan_iter(f"{prefix}:*"))
