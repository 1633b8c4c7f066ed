"""The public's latest update at its precision, as the latest update has its own: the seed's entry of 2.1/1 that
the report dates "in January 2011" (line 461) is public, so the public's list says "January 2011" and its
downloads "2011-01"; publishing a later entry, or unpublishing it again, reads the latest public entry's
precision again with its date and note (services.set_entries_public)."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.test import Client

from gfmd_tracker.spreadsheets import column_label
from recommendations import services
from recommendations.dates import Precision
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

REPORT = (Path(settings.BASE_DIR) / "fixtures" / "gfmd2010" / "report.txt").read_text(encoding="utf-8").splitlines()
SESSION = {"meeting": 2010, "session": "2.1"}


def the_month_line_461_names():
    """ "January 2011": the month the report gives the Dubai workshop, read off line 461."""
    found = re.search(r"workshop on the migrant recruitment industry in Dubai in (\w+ \d{4})", REPORT[460])
    assert found, "line 461 no longer dates the Dubai workshop"
    return found.group(1)


def workshop_item():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 1)


def last_update_cell(body, item):
    row = body[body.index(f'href="{item.get_absolute_url()}"'):]
    return re.findall(r'<td data-label="Last update">([^<]*)</td>', row[:row.index("</tr>")])


def public_csv(**query):
    response = Client().get("/recommendations/export.csv", {**SESSION, **query})
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_publics_list_shows_the_month_the_report_gives():
    item = workshop_item()
    assert (item.last_public_update_precision, item.last_public_note) == (Precision.MONTH, item.last_note)
    body = Client().get("/recommendations/", SESSION).content.decode()
    assert last_update_cell(body, item) == [the_month_line_461_names()]  # not "1 Jan 2011"


def test_the_publics_downloads_write_the_month():
    first = public_csv()[0]
    assert (first["number"], first["last_public_update"]) == ("1", "2011-01")
    assert "line 461" in first["last_public_note"]
    response = Client().get("/recommendations/export.xlsx", SESSION)
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    column = rows[0].index(column_label("last_public_update"))
    assert rows[1][column] == "2011-01"


def test_publishing_and_unpublishing_a_later_entry_reads_its_precision_again(staff, editor):
    item = workshop_item()
    entry = item.record_update(by=editor, note="Checked with the co-organisers.")  # internal: now, to the minute
    item.refresh_from_db()
    assert (item.last_public_update_precision, item.last_update_precision) == (Precision.MONTH, Precision.TIME)

    services.set_entries_public([entry], public=True, by=editor)
    item.refresh_from_db()
    assert (item.last_public_update_at, item.last_public_update_precision) == (entry.created_at, Precision.TIME)
    assert public_csv()[0]["last_public_update"] != "2011-01"

    services.set_entries_public([entry], public=False, by=editor)
    item.refresh_from_db()
    assert item.last_public_update_precision == Precision.MONTH
    assert public_csv()[0]["last_public_update"] == "2011-01"
    body = Client().get("/recommendations/", SESSION).content.decode()
    assert last_update_cell(body, item) == [the_month_line_461_names()]


def test_a_public_update_written_at_a_month_keeps_it_for_the_public(editor):
    item = workshop_item()
    item.record_update(by=editor, note="Reported in March 2011.", public=True,
                       at=item.last_update_at.replace(month=3), at_precision=Precision.MONTH)
    item.refresh_from_db()
    assert (item.last_public_update_precision, item.last_public_update_at.month) == (Precision.MONTH, 3)
    assert public_csv()[0]["last_public_update"] == "2011-03"
