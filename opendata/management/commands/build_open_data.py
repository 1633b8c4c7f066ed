import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from opendata import publish


class Command(BaseCommand):
    help = ("Build the open-data ZIP (every public record as CSV and JSON, datapackage.json, the licence) and make "
            "it the one /open-data/ serves. Run it on a schedule (README, \"Public data\") and on demand.")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            build = publish.build()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        rows = sum(table["rows"] for table in build.resources)
        self.stdout.write(f"Built {build.name}: {len(build.resources)} kinds of record, {rows:,} rows, "
                          f"{filesizeformat(build.size)}, in {time.monotonic() - started:.1f} s "
                          f"(data as of {build.built_at:%Y-%m-%d %H:%M:%S} UTC; licence {build.licence}).")
        if options["verbosity"] > 1:
            for table in build.resources:
                self.stdout.write(f"  {table['name']:<26} {table['rows']:>10,} rows")
        self.stdout.write(f"Served at {reverse('opendata:download')}")
