"""Demo accounts for `make run` (never a production deployment): one per role, fresh passwords printed once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from gfmd_tracker.roles import ADMINISTRATOR, EDITOR, ROLES, setup_roles


class Command(BaseCommand):
    help = "Create (or reset the passwords of) the demo accounts viewer, staff, editor and admin."

    def handle(self, *args, **options):
        groups = setup_roles()
        User = get_user_model()
        lines = []
        for role in ROLES:
            username = "admin" if role == ADMINISTRATOR else role
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            # Editors and administrators work in the Django admin; only administrators manage accounts.
            user.is_staff = role in (EDITOR, ADMINISTRATOR)
            user.is_superuser = role == ADMINISTRATOR
            user.save()
            user.groups.set([groups[role]])
            lines.append(f"  {role:<14} {username:<8} {password}")
        self.stdout.write("Demo accounts (role, username, password) — new passwords on every start:")
        self.stdout.write("\n".join(lines))
