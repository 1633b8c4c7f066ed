"""Filtered lists, exports and the status matrix against the seeded report."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Project
from recommendations.models import Actor, Recommendation, SessionParticipant, Status

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")
MATRIX = reverse("recommendations:matrix")


def keys(response):
    return [r.natural_key()[1:] for r in response.context["page"].paginator.object_list]


def in_session(code):
    return {"meeting": 2010, "session": code}


def test_session_2_1_has_8_rows(viewer_client):
    response = viewer_client.get(LIST, in_session("2.1"))
    assert keys(response) == [("2.1", n) for n in range(1, 9)]
    assert "Showing 1–8 of 8" in response.content.decode()


def test_theme_filter_finds_everything_on_children(viewer_client):
    response = viewer_client.get(LIST, {"theme": "family-children"})
    assert keys(response) == [("1.2", 9), ("2.2", 1), ("2.2", 2), ("2.2", 3), ("2.2", 5)]


def test_owner_filter_knows_unassigned(viewer_client, editor, staff):
    Recommendation.objects.get_by_natural_key(2010, "3.2", 1).record_update(by=editor, note="x", owner=staff)
    assert len(keys(viewer_client.get(LIST, {"owner": "none"}))) == 44
    assert keys(viewer_client.get(LIST, {"owner": staff.pk})) == [("3.2", 1)]


def test_several_statuses_at_once(viewer_client):
    assert keys(viewer_client.get(LIST, {"status": ["in_progress", "planned"]})) == [("2.1", 1), ("3.1", 3)]


def test_country_and_co_chair_filters(viewer_client):
    kenya = Actor.objects.get(name="Kenya")
    assert len(keys(viewer_client.get(LIST, {"country": "KE"}))) == 8 + 5  # team member of 2.1, co-chair of 3.1
    assert keys(viewer_client.get(LIST, {"co_chair": kenya.pk})) == [("3.1", n) for n in range(1, 6)]
    uae = Actor.objects.get(short_name="UAE")
    assert keys(viewer_client.get(LIST, {"responsible": uae.pk})) == [("2.1", 1)]


def test_overdue_stale_and_updated_since(viewer_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    rec.record_update(by=editor, note="Due long ago.", due_date=datetime.date(2011, 6, 30))
    assert keys(viewer_client.get(LIST, {"overdue": "on"})) == [("1.1", 1)]
    # Everything else was last updated in November 2010.
    assert len(keys(viewer_client.get(LIST, {"stale": 90}))) == 44
    today = timezone.localdate().isoformat()
    assert keys(viewer_client.get(LIST, {"updated_since": today})) == [("1.1", 1)]


def test_free_text_searches_text_titles_and_notes(viewer_client, editor):
    assert keys(viewer_client.get(LIST, {"q": "Virtual Library"})) == [("3.2", 1)]
    assert keys(viewer_client.get(LIST, {"q": "unaccompanied children"})) == [("1.2", 9)]
    Recommendation.objects.get_by_natural_key(2010, "3.3", 4).record_update(by=editor, note="Puebla Process briefing")
    assert keys(viewer_client.get(LIST, {"q": "puebla"})) == [("3.3", 4)]


def test_a_search_pages_the_same_whether_or_not_it_is_the_only_filter(viewer_client, editor, monkeypatch):
    """A search alone pages by slicing its matches (PostgreSQL); with any other filter or a
    sort the database pages it. Both give the same rows, pages and count."""
    from recommendations import views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    Recommendation.objects.get_by_natural_key(2010, "3.3", 4).record_update(by=editor, note="Migrants' rights first")
    def page(response):
        return [r.natural_key()[1:] for r in response.context["page"].object_list]

    alone, sorted_too = [], []
    for number in (1, 2, 3, 99):  # 99: past the end shows the last page
        a = viewer_client.get(LIST, {"q": "migrants", "page": number})
        b = viewer_client.get(LIST, {"q": "migrants", "sort": "session", "page": number})
        assert a.context["page"].paginator.count == b.context["page"].paginator.count > 8
        assert a.context["page"].number == b.context["page"].number
        alone.append(page(a))
        sorted_too.append(page(b))
    assert alone == sorted_too
    first_pages = alone[0] + alone[1] + alone[2]
    assert len(first_pages) == len(set(first_pages)) >= 9
    assert alone[3] == page(viewer_client.get(LIST, {"q": "migrants", "page": a.context["page"].paginator.num_pages}))
    assert ("3.3", 4) in first_pages + alone[3]
    assert first_pages == sorted(first_pages, key=lambda key: (key[0].split("."), key[1]))


@pytest.mark.postgresql
@pytest.mark.parametrize("filters", [{"status": "not_started"}, {"roundtable": "1"}, {"theme": "gender"}])
def test_a_search_with_other_filters_pages_as_the_database_would(viewer_client, monkeypatch, filters):
    """With other filters, the search's order is kept for the rows the filters keep (PostgreSQL);
    the same list sorted explicitly (the database's own paging) has the same pages."""
    from recommendations import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    query = {"q": "migration", **filters}
    first = viewer_client.get(LIST, query)
    count = first.context["page"].paginator.count
    assert count == viewer_client.get(LIST, {**query, "sort": "session"}).context["page"].paginator.count > 0
    for number in range(1, first.context["page"].paginator.num_pages + 1):
        ours = viewer_client.get(LIST, {**query, "page": number}).context["page"].object_list
        database = viewer_client.get(LIST, {**query, "sort": "session", "page": number}).context["page"].object_list
        assert [r.pk for r in ours] == [r.pk for r in database]


@pytest.mark.postgresql
@pytest.mark.parametrize("estimate", [0, 10**6])  # too many found when listing them, or by the estimate
def test_a_search_matching_too_many_to_list_shows_and_exports_the_same(viewer_client, editor, monkeypatch, estimate):
    """A search matching more items than are worth listing (PostgreSQL: more than
    SEARCH_ID_LIST_LIMIT, or so PostgreSQL estimates) checks each row as the list is walked,
    and is counted, exported and aggregated as one set: the same rows, pages, counts,
    downloads and matrix as a search whose matches are listed."""
    from recommendations import filters, versioning, views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    Recommendation.objects.get_by_natural_key(2010, "3.3", 4).record_update(by=editor, note="Migrants' rights first")
    queries = [{"q": "migrants"}, {"q": "migrants", "sort": "-due"}, {"q": "migrants", "page": 3},
               {"q": "migrants", "status": "not_started", "page": 2}, {"q": "rights migrants", "sort": "owner"}]

    def seen():
        shown = []
        for query in queries:
            response = viewer_client.get(LIST, query)
            download = viewer_client.get(reverse("recommendations:export", args=["csv"]), query)
            shown.append((response.context["page"].paginator.count,
                          [r.pk for r in response.context["page"].object_list],
                          b"".join(download.streaming_content),
                          response.context["filter"].broad_search))
        matrix = viewer_client.get(MATRIX, {"q": "migrants"}).context["matrix"]
        return shown, (matrix.total.total, [row.total for group in matrix.groups for row in group.rows])

    listed, listed_matrix = seen()
    assert not any(broad for *_, broad in listed)
    versioning.clear()
    monkeypatch.setattr(filters, "SEARCH_ID_LIST_LIMIT", 2)
    monkeypatch.setattr(filters, "estimated_rows", lambda queryset: estimate)
    walked, walked_matrix = seen()
    assert [shown[:3] for shown in walked] == [shown[:3] for shown in listed]
    assert walked_matrix == listed_matrix
    assert listed[0][0] > 8 and listed[2][1]  # many matches, and a third page
    assert all(broad for *_, broad in walked)


def test_sorting_by_a_column(viewer_client):
    first = keys(viewer_client.get(LIST, {"sort": "-number"}))[0]
    assert first == ("1.2", 10)


@pytest.mark.parametrize("params", [
    {"due_after": "31/31/2011"}, {"status": "finished"}, {"page": "99999"}, {"sort": "password"},
    {"owner": "999999"}, {"stale": "-4"}, {"session": "abc"}, {"page": "x"},
])
def test_bad_filters_get_a_page_never_a_500(viewer_client, params):
    response = viewer_client.get(LIST, params)
    assert response.status_code == 200


def test_a_bad_date_is_explained(viewer_client):
    body = viewer_client.get(LIST, {"due_after": "31/31/2011"}).content.decode()
    assert "Enter a valid date." in body


def test_the_csv_export_holds_exactly_the_filtered_rows(viewer_client):
    response = viewer_client.get(reverse("recommendations:export", args=["csv"]), in_session("2.1"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(r["session"], r["number"]) for r in rows] == [("2.1", str(n)) for n in range(1, 9)]
    first = rows[0]
    assert first["status"] == "In progress" and first["responsible_actors"] == "Switzerland; United Arab Emirates"
    assert first["last_update"].startswith("2010-11-11") and first["last_note"].startswith("Seeded from the report")


def test_the_xlsx_export_holds_the_rows_and_states_the_filters(viewer_client):
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]), {"theme": "climate-change"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("meeting", "session", "number")
    assert [(r[1], r[2]) for r in rows[1:]] == [("3.2", "1"), ("3.2", "2"), ("3.2", "3")]
    about = [tuple(r) for r in book["About this export"].iter_rows(values_only=True)]
    assert ("Filter", "Theme: Climate change") in about and ("Rows", 3) in about


def test_an_xlsx_too_large_is_refused_with_a_message(viewer_client, monkeypatch):
    from recommendations import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 10)
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]), follow=True)
    assert "An Excel file holds at most 10 rows and these filters select 45." in response.content.decode()


def test_unknown_export_formats_are_404(viewer_client):
    assert viewer_client.get("/recommendations/export.pdf").status_code == 404


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
        rec.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED)
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
    assert counts("2010-12-31") == {Status.NOT_STARTED: 8}
    assert counts("2011-06-30") == {Status.NOT_STARTED: 7, Status.PLANNED: 1}
    assert counts("2011-12-31") == {Status.NOT_STARTED: 7, Status.IN_PROGRESS: 1}
    assert counts(timezone.localdate().isoformat()) == {Status.NOT_STARTED: 7, Status.IN_PROGRESS: 1}


def test_what_changed_between_two_dates(viewer_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "2.2", 4)
    rec.record_update(by=editor, note="Planned with the AU.", status=Status.PLANNED, at=at(datetime.date(2011, 2, 1)))
    response = viewer_client.get(reverse("recommendations:changes"), {"start": "2011-01-01", "end": "2011-12-31"})
    label, entries, summary = response.context["sections"][0]
    assert [e.note for e in entries] == ["Planned with the AU."]
    assert summary == [("Not started", "Planned", 1)]
    bad = viewer_client.get(reverse("recommendations:changes"), {"start": "2012-01-01", "end": "2011-01-01"})
    assert "The start date is after the end date." in bad.content.decode()


def test_the_actor_page_says_what_a_country_chairs_joins_and_partners_in(viewer_client):
    mexico = Actor.objects.get(name="Mexico")
    body = viewer_client.get(reverse("recommendations:actor", args=[mexico.pk])).content.decode()
    assert "2.2 Migration, gender and family" in body  # chaired
    assert "Protecting Unaccompanied Migrant Children" in body and "Proposer / owner" in body
    assert "special prosecution of crimes against immigrants" in body
    assert "GFMD Steering Group" in body and "GFMD assessment team" in body


def test_the_dashboard_gives_headline_numbers(viewer_client):
    response = viewer_client.get(reverse("home"))
    assert response.context["total"] == 45
    assert dict(response.context["by_status"])[Status.IN_PROGRESS] == 2
    assert "Where the follow-up stands" in response.content.decode()


@pytest.mark.parametrize("url", [
    LIST, LIST + "?theme=gender&status=not_started&q=migration", MATRIX, MATRIX + "?as_of=2011-01-01",
    reverse("recommendations:changes"), reverse("recommendations:actors"), reverse("home"),
    "/projects/?partner=1", "/recommendations/export.csv", "/recommendations/export.xlsx",
])
def test_report_pages_use_a_bounded_number_of_queries(viewer_client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        response = viewer_client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200


def test_list_query_count_does_not_grow_with_rows(viewer_client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations import versioning

    versioning.clear()  # both with nothing cached (filter choices are cached per data version)
    with CaptureQueriesContext(connection) as few:
        viewer_client.get(LIST, in_session("3.2"))
    versioning.clear()
    with CaptureQueriesContext(connection) as many:
        viewer_client.get(LIST, in_session("1.2"))
    assert len(many) == len(few)


def test_the_fast_export_has_the_same_cells_as_the_spreadsheet_resource(editor, staff):
    from recommendations.imports.resources import RecommendationResource
    from recommendations.views import recommendation_table

    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    rec.record_update(by=editor, note="=2+2 owner set", owner=staff, due_date=datetime.date(2012, 5, 1), progress=40)
    Recommendation.objects.filter(pk=rec.pk).update(title="@risky title", priority="high")
    queryset = Recommendation.objects.all()
    rows = list(recommendation_table(queryset).rows())
    resource = RecommendationResource().export(queryset=queryset)
    assert rows[0][:-2] == resource.headers
    assert [r[:-2] for r in rows[1:]] == [list(r) for r in resource]
    exported = dict(zip(rows[0], next(r for r in rows[1:] if r[:3] == ["2010", "2.1", "1"])))
    assert exported["title"] == "'@risky title" and exported["last_note"] == "'=2+2 owner set"
    assert exported["last_update"] == timezone.localtime(rec.updates.first().created_at).strftime("%Y-%m-%d %H:%M")


@pytest.mark.postgresql
@pytest.mark.parametrize("query", [
    "", "status=not_started&theme=gender", "sort=-due", "sort=owner&q=migration", "sort=-updated&roundtable=2",
    "sort=-progress&stale=30",
])
def test_the_databases_csv_holds_the_same_cells_as_the_python_rows(viewer_client, editor, staff, query):
    """On PostgreSQL the database writes the CSV (COPY); it must match the Python rows exactly,
    filtered or not, in every order (descending, empty values, ties)."""
    from django.http import QueryDict

    from recommendations.filters import RecommendationFilterSet
    from recommendations.views import recommendation_table, recommendations

    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 4)
    rec.record_update(by=editor, note="+ reviewed\nin two lines", owner=staff, due_date=datetime.date(2013, 1, 2))
    Recommendation.objects.filter(pk=rec.pk).update(text="-leading minus", priority="low")
    Recommendation.objects.get_by_natural_key(2010, "3.1", 2).record_update(
        by=editor, note="@ later", due_date=datetime.date(2012, 3, 4))
    response = viewer_client.get(reverse("recommendations:export", args=["csv"]) + "?" + query)
    downloaded = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    filterset = RecommendationFilterSet(QueryDict(query) or None, queryset=recommendations())
    expected = list(recommendation_table(filterset.qs).rows())
    assert downloaded == expected
    assert 1 < len(downloaded) <= 46


def test_the_actor_list_counts_chairs_and_responsibilities(viewer_client, editor):
    from django.db.models import Count, Q

    uae = Actor.objects.get(name="United Arab Emirates")
    Recommendation.objects.get_by_natural_key(2010, "3.3", 1).responsible_actors.add(uae)
    actors = viewer_client.get(reverse("recommendations:actors")).context["actors"]
    expected = Actor.objects.annotate(
        chairs=Count("session_roles", filter=Q(session_roles__role=SessionParticipant.Role.CO_CHAIR), distinct=True),
        responsible=Count("responsible_for_recommendations", distinct=True),
    )
    assert {a.pk: (a.chairs, a.responsible) for a in actors} == {a.pk: (a.chairs, a.responsible) for a in expected}
    assert next(a for a in actors if a.pk == uae.pk).responsible == 2


def test_long_lists_on_an_actor_page_show_the_first_and_link_to_the_rest(viewer_client, monkeypatch):
    from recommendations import views

    monkeypatch.setattr(views, "ACTOR_PAGE_ITEMS", 2)
    iom = Actor.objects.get(short_name="IOM")
    recs = list(Recommendation.objects.order_by("ordinal", "pk")[:3])
    for rec in recs:
        rec.responsible_actors.add(iom)
    response = viewer_client.get(reverse("recommendations:actor", args=[iom.pk]))
    label, items, total, full_list = response.context["responsible_for"][0]
    assert (label, items, total) == ("Recommendations", recs[:2], 3)
    assert full_list == f"/recommendations/?responsible={iom.pk}"
    body = response.content.decode()
    assert "The first 2 of 3." in body and f'href="/recommendations/?responsible={iom.pk}"' in body
    listed = viewer_client.get(full_list).context["page"].paginator.count
    assert listed == 3


def test_the_dashboard_lists_the_projects_updated_last_and_links_to_all(viewer_client, editor, monkeypatch):
    from gfmd_tracker import views as dashboard

    monkeypatch.setattr(dashboard, "RECENT", 1)
    project = Project.objects.order_by("pk").last()
    project.record_update(by=editor, note="Partners met.")
    response = viewer_client.get(reverse("home"))
    assert response.context["projects"] == [project]
    assert "All 3 projects" in response.content.decode()


def test_what_changed_shows_a_new_status_change_at_once(viewer_client, editor):
    url = reverse("recommendations:changes")
    assert viewer_client.get(url).context["sections"][0][1] == []
    Recommendation.objects.get_by_natural_key(2010, "1.2", 2).record_update(
        by=editor, note="Planned with UNICEF.", status=Status.PLANNED)
    label, entries, summary = viewer_client.get(url).context["sections"][0]
    assert [e.note for e in entries] == ["Planned with UNICEF."] and summary == [("Not started", "Planned", 1)]


def test_each_list_row_links_its_item_and_shows_its_dates_as_django_would(viewer_client):
    from django.utils import dateformat
    from django.utils.html import escape

    from recommendations.models import Session

    Recommendation.objects.filter(session__code="2.1", number__in=[1, 2]).update(
        due_date=datetime.date(2011, 9, 30), last_update_at=timezone.make_aware(datetime.datetime(2011, 1, 31, 23, 30)))
    Session.objects.filter(code="3.2").update(code="3.2 é&<x>")  # a code reverse() must quote
    html = viewer_client.get("/recommendations/", {"sort": "session"}).content.decode()
    rows = Recommendation.objects.select_related("session__meeting")
    assert all(f'<a href="{escape(rec.get_absolute_url())}">{escape(rec.title)}</a>' in html for rec in rows)
    assert "/3.2%20%C3%A9&amp;%3Cx%3E/1/" in html and "<td>3.2 é&amp;&lt;x&gt;</td>" in html
    for rec in rows.prefetch_related("themes"):  # each row's themes, in the themes' order
        tags = "".join(f'<span class="tag">{escape(theme.name)}</span> ' for theme in rec.themes.all())
        assert f'<div class="themes">{tags}</div>' in html.split(f'href="{escape(rec.get_absolute_url())}"')[1]
    day = dateformat.format(datetime.date(2011, 9, 30), "j M Y")
    moment = dateformat.format(timezone.localtime(Recommendation.objects.get(session__code="2.1", number=1)
                                                  .last_update_at), "j M Y")
    assert f"<td>{day}</td>" in html and f"<td>{moment}</td>" in html


def test_the_list_reads_only_what_its_rows_show(viewer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert "Low-cost loans for migrants" in viewer_client.get("/recommendations/").content.decode()
    rows = [q["sql"] for q in queries if '"recommendations_recommendation"."title"' in q["sql"]]
    assert rows, "the page read no rows"
    assert not any('"recommendations_recommendation"."text"' in sql or '"auth_user"."password"' in sql for sql in rows)


def test_the_filter_form_shows_each_requests_values_and_errors_though_its_fields_are_cached(viewer_client, editor):
    from django.contrib.auth import get_user_model

    def form(**params):
        response = viewer_client.get(LIST, params)
        html = response.content.decode()
        start = html.index('aria-label="Filters"')
        return html[start:html.index("</form>", start)], response

    def checked(html):
        return re.findall(r'<input type="checkbox" name="status" value="([^"]*)" id="id_status_\d+" checked>', html)

    first, _ = form(status="in_progress")
    assert checked(first) == ["in_progress"]
    again, response = form(status="in_progress", page="1")
    assert again == first  # the page does not change the form
    assert not [t.name for t in response.templates if t.name.startswith("django/forms/")]  # from the cache
    other, _ = form(status="stalled", due_after="2011-02-30")
    assert checked(other) == ["stalled"]
    assert "Enter a valid date." in other
    get_user_model().objects.create_user("newcomer")  # a change of the data: new choices
    assert '>newcomer</option>' in form(status="in_progress")[0]


def test_the_filter_forms_checkbox_lists_are_fieldsets_with_their_legend(viewer_client):
    html = viewer_client.get(LIST).content.decode()
    assert '<fieldset><legend>Status</legend><div id="id_status">' in html
    assert '<fieldset><legend>Theme</legend><div id="id_theme">' in html
    assert "<label><div" not in html  # no list of labels inside a label
    assert '<label><input type="checkbox" name="overdue" id="id_overdue"> Overdue only</label>' in html


def test_a_country_that_is_only_responsible_finds_its_items(viewer_client):
    """Nepal co-chairs and joins no session: its items are those it is responsible for."""
    nepal = Actor.objects.get(name="Nepal")
    assert not nepal.session_roles.exists()
    assert keys(viewer_client.get(LIST, {"country": "NP"})) == []
    for code, number in (("2.2", 4), ("1.1", 6)):
        Recommendation.objects.get_by_natural_key(2010, code, number).responsible_actors.add(nepal)
    assert keys(viewer_client.get(LIST, {"country": "NP"})) == [("1.1", 6), ("2.2", 4)]


@pytest.mark.parametrize(("sort", "ties"), [("-progress", "descending"), ("progress", "ascending")])
def test_ties_in_a_sort_follow_the_id_in_the_same_direction(viewer_client, editor, sort, ties):
    Recommendation.objects.get_by_natural_key(2010, "1.2", 4).record_update(by=editor, note="Some.", progress=30)
    Recommendation.objects.get_by_natural_key(2010, "2.1", 2).record_update(by=editor, note="More.", progress=60)
    rest = [r.natural_key()[1:] for r in sorted(Recommendation.objects.filter(progress=0), key=lambda r: r.pk,
                                                 reverse=ties == "descending")]
    ends = [("2.1", 2), ("1.2", 4)] if ties == "descending" else [("1.2", 4), ("2.1", 2)]
    expected = ends + rest if ties == "descending" else rest + ends
    assert keys(viewer_client.get(LIST, {"sort": sort})) == expected
    assert len(expected) == 45


def test_a_later_note_leaves_the_status_as_of_a_date(viewer_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    rec.record_update(by=editor, note="Planned.", status=Status.PLANNED, at=at(datetime.date(2011, 3, 1)))
    rec.record_update(by=editor, note="Just a note.", at=at(datetime.date(2011, 5, 1)))

    def counts(day):
        matrix = viewer_client.get(MATRIX, {"as_of": day}).context["matrix"]
        return next(r for g in matrix.groups for r in g.rows if r.session.code == "1.1").counts

    assert counts("2011-02-28") == {Status.NOT_STARTED: 8}
    assert counts("2011-03-01") == {Status.NOT_STARTED: 7, Status.PLANNED: 1}  # changed at 10:00 that day
    assert counts("2011-06-30") == {Status.NOT_STARTED: 7, Status.PLANNED: 1}


def test_what_changed_leaves_out_items_created_in_the_period_and_keeps_their_changes(viewer_client, editor):
    from recommendations.models import Session

    new = Recommendation.objects.create(session=Session.objects.get(meeting__year=2010, code="3.3"), number=6,
                                        title="New", text="Added later.")
    new.start_timeline(note="Added in March.", at=at(datetime.date(2011, 3, 1)))
    new.record_update(by=editor, note="Planned in April.", status=Status.PLANNED, at=at(datetime.date(2011, 4, 1)))
    new.record_update(by=editor, note="Started in May.", status=Status.IN_PROGRESS, at=at(datetime.date(2011, 5, 1)))
    response = viewer_client.get(reverse("recommendations:changes"), {"start": "2011-03-01", "end": "2011-04-01"})
    label, entries, summary = response.context["sections"][0]
    assert [e.note for e in entries] == ["Planned in April."]
    assert summary == [("Not started", "Planned", 1)]
    wider = viewer_client.get(reverse("recommendations:changes"), {"start": "2011-01-01", "end": "2011-12-31"})
    label, entries, summary = wider.context["sections"][0]
    assert [e.note for e in entries] == ["Started in May.", "Planned in April."]
    assert sorted(summary) == [("Not started", "Planned", 1), ("Planned", "In progress", 1)]  # a tie: any order


@pytest.fixture
def formula_lookalikes(editor):
    """Cells that a spreadsheet would run as formulas, in plain and many-to-many columns."""
    from conftest import make_user
    from gfmd_tracker.roles import STAFF
    from recommendations.models import Theme

    lookalike = Actor.objects.create(name="=Formula Lookalike", kind=Actor.Kind.OTHER)
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    rec.themes.set([Theme.objects.create(name="Aaa first", slug="-first"), Theme.objects.get(slug="gender")])
    rec.responsible_actors.add(lookalike)
    owner = make_user("-dash", STAFF)
    rec.record_update(by=editor, note="+note from the field", owner=owner)
    Recommendation.objects.filter(pk=rec.pk).update(title="@risky title")
    project = Project.objects.get(title="Developing Migration Profiles")
    project.responsible_actors.set([lookalike])
    Project.objects.filter(pk=project.pk).update(origin="\tTabbed origin")


RECOMMENDATION_CELLS = {
    "title": "'@risky title", "themes": "'-first; gender", "owner": "'-dash",
    "responsible_actors": "'=Formula Lookalike; Switzerland; United Arab Emirates",
    "last_note": "'+note from the field",
}


def downloaded_csv(client, url, query=None):
    response = client.get(url, query or {})
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_csv_export_neutralises_whole_cells_plain_and_many_to_many(viewer_client, formula_lookalikes):
    [row] = downloaded_csv(viewer_client, reverse("recommendations:export", args=["csv"]),
                           {"session": "2.1", "status": "in_progress"})
    assert {column: row[column] for column in RECOMMENDATION_CELLS} == RECOMMENDATION_CELLS
    [project] = [r for r in downloaded_csv(viewer_client, reverse("partnerships:export", args=["csv"]))
                 if r["title"] == "Developing Migration Profiles"]
    assert (project["origin"], project["responsible_actors"]) == ("'\tTabbed origin", "'=Formula Lookalike")


def test_the_xlsx_export_neutralises_whole_cells_plain_and_many_to_many(viewer_client, formula_lookalikes):
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]),
                                 {"session": "2.1", "status": "in_progress"})
    headers, *rows = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    [row] = [dict(zip(headers, r)) for r in rows]
    assert {column: row[column] for column in RECOMMENDATION_CELLS} == RECOMMENDATION_CELLS


def test_the_spreadsheet_resource_neutralises_whole_cells_plain_and_many_to_many(formula_lookalikes):
    from recommendations.imports.resources import RecommendationResource

    exported = RecommendationResource().export(
        queryset=Recommendation.objects.filter(session__code="2.1", number=1))
    row = dict(zip(exported.headers, exported[0]))
    assert {column: row[column] for column in RECOMMENDATION_CELLS if column != "last_note"} == {
        column: cell for column, cell in RECOMMENDATION_CELLS.items() if column != "last_note"}
