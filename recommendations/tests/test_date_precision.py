"""A due date at its precision (a day, a month, a year): stored as the period's last day, shown and exported
as precisely as it is known, imported from "2013", "2013-01" or "2013-01-31"; a timeline entry known to a
month shown as the month. README, "The data"."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import dates
from recommendations.imports.resources import FollowUpItemResource, RecommendationResource
from recommendations.models import FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db

ITEM = "/recommendations/2010/2.1/3/"

# (precision, the date stored: the period's last day, as the pages show it, as spreadsheets write it)
PRECISIONS = [
    ("year", datetime.date(2013, 12, 31), "2013", "2013"),
    ("month", datetime.date(2013, 1, 31), "January 2013", "2013-01"),
    ("day", datetime.date(2013, 1, 31), "31 Jan 2013", "2013-01-31"),
]


def loans():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 3)


def assessment():
    return FollowUpItem.objects.get_by_natural_key(2010, "FOF", 1)


@pytest.mark.parametrize(("text", "first", "precision", "last"), [
    ("2013", datetime.date(2013, 1, 1), "year", datetime.date(2013, 12, 31)),
    ("2013-01", datetime.date(2013, 1, 1), "month", datetime.date(2013, 1, 31)),
    ("2012-02", datetime.date(2012, 2, 1), "month", datetime.date(2012, 2, 29)),  # a leap year
    ("2013-01-05", datetime.date(2013, 1, 5), "day", datetime.date(2013, 1, 5)),
])
def test_a_written_date_is_read_at_its_precision_and_stored_as_the_periods_last_day(text, first, precision, last):
    assert dates.parse(text) == (first, precision)
    assert dates.last_day(first, precision) == last


@pytest.mark.parametrize("text", ["2013-13", "soon", "13", "2013-02-30", "2013/01", "", "２０１３", "2013-０1"])
def test_anything_else_is_refused_with_what_is_accepted(text):
    with pytest.raises(ValueError, match=r"is not a date: write a day \(2027-03-31\), a month \(2027-03\) or a "
                                         r"year \(2027\)\.$"):
        dates.parse(text)


def test_an_item_due_in_a_year_is_overdue_from_the_next_new_year_only(monkeypatch, editor):
    item = assessment()  # due 2013 (line 841), in progress
    assert (item.due_date_precision, item.status) == ("year", Status.IN_PROGRESS)
    overdue = FollowUpItem.objects.filter(pk=item.pk).overdue
    assert not overdue(today=datetime.date(2013, 12, 31)).exists()
    assert overdue(today=datetime.date(2014, 1, 1)).exists()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2013, 12, 31))
    assert not item.is_overdue
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2014, 1, 1))
    assert item.is_overdue


@pytest.mark.parametrize(("precision", "stored", "shown", "written"), PRECISIONS)
def test_the_item_page_list_and_exports_show_a_due_date_at_its_precision(editor_client, editor, precision, stored,
                                                                        shown, written):
    loans().record_update(by=editor, note="Due as the partners said.", due_date=stored, due_date_precision=precision)
    page = editor_client.get(ITEM).content.decode()
    assert f"<div><dt>Due date</dt><dd>{shown}</dd></div>" in page
    assert f"<li>Due date: <strong>{shown}</strong></li>" in page  # the timeline entry's change
    listed = editor_client.get(reverse("recommendations:list"), {"meeting": 2010, "session": "2.1"}).content.decode()
    assert f'<td data-label="Due">{shown}</td>' in listed
    response = editor_client.get(reverse("recommendations:export", args=["csv"]), {"session": "2.1"})
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    assert next(r for r in rows if r["number"] == "3")["due_date"] == written
    response = editor_client.get(reverse("recommendations:export", args=["xlsx"]), {"session": "2.1"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    row = next(r for r in rows if r[2] == "3")
    assert row[header.index("Due date")] == written
    # The admin's spreadsheet (django-import-export), which imports it back (below).
    assert RecommendationResource().export(queryset=Recommendation.objects.filter(pk=loans().pk)).dict[0][
        "due_date"] == written


def test_the_seeded_assessment_shows_its_due_year_on_its_page_list_and_export(editor_client):
    page = editor_client.get(assessment().get_absolute_url()).content.decode()
    assert "<div><dt>Due date</dt><dd>2013</dd></div>" in page
    assert "<li>Due date: <strong>2013</strong></li>" in page
    listed = editor_client.get(reverse("recommendations:follow_up_list"), {"session": "FOF"}).content.decode()
    assert '<td data-label="Due">2013</td>' in listed
    response = editor_client.get(reverse("recommendations:follow_up_export", args=["csv"]), {"session": "FOF"})
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    assert [r["due_date"] for r in rows if r["number"] == "1"] == ["2013"]


def test_an_entry_the_report_dates_to_a_month_is_shown_as_the_month(editor_client):
    """2.1/1's Dubai workshop, "in January 2011" (line 461): on its page, in the list and the dashboard."""
    page = editor_client.get("/recommendations/2010/2.1/1/").content.decode()
    assert '<time datetime="2011-01-01T12:00:00+00:00">January 2011</time>' in page
    assert '<time datetime="2010-11-11T12:00:00+00:00">11 Nov 2010, 12:00</time>' in page  # the meeting's
    listed = editor_client.get(reverse("recommendations:list"), {"meeting": 2010, "session": "2.1"}).content.decode()
    row = listed[listed.index('href="/recommendations/2010/2.1/1/"'):]
    assert row[:row.index("</tr>")].endswith('<td data-label="Last update">January 2011</td>\n        ')


def test_a_due_date_set_in_the_update_form_is_a_day(client, editor):
    item = assessment()
    client.force_login(editor)
    response = client.post(item.get_absolute_url() + "update/", {
        "version": item.version, "note": "The HLD moved.", "due_date": "2013-10-03",
        "due_date_reason": "The HLD moved."})
    assert response.status_code == 302
    item = assessment()
    assert (item.due_date, item.due_date_precision) == (datetime.date(2013, 10, 3), "day")
    entry = item.updates.first()
    assert (entry.due_date_before, entry.due_date_precision_before) == (datetime.date(2013, 12, 31), "year")
    assert (entry.due_date_after, entry.due_date_precision_after) == (datetime.date(2013, 10, 3), "day")
    assert entry.changes() == [("due date", "2013", "3 Oct 2013")]


def test_a_note_alone_leaves_a_year_precision_due_date_as_it_was(client, editor):
    item = assessment()
    client.force_login(editor)
    client.post(item.get_absolute_url() + "update/", {
        "version": item.version, "note": "Still on track.", "due_date": "2013-12-31"})  # the box's own value
    item = assessment()
    assert (item.due_date, item.due_date_precision, item.updates.count()) == (datetime.date(2013, 12, 31), "year", 2)
    assert item.updates.first().changes() == []


@pytest.mark.parametrize(("cell", "stored", "precision"), [
    ("2013", datetime.date(2013, 12, 31), "year"),
    (2013, datetime.date(2013, 12, 31), "year"),  # a number in an Excel cell
    ("2013-01", datetime.date(2013, 1, 31), "month"),
    ("2013-01-31", datetime.date(2013, 1, 31), "day"),
    (datetime.datetime(2013, 1, 31), datetime.date(2013, 1, 31), "day"),  # a date cell of Excel
])
def test_the_import_reads_a_year_a_month_or_a_day_and_sets_the_precision(editor, cell, stored, precision):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(pk=loans().pk))
    data = dataset_with(data, due_date=cell)
    result = RecommendationResource().import_data(data, user=editor)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    item = loans()
    assert (item.due_date, item.due_date_precision) == (stored, precision)
    entry = item.updates.first()
    assert (entry.due_date_after, entry.due_date_precision_after, entry.author) == (stored, precision, editor)


def test_an_imported_year_for_an_item_due_that_year_changes_nothing(editor):
    data = FollowUpItemResource().export(queryset=FollowUpItem.objects.filter(pk=assessment().pk))
    assert data.dict[0]["due_date"] == "2013"
    result = FollowUpItemResource().import_data(dataset_with(data, due_date="2013"), user=editor)
    assert result.totals["skip"] == 1 and assessment().updates.count() == 1
    result = FollowUpItemResource().import_data(dataset_with(data, due_date="2013-12-31"), user=editor)
    assert result.totals["update"] == 1
    assert assessment().updates.first().changes() == [("due date", "2013", "31 Dec 2013")]


@pytest.mark.parametrize("cell", ["2013-13", "soon", "0001", "２０１３", "２０１３-01-31"])
def test_a_bad_due_date_is_refused_with_a_clear_message_and_nothing_changes(editor, cell):
    """Quoting the cell as written ("0001", not the number it reads as); full-width digits are no date."""
    before = (loans().due_date, loans().due_date_precision, loans().version, loans().updates.count())
    data = dataset_with(RecommendationResource().export(queryset=Recommendation.objects.filter(pk=loans().pk)),
                        due_date=cell)
    result = RecommendationResource().import_data(data, user=editor)
    [row] = result.invalid_rows
    assert row.error_dict == {"due_date": [f"'{cell}' is not a date: write a day (2027-03-31), a month (2027-03) "
                                           "or a year (2027)."]}
    assert (loans().due_date, loans().due_date_precision, loans().version, loans().updates.count()) == before


def admin_change(client, item, **values):
    from recommendations.tests.test_admin import admin_form_data

    url = reverse("admin:recommendations_followupitem_change", args=[item.pk])
    return client.post(url, {**admin_form_data(client.get(url)), **values})


def test_an_editor_moves_a_due_year_in_the_admin_and_it_stays_a_year(editor_client):
    response = admin_change(editor_client, assessment(), due_date="2014-12-31", due_date_reason="A year later.")
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    item = assessment()
    assert (item.due_date, item.due_date_precision) == (datetime.date(2014, 12, 31), "year")
    assert item.updates.first().changes() == [("due date", "2013", "2014")]
    changelist = editor_client.get(reverse("admin:recommendations_followupitem_changelist") + "?q=FOF")
    assert '<td class="field-due">2014</td>' in changelist.content.decode()


def test_a_due_date_inside_its_year_is_refused_in_the_admin_and_nothing_changes(editor_client):
    before = (assessment().due_date, assessment().version, assessment().updates.count())
    response = admin_change(editor_client, assessment(), due_date="2013-06-15")
    assert response.status_code == 200
    assert ("A due date known to the year is stored as its last day: 2013-12-31, or choose the precision day."
            in response.content.decode())
    assert (assessment().due_date, assessment().version, assessment().updates.count()) == before


def dataset_with(data, **cells):
    import tablib

    row = dict(zip(data.headers, data[0]), **cells)
    return tablib.Dataset([row[h] for h in data.headers], headers=data.headers)


@pytest.mark.parametrize(("precision", "stored", "shown", "written"), PRECISIONS)
def test_a_sessions_admin_page_shows_its_recommendations_due_dates_at_their_precision(editor_client, editor,
                                                                                      precision, stored, shown,
                                                                                      written):
    loans().record_update(by=editor, note="Due as the partners said.", due_date=stored, due_date_precision=precision)
    page = editor_client.get(reverse("admin:recommendations_session_change", args=[loans().session_id]))
    cells = re.findall(r'<td class="field-due">\s*<p>(.*?)</p>', page.content.decode())
    assert cells[:8] == ["-", "-", shown, "-", "-", "-", "-", "-"]  # 2.1's eight by number; then the empty form
