import io
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

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


def test_demo_users_get_fresh_passwords_printed_once_per_run():
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    lines = [line.split() for line in out.getvalue().splitlines()[1:]]
    assert [line[:2] for line in lines] == [
        ["viewer", "viewer"], ["staff", "staff"], ["editor", "editor"], ["administrator", "admin"],
    ]
    User = get_user_model()
    for role, username, password in lines:
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert list(user.groups.values_list("name", flat=True)) == [role]
    assert User.objects.get(username="editor").is_staff
    assert not User.objects.get(username="staff").is_staff
    assert User.objects.get(username="admin").is_superuser

    call_command("create_demo_users", stdout=io.StringIO())
    assert not User.objects.get(username="viewer").check_password(lines[0][2])
    assert User.objects.filter(username__in=["viewer", "staff", "editor", "admin"]).count() == 4


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
