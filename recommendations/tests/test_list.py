"""The filtered list of recommendations against the seeded report."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Actor, Recommendation

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
    assert keys(viewer_client.get(LIST, {"status": ["in_progress", "planned"]})) == [
        ("1.1", 8), ("2.1", 1), ("3.1", 3), ("3.3", 3),
    ]


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
    from recommendations.views import lists as views

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
    from recommendations.views import lists as views

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
    from recommendations import db, selectors, versioning
    from recommendations.views import lists as views

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
                          response.context["filter"].text_search.broad))
        matrix = viewer_client.get(MATRIX, {"q": "migrants"}).context["matrix"]
        return shown, (matrix.total.total, [row.total for group in matrix.groups for row in group.rows])

    listed, listed_matrix = seen()
    assert not any(broad for *_, broad in listed)
    versioning.clear()
    monkeypatch.setattr(selectors, "SEARCH_ID_LIST_LIMIT", 2)
    monkeypatch.setattr(db, "estimated_matches", lambda model, text, language: estimate)
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
    assert "/3.2%20%C3%A9&amp;%3Cx%3E/1/" in html and '<td class="code">3.2 é&amp;&lt;x&gt;</td>' in html
    for rec in rows.prefetch_related("themes"):  # each row's themes, in the themes' order
        tags = "".join(f'<span class="tag">{escape(theme.name)}</span> ' for theme in rec.themes.all())
        assert f'<div class="themes">{tags}</div>' in html.split(f'href="{escape(rec.get_absolute_url())}"')[1]
    day = dateformat.format(datetime.date(2011, 9, 30), "j M Y")
    moment = dateformat.format(timezone.localtime(Recommendation.objects.get(session__code="2.1", number=1)
                                                  .last_update_at), "j M Y")
    assert f'<td data-label="Due">{day}</td>' in html and f'<td data-label="Last update">{moment}</td>' in html


def test_the_list_reads_only_what_its_rows_show(viewer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert "Low-cost loans for migrants" in viewer_client.get("/recommendations/").content.decode()
    rows = [q["sql"] for q in queries if '"recommendations_recommendation"."title"' in q["sql"]]
    assert rows, "the page read no rows"
    assert not any('"recommendations_recommendation"."text"' in sql or '"auth_user"."password"' in sql for sql in rows)


def test_the_filter_form_shows_each_requests_values_and_errors_though_its_fields_are_cached(viewer_client, editor):
    from recommendations.models import Theme

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
    Theme.objects.create(name="Newcomers", slug="newcomers")  # a change of the data: new choices
    assert '<input type="checkbox" name="theme" value="newcomers"' in form(status="in_progress")[0]


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


def test_large_counts_and_page_numbers_are_grouped_in_thousands(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(range(299_292), 50).page(3)
    html = render_to_string("partials/pagination.html", {"page": page}, request=rf.get("/", {"q": "forum"}))
    assert "Showing 101–150 of 299,292" in html
    assert "Page 3 of 5,986" in html
    assert "page=5986" in html  # the links keep plain numbers


def test_the_filter_form_waits_behind_its_button_and_opens_itself_on_an_error(viewer_client):
    def toggle(**params):
        html = viewer_client.get(LIST, params).content.decode()
        return re.search(r'<details class="filters-toggle"[^>]*>\s*<summary>[^<]*</summary>', html).group(0)

    assert toggle() == '<details class="filters-toggle">\n<summary>Filters</summary>'
    assert toggle(status="stalled", q="map") == '<details class="filters-toggle">\n<summary>Filters (2 set)</summary>'
    assert toggle(due_after="2011-02-30").startswith('<details class="filters-toggle" open>')
