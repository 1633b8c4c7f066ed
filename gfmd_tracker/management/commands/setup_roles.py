from django.core.management.base import BaseCommand

from gfmd_tracker.roles import setup_roles


class Command(BaseCommand):
    help = "Create or refresh the groups viewer, staff, editor and administrator with their permissions."

    def handle(self, *args, **options):
        for name, group in setup_roles().items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions")
