"""Dates as precise as the report gives them (README, "The data"): a seeded item's first entry says what the
report says as of the meeting (11 November 2010); an event the report dates later has an entry of its own,
dated as precisely as the report dates it; a due date only where the report states one, with its line.
The expectations are read off the report (fixtures/gfmd2010/report.txt), not off the fixtures."""

import datetime
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from partnerships.models import Project, ProjectPartner, ProjectUpdate
from recommendations import reports
from recommendations.dates import Precision
from recommendations.models import FollowUpItem, FollowUpItemUpdate, Recommendation, RecommendationUpdate, Status

pytestmark = pytest.mark.django_db

REPORT = (Path(settings.BASE_DIR) / "fixtures" / "gfmd2010" / "report.txt").read_text(encoding="utf-8").splitlines()
UTC = datetime.timezone.utc
AS_OF_THE_MEETING = datetime.datetime(2010, 11, 11, 12, tzinfo=UTC)  # its last day (line 843: the closing plenary)
WORKSHOP = ("The UAE and Switzerland co-organized an international workshop on the migrant recruitment industry "
            "in Dubai in January 2011.")
DEADLINE = "The task should be completed in time for the High Level Dialogue in 2013."


def line(number):
    """The report's line, as the fixtures hold its words: emphasis markers (*…*) removed."""
    return REPORT[number - 1].replace("*", "")


def workshop_item():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 1)


def assessment():
    return FollowUpItem.objects.get_by_natural_key(2010, "FOF", 1)


def test_the_dubai_workshop_of_january_2011_is_an_entry_of_its_own_not_the_status_on_11_november_2010():
    assert WORKSHOP in line(461)
    assert "January 2011" in WORKSHOP  # the report dates it to a month
    first, workshop = workshop_item().updates.order_by("created_at", "pk")
    assert (first.created_at, first.created_at_precision) == (AS_OF_THE_MEETING, Precision.TIME)
    assert first.status_after == Status.NOT_STARTED and "line 461" not in first.note
    # Stored at noon UTC on the month's first day; shown as the month.
    assert (workshop.created_at, workshop.created_at_precision) == (
        datetime.datetime(2011, 1, 1, 12, tzinfo=UTC), Precision.MONTH)
    assert (workshop.status_before, workshop.status_after, workshop.author) == (
        Status.NOT_STARTED, Status.IN_PROGRESS, None)
    assert workshop.note == ("Seeded from the report of GFMD 2010 (Puerto Vallarta): RT session 2.1, outcome and "
                             "recommendation 1. Status from January 2011, in progress: "
                             f'"{WORKSHOP}" (report, line 461).')


def test_the_workshop_item_is_in_progress_now_and_its_latest_update_is_known_to_the_month():
    rec = workshop_item()
    assert rec.status == Status.IN_PROGRESS
    assert (rec.last_update_at, rec.last_update_precision) == (
        datetime.datetime(2011, 1, 1, 12, tzinfo=UTC), Precision.MONTH)


def test_the_status_as_of_a_date_reads_the_workshops_entry_from_january_2011():
    items = Recommendation.objects.filter(pk=workshop_item().pk)

    def as_of(day):
        return reports.status_as_of(items, day).get().report_status

    assert as_of(datetime.date(2010, 11, 11)) == Status.NOT_STARTED
    assert as_of(datetime.date(2010, 12, 31)) == Status.NOT_STARTED
    assert as_of(datetime.date(2011, 1, 1)) == Status.IN_PROGRESS


def test_the_assessment_is_due_2013_as_line_841_says_and_its_first_entry_names_the_line():
    assert DEADLINE in line(841)
    [year] = re.findall(r"\b(\d{4})\b", DEADLINE)  # a year, not a day: "in 2013"
    item = assessment()
    # Stored as the year's last day, so that it is overdue from 1 January 2014.
    assert (item.due_date, item.due_date_precision) == (datetime.date(int(year), 12, 31), Precision.YEAR)
    [entry] = item.updates.all()
    assert (entry.due_date_after, entry.due_date_precision_after) == (datetime.date(2013, 12, 31), Precision.YEAR)
    assert entry.note.endswith(
        f' Report line 841. Due {year}, the deadline as the report gives it: "{DEADLINE}" (report, line 841).')
    assert entry.changes()[-1] == ("due date", None, "2013")


def test_no_other_item_has_a_due_date_and_every_other_entry_is_of_the_meeting():
    due = [(type(i).__name__, str(i)) for m in (Recommendation, FollowUpItem, Project)
           for i in m.objects.exclude(due_date=None)]
    assert due == [("FollowUpItem", str(assessment()))]
    later = [entry for model in (RecommendationUpdate, FollowUpItemUpdate, ProjectUpdate)
             for entry in model.objects.exclude(created_at=AS_OF_THE_MEETING)]
    assert [(entry.item, entry.created_at_precision) for entry in later] == [(workshop_item(), Precision.MONTH)]
    # Line 90 plans "an assessment of the GFMD in 2011 and 2012": a plan, not an event; no entry is dated then.
    assert "has taken forward the earlier proposal for an assessment of the GFMD in 2011 and 2012" in line(90)
    assert [e.created_at for e in assessment().updates.all()] == [AS_OF_THE_MEETING]


def test_of_the_lines_the_seed_cites_only_the_workshops_dates_an_event_after_the_meeting():
    """Every line a seeded note quotes or names, checked for a year after 2010: 461 dates the workshop (an
    entry of its own), 841 is the deadline (a due date), 837 speaks of "what will happen beyond 2013" (a
    subject of the debate, not an event)."""
    notes = [note for model in (RecommendationUpdate, FollowUpItemUpdate, ProjectUpdate)
             for note in model.objects.values_list("note", flat=True)]
    notes += list(ProjectPartner.objects.values_list("note", flat=True))
    cited = {int(n) for note in notes for n in re.findall(r"(?:\(report, line |Report line )(\d+)", note)}
    assert len(cited) > 30
    dated_later = {n for n in cited if re.search(r"\b20(1[1-9]|[2-9]\d)\b", line(n))}
    assert dated_later == {461, 837, 841}
    assert "looking at what will happen beyond 2013" in line(837)


def test_a_second_run_adds_no_second_january_2011_entry_and_keeps_what_an_editor_changed(editor):
    rec = workshop_item()
    rec.record_update(by=editor, note="The Dubai follow-up stalled: no funding.", status=Status.STALLED,
                      due_date=datetime.date(2012, 6, 30))
    before = list(rec.updates.values_list("pk", flat=True))
    call_command("seed_gfmd", stdout=io.StringIO())
    rec.refresh_from_db()
    assert (rec.status, rec.due_date, rec.due_date_precision) == (
        Status.STALLED, datetime.date(2012, 6, 30), Precision.DAY)
    assert list(rec.updates.values_list("pk", flat=True)) == before
    assert rec.updates.filter(created_at_precision=Precision.MONTH).count() == 1
    fof = assessment()
    assert (fof.due_date, fof.due_date_precision, fof.updates.count()) == (
        datetime.date(2013, 12, 31), Precision.YEAR, 1)


def test_a_deadline_in_words_only_sets_no_due_date_and_its_entry_quotes_the_words(tmp_path):
    """A fixtures folder (a copy of 2010's as if for another year) whose assessment has a deadline without a
    date: the seed quotes the words and their line and leaves the due date empty, as the report is silent."""
    folder = tmp_path / "gfmd2099"
    shutil.copytree(Path(settings.BASE_DIR) / "fixtures" / "gfmd2010", folder)
    (folder / "lineage.json").unlink()  # names 2010's items
    meeting = json.loads((folder / "meeting.json").read_text(encoding="utf-8"))
    (folder / "meeting.json").write_text(json.dumps({**meeting, "year": 2099}), encoding="utf-8")
    items = json.loads((folder / "follow_up_items.json").read_text(encoding="utf-8"))
    [fof] = [row for row in items if (row["session"], row["number"]) == ("FOF", 1)]
    fof["deadline"] = {"words": "The task should be completed in good time.", "line": 841}
    (folder / "follow_up_items.json").write_text(json.dumps(items), encoding="utf-8")
    call_command("seed_gfmd", str(folder), stdout=io.StringIO())
    item = FollowUpItem.objects.get_by_natural_key(2099, "FOF", 1)
    assert (item.due_date, item.updates.get().due_date_after) == (None, None)
    assert item.updates.get().note.endswith(
        ' Report line 841. The deadline as the report gives it: "The task should be completed in good time." '
        "(report, line 841).")
