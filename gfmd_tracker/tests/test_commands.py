import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group

from gfmd_tracker.roles import setup_roles

pytestmark = pytest.mark.django_db


def perms(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_setup_roles_is_idempotent():
    first = {role: perms(role) for role in ("viewer", "staff", "editor", "administrator")}
    setup_roles()
    assert {role: perms(role) for role in first} == first
    assert Group.objects.filter(name__in=first).count() == 4


def test_each_role_adds_to_the_one_before():
    viewer, staff, editor, admin = (perms(r) for r in ("viewer", "staff", "editor", "administrator"))
    assert "view_recommendation" in viewer and "change_recommendation" not in viewer
    assert "add_recommendationupdate" in staff - viewer
    assert {"change_recommendation", "change_project", "add_actor"} <= editor - staff
    assert "change_recommendationupdate" not in editor  # the timeline is append-only
    assert {"add_user", "change_group"} <= admin - editor
    assert viewer < staff < editor < admin


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env["DJANGO_SETTINGS_MODULE"] = "gfmd_tracker.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_the_deploy_check_is_clean_under_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECURE_SSL_REDIRECT")}
    env.update(DJANGO_SETTINGS_MODULE="gfmd_tracker.settings", SECRET_KEY="x" * 60 + "-production-like-key",
               ALLOWED_HOSTS="tracker.example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
