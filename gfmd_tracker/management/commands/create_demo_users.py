"""Demo accounts for `make run` (never a production deployment): one per role, their passwords printed on
every start and kept in a git-ignored file, so that restarting the demo logs nobody out; the staff account
is given a few items, so that "My items" has something to update right away."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from gfmd_tracker.roles import ADMINISTRATOR, EDITOR, ROLES, STAFF, setup_roles
from partnerships.models import Project
from recommendations.models import FollowUpItem, Recommendation

# What the demo staff account owns: the first unowned items of each kind, in report order.
DEMO_ITEMS = ((Recommendation, 3), (FollowUpItem, 1), (Project, 1))


class Command(BaseCommand):
    help = "Create the demo accounts viewer, staff, editor and admin; print their passwords; give staff items."

    def add_arguments(self, parser):
        parser.add_argument("--passwords-file", type=Path, default=settings.BASE_DIR / ".demo-passwords",
                            help="Where the demo passwords are kept between runs (default: .demo-passwords).")
        parser.add_argument("--new-passwords", action="store_true", help="Forget the kept passwords; make new ones.")

    def handle(self, *args, passwords_file, new_passwords, **options):
        groups = setup_roles()
        User = get_user_model()
        usernames = {role: "admin" if role == ADMINISTRATOR else role for role in ROLES}
        passwords = kept_passwords(passwords_file, usernames.values(), new=new_passwords)
        lines = []
        for role, username in usernames.items():
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
            user.set_password(passwords[username])
            # Editors and administrators work in the Django admin; only administrators manage accounts.
            user.is_staff = role in (EDITOR, ADMINISTRATOR)
            user.is_superuser = role == ADMINISTRATOR
            user.save()
            user.groups.set([groups[role]])
            lines.append(f"  {role:<14} {username:<8} {passwords[username]}")
        self.stdout.write(f"Demo accounts (role, username, password), kept in {passwords_file.name} "
                          "(--new-passwords makes new ones):")
        self.stdout.write("\n".join(lines))
        given = give_items(User.objects.get(username=usernames[STAFF]))
        if given:
            self.stdout.write(f"The staff account now owns {given} item(s): see My items.")


def kept_passwords(path, usernames, *, new=False):
    """{username: password}: those in `path` ("username password" lines), and a new random one, written
    there, for each user not in it. The file is created readable by its owner only."""
    known = {}
    if path.exists() and not new:
        for line in path.read_text().splitlines():
            name, _, password = line.strip().partition(" ")
            if name and password:
                known[name] = password
    missing = [name for name in usernames if name not in known]
    if missing:
        known.update({name: secrets.token_urlsafe(9) for name in missing})
        path.touch(mode=0o600)
        path.write_text("".join(f"{name} {password}\n" for name, password in known.items()))
    return known


def give_items(staff):
    """Once (while the staff account owns nothing): the first unowned items of each kind become theirs,
    through record_update (a timeline entry, written by GFMD Tracker). Returns how many."""
    if any(model.objects.owned_by(staff).exists() for model, _ in DEMO_ITEMS):
        return 0
    given = 0
    for model, count in DEMO_ITEMS:
        for item in model.objects.filter(owner=None)[:count]:  # in report order
            item.record_update(by=None, note="Given to the demo staff account by make run.", owner=staff)
            given += 1
    return given
