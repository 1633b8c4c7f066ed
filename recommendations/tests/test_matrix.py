"""The status matrix: sessions by status, now or as of a past date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db

MATRIX = reverse("recommendations:matrix")


def test_the_matrix_counts_sessions_by_status_and_links_each_count(viewer_client):
    response = viewer_client.get(MATRIX)
    matrix = response.context["matrix"]
    rows = {row.session.code: row for group in matrix.groups for row in group.rows}
    assert {code: row.total for code, row in rows.items()} == {
        "1.1": 8, "1.2": 10, "2.1": 8, "2.2": 6, "3.1": 5, "3.2": 3, "3.3": 5,
    }
    assert rows["2.1"].counts == {Status.NOT_STARTED: 7, Status.IN_PROGRESS: 1}
    assert matrix.total.total == 45 and matrix.total.share_closed == 0
    assert [g.subtotal.total for g in matrix.groups] == [18, 14, 13]
    body = response.content.decode()
    assert 'href="/recommendations/?meeting=2010&amp;session=2.1&amp;status=in_progress">1</a>' in body


def test_the_matrix_takes_the_lists_filters(viewer_client):
    matrix = viewer_client.get(MATRIX, {"theme": "gender"}).context["matrix"]
    assert matrix.total.total == len(Recommendation.objects.filter(themes__slug="gender"))
    body = viewer_client.get(MATRIX, {"theme": "gender"}).content.decode()
    assert "theme=gender&amp;meeting=2010&amp;session=" in body


def test_share_closed_counts_implemented_and_not_pursued(viewer_client, editor):
    for number in (1, 2):
        rec = Recommendation.objects.get_by_natural_key(2010, "3.2", number)
        rec.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS)
        rec.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url="https://example.org/done")
    matrix = viewer_client.get(MATRIX).context["matrix"]
    row = next(r for g in matrix.groups for r in g.rows if r.session.code == "3.2")
    assert (row.closed, row.share_closed) == (2, 67)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_the_matrix_as_of_a_past_date_is_read_from_the_timeline(viewer_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    rec.record_update(by=editor, note="Planned.", status=Status.PLANNED, at=at(datetime.date(2011, 3, 1)))
    rec.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS, at=at(datetime.date(2011, 9, 1)))

    def counts(day):
        matrix = viewer_client.get(MATRIX, {"as_of": day}).context["matrix"]
        return next(r for g in matrix.groups for r in g.rows if r.session.code == "1.1").counts

    assert viewer_client.get(MATRIX, {"as_of": "2010-11-10"}).context["matrix"].total.total == 0
    # 1.1/8 is in progress as of the report (README, "The data"); the other seven not started.
    assert counts("2010-12-31") == {Status.NOT_STARTED: 7, Status.IN_PROGRESS: 1}
    assert counts("2011-06-30") == {Status.NOT_STARTED: 6, Status.PLANNED: 1, Status.IN_PROGRESS: 1}
    assert counts("2011-12-31") == {Status.NOT_STARTED: 6, Status.IN_PROGRESS: 2}
    assert counts(timezone.localdate().isoformat()) == {Status.NOT_STARTED: 6, Status.IN_PROGRESS: 2}


def test_a_later_note_leaves_the_status_as_of_a_date(viewer_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    rec.record_update(by=editor, note="Planned.", status=Status.PLANNED, at=at(datetime.date(2011, 3, 1)))
    rec.record_update(by=editor, note="Just a note.", at=at(datetime.date(2011, 5, 1)))

    def counts(day):
        matrix = viewer_client.get(MATRIX, {"as_of": day}).context["matrix"]
        return next(r for g in matrix.groups for r in g.rows if r.session.code == "1.1").counts

    seeded = {Status.IN_PROGRESS: 1}  # 1.1/8, as of the report
    assert counts("2011-02-28") == {Status.NOT_STARTED: 7, **seeded}
    assert counts("2011-03-01") == {Status.NOT_STARTED: 6, Status.PLANNED: 1, **seeded}  # changed at 10:00 that day
    assert counts("2011-06-30") == {Status.NOT_STARTED: 6, Status.PLANNED: 1, **seeded}


def test_the_matrix_groups_its_counts_in_thousands_but_not_in_its_links():
    from types import SimpleNamespace as Row

    from django.http import QueryDict
    from django.template.loader import render_to_string

    session = Row(code="1.1", title="Labour mobility", meeting=Row(year=2015))
    row = Row(session=session, cells=lambda: [("planned", 12_345), ("stalled", 0)], total=12_345, share_closed=0)
    group = Row(label="Roundtable 1", rows=[row], subtotal=row)
    html = render_to_string("recommendations/partials/matrix_body.html", {
        "matrix": Row(groups=[group], statuses=["planned", "stalled"]), "list_url": "/recommendations/",
        "keep": QueryDict(), "as_of": None})
    assert ">12,345</a>" in html and "<td class=\"num\">12,345</td>" in html
    assert "meeting=2015&amp;session=1.1&amp;status=planned" in html


def test_the_matrix_filter_form_shows_each_requests_values_and_new_choices_though_its_fields_are_cached(viewer_client):
    from recommendations.models import Theme

    def form(**params):
        body = viewer_client.get(MATRIX, params).content.decode()
        return body[body.index('aria-label="Filters"'):body.index("</form>", body.index('aria-label="Filters"'))]

    assert 'name="q" value="migrants"' in form(q="migrants")
    assert 'name="q" value="diaspora"' in form(q="diaspora")  # another request, its own value
    wrong_date = form(due_after="2011-02-30")
    assert 'value="2011-02-30"' in wrong_date and "Enter a valid date." in wrong_date
    assert 'value="newcomers"' not in form(q="migrants")
    Theme.objects.create(name="Newcomers", slug="newcomers")  # a change of the data: a new choice
    assert '<input type="checkbox" name="theme" value="newcomers"' in form(q="migrants")


def test_the_matrix_filter_fields_are_drawn_once_per_data_version_and_request_values(viewer_client):
    def widgets_drawn():
        response = viewer_client.get(MATRIX, {"q": "migrants", "meeting": "2010"})
        return [t.name for t in response.templates if t.name and t.name.startswith("django/forms/widgets/")]

    assert "django/forms/widgets/select.html" in widgets_drawn()  # the country and meeting lists, drawn
    assert "django/forms/widgets/select.html" not in widgets_drawn()  # then taken from the cache
