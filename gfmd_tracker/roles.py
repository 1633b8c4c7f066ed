"""The four roles of DESIGN.md as Django groups with their model permissions: `manage.py setup_roles`
creates or refreshes them, and changes nothing unless this file changed."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import pgettext_lazy

VIEWER, STAFF, EDITOR, ADMINISTRATOR = "viewer", "staff", "editor", "administrator"
ROLES = (VIEWER, STAFF, EDITOR, ADMINISTRATOR)
# What the pages call each role (the groups keep their English names, which the code and the data use).
LABELS = {
    VIEWER: pgettext_lazy("role", "Viewer"),
    STAFF: pgettext_lazy("role", "Staff"),
    EDITOR: pgettext_lazy("role", "Editor"),
    ADMINISTRATOR: pgettext_lazy("role", "Administrator"),
}

DOMAIN_APPS = ("recommendations", "partnerships")
TIMELINE_MODELS = ("recommendationupdate", "followupitemupdate", "projectupdate", "actionupdate")
# Written by the database alone (full-text search documents, the migrations 0002_postgresql).
DATABASE_KEPT_MODELS = ("recommendationsearch", "followupitemsearch", "projectsearch")


def is_administrator(user):
    """An administrator by role, or a superuser."""
    return user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()


def give_role(user, role):
    """Makes `user` (saved) hold `role` alone: its group, and the flags it comes with (editors and
    administrators work in the admin; an administrator is a superuser, as the demo accounts are)."""
    user.is_staff = role in (EDITOR, ADMINISTRATOR)
    user.is_superuser = role == ADMINISTRATOR
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.set([Group.objects.get(name=role)])


def permissions_for(role):
    domain = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).exclude(
        content_type__model__in=DATABASE_KEPT_MODELS
    )
    view = domain.filter(codename__startswith="view_")
    if role == VIEWER:
        return view
    log_updates = domain.filter(codename__in=[f"add_{m}" for m in TIMELINE_MODELS])
    if role == STAFF:
        return view | log_updates
    # Editors change everything but the timeline, which is append-only.
    editing = domain.exclude(content_type__model__in=TIMELINE_MODELS) | log_updates | view
    if role == EDITOR:
        return editing
    # Accounts, and their personal API tokens (api.ApiToken).
    accounts = Permission.objects.filter(Q(content_type__app_label__in=("auth", "admin", "api")))
    return editing | accounts


def setup_roles():
    """Create the groups and set their permissions; returns the groups by name."""
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions_for(role))
        groups[role] = group
    return groups
