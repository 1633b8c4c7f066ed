import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from recommendations import versioning
from tools.scale import SIZES, Generator


class Command(BaseCommand):
    help = (
        "Generate synthetic meetings, sessions, recommendations, timelines, users and PfP projects for "
        "benchmarks (fixed random seed). Run it on a database of its own, after seed_gfmd."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="large")
        parser.add_argument("--seed", type=int, default=2010)
        for name in SIZES["large"]:
            parser.add_argument(f"--{name}", type=int, help=f"override the number of {name}")

    def handle(self, *args, size, seed, **options):
        overrides = {name: options[name] for name in SIZES["large"] if options.get(name) is not None}
        generator = Generator(size=size, seed=seed, **overrides)
        generator.log = lambda line: self.stdout.write(f"  {line}")
        started = time.monotonic()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # index builds on 300,000 rows may outlast the request limit
                cursor.execute("SET statement_timeout = 0")
        try:
            generator.run()
        except ValueError as error:
            raise CommandError(str(error)) from None
        versioning.bump()  # written by COPY and bulk inserts, which send no signals
        self.stdout.write(f"Generated the {size} dataset in {time.monotonic() - started:.0f} s.")
