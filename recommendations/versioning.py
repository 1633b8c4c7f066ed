"""What is cached, and when it is forgotten: the one rule.

1. Cached values and {% cache %} fragments are keyed by the data version (`current()`).
2. Every write to a model of `TRACKED_APPS` changes it (signals below; bulk writes call `bump()`).
3. Cached values also expire after `REPORT_TTL`: date-relative figures, and what comes from
   outside those apps (a user's name in a cached row), are at most that old.

Only what the database cannot answer in time is cached: list counts, searches, reports, page fragments.

The version is one row holding a random stamp (random so that a rolled-back transaction's stamp
is never taken again), replaced inside the transaction that changes the data: a report computed
after reading stamp S reflects every change up to S. Concurrent writers queue on this one row
until each commits; the tracker's writes are few and short, which is why the simple design is right.
"""

import hashlib
import random
import threading

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

TRACKED_APPS = ("recommendations", "partnerships")
REPORT_TTL = 300  # seconds: also bounds date-relative filters (stale, overdue) within a day
_request = threading.local()  # within a request, the stamp is read once


def current():
    """The data version, read once per request."""
    memo = getattr(_request, "memo", None)
    if memo is not None and "stamp" in memo:
        return memo["stamp"]
    from .models import DataVersion

    stamp = DataVersion.objects.filter(pk=1).values_list("stamp", flat=True).first() or 0
    if memo is not None:
        memo["stamp"] = stamp
    return stamp


def bump(**kwargs):
    from .models import DataVersion

    stamp = random.getrandbits(62) + 1
    if not DataVersion.objects.filter(pk=1).update(stamp=stamp):
        DataVersion.objects.update_or_create(pk=1, defaults={"stamp": stamp})
    if getattr(_request, "memo", None) is not None:
        _request.memo["stamp"] = stamp


def _request_started(**kwargs):
    _request.memo = {}


def _request_finished(**kwargs):
    _request.memo = None


def cached(name, compute):
    """`compute()`, cached under `name`, the data version and the language."""
    key = "data:" + hashlib.sha256(f"{name}|{current()}|{get_language()}".encode()).hexdigest()
    return cache.get_or_set(key, compute, REPORT_TTL)


def cached_count(queryset):
    """`queryset.count()`, kept under its SQL and the data version (list and changelist counts)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return cached(f"count|{sql}|{params!r}", queryset.count)


def cached_report(name, params, compute):
    """`compute()`, cached under the data version, the day and the (sorted) parameters."""
    params = sorted(params.lists()) if hasattr(params, "lists") else params
    return cached(f"report|{name}|{timezone.localdate()}|{params}", compute)


def clear():
    """Forget every cached value: for tests and benchmarks."""
    cache.clear()


def connect():
    """Raise the version on every save, delete and link change of the tracked apps' models."""
    from .models import DataVersion

    request_started.connect(_request_started, dispatch_uid="version-request-started")
    request_finished.connect(_request_finished, dispatch_uid="version-request-finished")
    for label in TRACKED_APPS:
        for model in apps.get_app_config(label).get_models():
            if model is DataVersion or model.__name__.startswith("Historical"):
                continue
            post_save.connect(bump, sender=model, dispatch_uid=f"version-save-{model._meta.label}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"version-delete-{model._meta.label}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(bump, sender=field.remote_field.through,
                                    dispatch_uid=f"version-m2m-{field.remote_field.through._meta.label}")
