"""Each process's cache: Django's local-memory cache, bounded by the bytes it keeps.

Django's LocMemCache bounds the number of values only, and values differ a thousandfold: a
count takes a few bytes, one search's matches (recommendations.selectors) up to 800 KB.
"""

import pickle
import threading
import time
from collections import OrderedDict
from types import SimpleNamespace

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

# Python's own bookkeeping for one value (the dictionary slot, the tuple, the bytes' and the
# key's headers), measured with tracemalloc: counted so that many tiny values stay bounded too.
ENTRY_OVERHEAD = 270

# By LOCATION, one store per process shared by its threads' cache objects: `values` maps a key to
# (expiry or None, pickled value, bytes), least recently used first; `kept` is their bytes.
_stores = {}


class BoundedMemoryCache(BaseCache):
    """Values pickled, as LocMemCache keeps them; once they take more than OPTIONS["MAX_BYTES"],
    the least recently used are dropped. A value larger than an eighth of that is not kept."""

    def __init__(self, name, params):
        super().__init__(params)
        self.max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 64 * 2**20))
        store = SimpleNamespace(values=OrderedDict(), kept=0, lock=threading.Lock())
        self._store = _stores.setdefault(name, store)

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            entry = self._live(key)
            if entry is None:
                return default
            self._store.values.move_to_end(key)
        return pickle.loads(entry[1])

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._store.lock:
            self._put(key, pickled, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._store.lock:
            if self._live(key) is not None:
                return False
            self._put(key, pickled, timeout)
            return True

    def incr(self, key, delta=1, version=None):
        """Atomic within the process (the rate limits count with it), keeping the value's expiry."""
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            entry = self._live(key)
            if entry is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(entry[1]) + delta
            self._put(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL), None)
            if key in self._store.values:
                self._store.values[key] = (entry[0], *self._store.values[key][1:])
        return value

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            entry = self._live(key)
            if entry is not None:
                self._store.values[key] = (self.get_backend_timeout(timeout), *entry[1:])
            return entry is not None

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            return self._drop(key)

    def clear(self):
        with self._store.lock:
            self._store.values.clear()
            self._store.kept = 0

    # The helpers below run under the store's lock.

    def _live(self, key):
        entry = self._store.values.get(key)
        if entry is not None and entry[0] is not None and entry[0] <= time.time():
            self._drop(key)
            return None
        return entry

    def _put(self, key, pickled, timeout):
        self._drop(key)
        size = len(key) + len(pickled) + ENTRY_OVERHEAD
        if size > self.max_bytes // 8:
            return
        store = self._store
        store.values[key] = (self.get_backend_timeout(timeout), pickled, size)
        store.kept += size
        while store.kept > self.max_bytes:
            store.kept -= store.values.popitem(last=False)[1][2]

    def _drop(self, key):
        entry = self._store.values.pop(key, None)
        if entry is not None:
            self._store.kept -= entry[2]
        return entry is not None
