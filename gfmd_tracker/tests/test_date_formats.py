"""Dates in one style, "11 Nov 2010" and times "14:05", on pages, the timeline and the admin; files keep ISO."""

import csv
import datetime
import re

import pytest
from django.urls import reverse

from recommendations.models import Status
from recommendations.tests.test_item_page import URL, loans

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 4, 14, 5, tzinfo=datetime.UTC)  # the site's zone is UTC in the tests


@pytest.fixture
def updated(editor):
    loans().record_update(by=editor, note="Due next summer.", at=AT, status=Status.PLANNED, progress=5,
                          due_date=datetime.date(2027, 6, 30), owner=editor)
    return loans()


def test_an_item_page_shows_dates_and_times_in_the_one_style(client, editor, updated):
    client.force_login(editor)
    body = client.get(URL).content.decode()
    assert "<div><dt>Due date</dt><dd>30 Jun 2027</dd></div>" in body
    assert '<time datetime="2026-03-04T14:05:00+00:00">4 Mar 2026, 14:05</time>' in body
    assert '<time datetime="2010-11-11T' in body and ">11 Nov 2010, " in body
    assert "<li>Progress: 0% → <strong>5%</strong></li>" in body
    assert "<li>Due date: <strong>30 Jun 2027</strong></li>" in body


def test_the_list_shows_the_due_and_last_update_dates_in_the_one_style(client, editor, updated):
    client.force_login(editor)
    body = client.get("/recommendations/?session=2.1").content.decode()
    assert '<td data-label="Due">30 Jun 2027</td>' in body
    assert '<td data-label="Last update">4 Mar 2026</td>' in body


def test_the_admin_shows_dates_and_times_in_the_one_style(editor_client, updated):
    changelist = editor_client.get(reverse("admin:recommendations_recommendation_changelist") + "?q=2.1")
    assert re.search(r'<td class="field-due[^"]*">30 Jun 2027</td>', changelist.content.decode())
    change = editor_client.get(reverse("admin:recommendations_recommendation_change", args=[updated.pk]))
    body = change.content.decode()
    assert "4 Mar 2026, 14:05" in body
    assert "a.m." not in body and "p.m." not in body
    assert 'name="due_date" value="2027-06-30"' in body  # a date box shows ISO, as the browser's picker sends


def test_exports_keep_iso_dates_and_24_hour_times(editor_client, updated):
    response = editor_client.get("/recommendations/export.csv?session=2.1")
    rows = list(csv.DictReader(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()))
    row = next(r for r in rows if r["number"] == "3")
    assert (row["due_date"], row["progress"], row["last_update"]) == ("2027-06-30", "5", "2026-03-04 14:05")


def test_a_date_typed_day_first_is_still_read(client, editor):
    client.force_login(editor)
    response = client.post(URL + "update/", {"version": loans().version, "note": "Moved.", "due_date": "01/11/2027"})
    assert response.status_code == 302
    assert loans().due_date == datetime.date(2027, 11, 1)
