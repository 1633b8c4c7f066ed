from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships.seed import ProjectSeeder
from recommendations.seed import Seeder

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = ("Load the GFMD reports' data from fixtures/ (one folder per meeting). Idempotent: creates only "
            "what it never made before (it finds its records again after any correction, and does not bring "
            "back deleted ones), and never changes existing records or the follow-up staff entered.")

    def add_arguments(self, parser):
        parser.add_argument("folders", nargs="*", help="Fixture folders to load (default: every folder in fixtures/).")

    @transaction.atomic
    def handle(self, *args, folders, **options):
        for path in self.fixture_folders(folders):
            seeder = Seeder(path)
            meeting = seeder.run()
            projects = ProjectSeeder(path)
            projects.run(meeting, seeder.found)
            seeder.load_lineage(meeting)  # its ends may be projects
            self.report(meeting or path.name, seeder.created + projects.created, seeder.left + projects.left)

    def fixture_folders(self, names):
        """The folders named (default: every folder in fixtures/), each holding a meeting.json."""
        paths = [FIXTURES / name for name in names] or sorted(p for p in FIXTURES.iterdir() if p.is_dir())
        missing = [str(p) for p in paths if not (p / "meeting.json").is_file()]
        if missing:
            raise CommandError(f"Not a fixtures folder (no meeting.json): {', '.join(missing)}")
        return paths

    def report(self, meeting, created, left):
        summary = ", ".join(f"{n} {what}" for what, n in sorted(created.items())) or "nothing (already seeded)"
        self.stdout.write(f"{meeting}: created {summary}.")
        if left:  # an earlier version's values, kept: README "The data"
            self.stdout.write('Left as they are (an editor may correct them; see README "The data"): '
                              f"{'; '.join(left)}.")
