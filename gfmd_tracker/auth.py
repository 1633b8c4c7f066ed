"""Permissions and roles read once per user and change of the data, not on every request.

Django's ModelBackend reads a user's permissions with two queries on every request that
checks one, and the page header names the user's roles with a third. Roles change rarely;
every change of a group, a permission or a membership raises the data version
(`recommendations.versioning`), so a cached set is never used after such a change: the
next request reads it afresh.
"""

from django.contrib.auth.backends import ModelBackend

from recommendations import versioning


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            def read():
                return frozenset(super(CachedPermissionsBackend, self).get_all_permissions(user_obj))

            user_obj._perm_cache = versioning.cached(f"permissions|{user_obj.pk}|{user_obj.is_superuser}", read)
        return user_obj._perm_cache


def role_names(user):
    """The names of the user's groups (their roles), cached like their permissions."""
    if not user.is_authenticated:
        return []
    return versioning.cached(f"roles|{user.pk}",
                             lambda: list(user.groups.order_by("name").values_list("name", flat=True)))
