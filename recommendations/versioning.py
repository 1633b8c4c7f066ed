"""The data version: a number that changes whenever tracked data changes, so that costly
reports can be cached per version (`cached_report`) and are never served stale.

The version is one row holding a random stamp, replaced inside the transaction that
changes the data: a report computed after reading stamp S reflects every change up to S.
A change that commits between the read of S and the report's queries is caught on the
next request, which reads the new stamp and recomputes. Random rather than counted, so
that a rolled-back transaction's stamp is never taken again by a later change.

Cost: every writing transaction updates this one row, so concurrent writers queue on it
until each commits. The tracker's writes are few and short (people logging updates, an
editor's import), which is why the simple design is right here.
"""

import hashlib
import random
import threading

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

TRACKED_APPS = ("recommendations", "partnerships")
REPORT_TTL = 300  # seconds: also bounds date-relative filters (stale, overdue) within a day


_request = threading.local()  # within a request, the stamp is read once


def current():
    memo = getattr(_request, "memo", None)
    if memo is not None and "stamp" in memo:
        return memo["stamp"]
    from django.db import connection

    from .models import DataVersion

    # Every page asks once: the statement is written out rather than built by the ORM each time.
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    stamp = (row[0] if row else 0) or 0
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


def _user_saved(update_fields=None, **kwargs):
    if update_fields is None or set(update_fields) != {"last_login"}:  # a login changes no list
        bump()


def _request_started(**kwargs):
    _request.memo = {}


def _request_finished(**kwargs):
    _request.memo = None


def cached(name, compute, ttl=REPORT_TTL):
    """`compute()`, cached under `name` and the data version (lists of choices and the like)."""
    from django.utils.translation import get_language

    key = "data:" + hashlib.sha256(f"{name}|{current()}|{get_language()}".encode()).hexdigest()
    return _remembered(key, compute, ttl)


def cached_count(queryset):
    """`queryset.count()`, kept under its SQL and the data version (list and changelist counts)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return cached(f"count|{sql}|{params!r}", queryset.count)


def cached_report(name, params, compute):
    """`compute()`, cached under the data version, the day and the (sorted) parameters."""
    from django.utils import timezone

    key = f"{name}|{current()}|{timezone.localdate()}|{sorted(params.lists()) if hasattr(params, 'lists') else params}"
    key = "report:" + hashlib.sha256(key.encode()).hexdigest()
    return _remembered(key, compute, REPORT_TTL)


def _remembered(key, compute, ttl):
    """The value under `key`: from the cache, else `compute()`."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ttl)
    return value


def clear():
    """Forget every cached value: for tests and benchmarks."""
    cache.clear()


def connect():
    """Raise the version on every save, delete and link change of the tracked apps' models
    (bulk paths that send no signals call `bump` themselves)."""
    from django.contrib.auth import get_user_model

    from .models import DataVersion

    request_started.connect(_request_started, dispatch_uid="version-request-started")
    request_finished.connect(_request_finished, dispatch_uid="version-request-finished")
    user = get_user_model()  # owners' names are in filter lists
    post_save.connect(_user_saved, sender=user, dispatch_uid="version-save-user")
    post_delete.connect(bump, sender=user, dispatch_uid="version-delete-user")
    # Roles: permissions and group names are cached per version too (gfmd_tracker.auth).
    from django.contrib.auth.models import Group, Permission

    for model in (Group, Permission):
        post_save.connect(bump, sender=model, dispatch_uid=f"version-save-{model._meta.label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"version-delete-{model._meta.label}")
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"version-m2m-{through._meta.label}")
    for label in TRACKED_APPS:
        for model in apps.get_app_config(label).get_models():
            if model is DataVersion or model.__name__.startswith("Historical"):
                continue
            post_save.connect(bump, sender=model, dispatch_uid=f"version-save-{model._meta.label}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"version-delete-{model._meta.label}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(bump, sender=field.remote_field.through,
                                    dispatch_uid=f"version-m2m-{field.remote_field.through._meta.label}")
