import platform
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from recommendations.models import Recommendation
from tools import bench, growth
from tools.scale import SIZES, SYNTHETIC_YEARS


class Command(BaseCommand):
    help = "Build (or reuse) a synthetic dataset, then measure every performance target (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="large",
                            help="the dataset measured (default large); each size wants a database of its own")
        parser.add_argument("--growth", action="store_true", dest="growth_only",
                            help="measure only the rows whose cost may grow with the data (tools/growth.py)")
        parser.add_argument("--save", metavar="FILE", help="also write the growth rows to FILE, for --compare")
        parser.add_argument("--compare", nargs="+", metavar="FILE",
                            help="measure nothing: print the runs saved in these files side by side")

    def handle(self, *args, size, growth_only, save, compare, **options):
        if compare:
            try:
                runs = [growth.load(path) for path in compare]
            except OSError as error:
                raise CommandError(f"No saved run to compare: {error}") from None
            growth.print_growth(runs, self.stdout)
            return
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
        with connection.cursor() as cursor:  # building the dataset and VACUUM take minutes, not seconds
            cursor.execute("SET statement_timeout = 0")
        call_command("setup_roles", stdout=self.stdout)
        call_command("seed_gfmd", stdout=self.stdout)
        wanted = SIZES[size]["recommendations"]
        have = Recommendation.objects.filter(session__meeting__year__range=SYNTHETIC_YEARS).count()
        if have != wanted:
            if have:
                raise CommandError(f"The database holds {have:,} synthetic recommendations, not the {size} dataset's "
                                   f"{wanted:,}: give each size a database of its own, or drop this one and run again.")
            call_command("generate_scale_data", "--size", size, stdout=self.stdout)
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        self.stdout.write(f"VACUUM ANALYZE: {time.monotonic() - started:.0f} s")
        self.stdout.write(f"Machine: {platform.processor() or platform.machine()}, {bench.os.cpu_count()} cores; "
                          f"PostgreSQL {version}; Python {platform.python_version()}")
        self.stdout.write(f"Dataset: {size}, {wanted:,} synthetic recommendations\n")
        results = bench.run(self.stdout, growth=growth_only)
        if save:
            growth.save(results, save, size=size, recommendations=Recommendation.objects.count())
