"""Cached reports follow the data: any change by any path shows on the next request."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations import versioning
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, Status, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    versioning.clear()


def matrix_cell(client, status):
    response = client.get("/reports/matrix/?meeting=2010")
    return response.context["matrix"].total.counts.get(status, 0)


def test_the_matrix_shows_a_logged_update_at_once(client, editor):
    client.force_login(editor)
    before = matrix_cell(client, Status.PLANNED)
    Recommendation.objects.get_by_natural_key(2010, "1.1", 1).record_update(
        by=editor, note="Planned with IOM.", status=Status.PLANNED)
    assert matrix_cell(client, Status.PLANNED) == before + 1


def test_the_matrix_is_computed_once_per_version(client, editor):
    client.force_login(editor)
    with CaptureQueriesContext(connection) as first:
        client.get("/reports/matrix/?meeting=2010")
    with CaptureQueriesContext(connection) as second:
        client.get("/reports/matrix/?meeting=2010")
    assert any("GROUP BY" in q["sql"] for q in first.captured_queries)
    assert not any("GROUP BY" in q["sql"] for q in second.captured_queries)


@pytest.mark.parametrize("change", ["admin_delete", "m2m", "import", "queryset_delete"])
def test_every_write_path_changes_the_version(editor, change):
    before = versioning.current()
    rec = Recommendation.objects.get_by_natural_key(2010, "2.2", 1)
    if change == "admin_delete":
        rec.delete()
    elif change == "queryset_delete":
        Recommendation.objects.filter(session__code="3.3").delete()
    elif change == "m2m":
        rec.themes.add(Theme.objects.get(slug="gender"))
    elif change == "import":
        data = RecommendationResource().export(queryset=Recommendation.objects.filter(pk=rec.pk))
        data = type(data)(*[[("55" if h == "progress" else v) for h, v in zip(data.headers, row)] for row in data],
                          headers=data.headers)
        assert not RecommendationResource().import_data(data, user=editor).has_validation_errors()
    assert versioning.current() != before


def test_a_list_count_is_cached_and_follows_a_change(client, editor):
    client.force_login(editor)
    url = "/recommendations/?status=planned"
    before = client.get(url).context["page"].paginator.count
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).context["page"].paginator.count == before
    assert not any("COUNT(" in q["sql"] for q in again.captured_queries)
    Recommendation.objects.get_by_natural_key(2010, "3.2", 1).record_update(
        by=editor, note="Planned.", status=Status.PLANNED)
    assert client.get(url).context["page"].paginator.count == before + 1


def test_a_search_finds_a_note_written_after_the_same_search_ran(client, editor):
    client.force_login(editor)
    url = "/recommendations/?q=hydrographic"
    assert client.get(url).context["page"].paginator.count == 0
    Recommendation.objects.get_by_natural_key(2010, "3.3", 2).record_update(
        by=editor, note="A hydrographic survey of the corridor was commissioned.")
    page = client.get(url).context["page"]
    assert page.paginator.count == 1
    assert page.object_list[0].number == 2


def checked_themes(html):
    return re.findall(r'<input type="checkbox" name="theme" value="([^"]*)" id="id_theme_\d+" checked>', html)


def test_the_cached_filter_form_shows_each_requests_selection(client, editor):
    from django.contrib.auth import get_user_model

    client.force_login(editor)
    nadia = get_user_model().objects.create_user("newcomer-nadia")
    body = client.get(f"/recommendations/?owner={nadia.pk}&theme=gender&theme=family-children").content.decode()
    assert re.search(r'<input type="text" name="owner" [^>]*value="newcomer-nadia"', body)
    assert checked_themes(body) == ["family-children", "gender"]
    # The next request with other filters starts from the unmarked fields.
    body = client.get("/recommendations/?theme=diaspora").content.decode()
    assert re.search(r'<input type="text" name="owner" (?![^>]*value=)[^>]*>', body)
    assert checked_themes(body) == ["diaspora"]


def test_an_item_page_is_read_once_per_version_and_shows_every_change(client, editor):
    from recommendations.models import Actor, SessionParticipant

    client.force_login(editor)
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    url = rec.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as again:
        body = client.get(url).content.decode()
    sql = " ".join(q["sql"] for q in again.captured_queries)
    assert "recommendationupdate" not in sql and "sessionparticipant" not in sql and "_themes" not in sql
    assert 'name="csrfmiddlewaretoken"' in body  # the form is the reader's own, never cached
    assert "Ghana" not in body and "Renamed theme" not in body
    # A note logged by another path, a new co-chair and a renamed theme all show on the next request.
    Recommendation.objects.filter(pk=rec.pk).first().record_update(by=None, note="Workshop held in Accra.")
    SessionParticipant.objects.create(session=rec.session, actor=Actor.objects.get(name="Ghana"),
                                      role=SessionParticipant.Role.CO_CHAIR, position=99)
    theme = rec.themes.first()
    theme.name = "Renamed theme"
    theme.save()
    body = client.get(url).content.decode()
    assert "Workshop held in Accra." in body and "Ghana" in body and "Renamed theme" in body


def test_the_cache_keeps_no_more_bytes_than_its_bound_after_many_distinct_searches(settings):
    """A full-text search keeps its matches (up to 100,000 ids, 8 bytes each) under the data
    version; 200 distinct searches of 10,000 matches each would be 16 MB. The process keeps at
    most the configured bytes, measured by what Python still holds afterwards."""
    import gc
    import tracemalloc
    from array import array

    bound = 2 * 2**20
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": "test-bound",
                                   "OPTIONS": {"MAX_BYTES": bound}}}
    versioning.clear()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(200):
            versioning.cached(f"search|recommendations.Recommendation|word{n}",
                              lambda n=n: array("q", [n]) * 10_000)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
        # The latest searches are still kept: the same ids, not computed again.
        latest = versioning.cached("search|recommendations.Recommendation|word199", lambda: None)
    finally:
        tracemalloc.stop()
        versioning.clear()
    assert kept < bound + 100_000, kept
    assert latest == array("q", [199]) * 10_000


def list_row(response, item):
    """The texts of the list row that links to `item`, cell by cell."""
    import html
    import re

    body = response.content.decode()
    link = body.index(f'<a href="{item.get_absolute_url()}">')
    row = body[body.rindex("<tr>", 0, link):body.index("</tr>", link)]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split())) for cell in cells]


def test_the_list_rows_are_drawn_once_per_version_and_show_every_change(client, editor):
    client.force_login(editor)
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    url = "/recommendations/?session=1.1"
    first = client.get(url)
    again = client.get(url)
    drawn = "recommendations/partials/recommendation_row.html"
    assert [t.name for t in first.templates].count(drawn) == 8  # the eight recommendations of sessions 1.1
    assert drawn not in [t.name for t in again.templates]  # the rows' fragment is cached
    days = (timezone.localdate() - datetime.date(2010, 11, 11)).days  # the seeded entry's day: inactive since
    assert list_row(again, rec) == list_row(first, rec) == [
        "", "1.1", "1", "Interactive map and databases on migration flows Data & migration profiles",
        f"Not started Inactive · latest update {days} days ago", "0%", "—", "—", "—", "11 Nov 2010"]

    rec.record_update(by=editor, note="Planned with IOM.", status=Status.PLANNED, progress=10)
    theme = rec.themes.get()
    theme.name = "Renamed theme"
    theme.save()
    today = timezone.localtime(rec.updates.first().created_at)
    assert list_row(client.get(url), rec) == [
        "", "1.1", "1", "Interactive map and databases on migration flows Renamed theme",
        "Planned Current · latest update today", "10%", "—", "—", "—", f"{today.day} {today:%b %Y}"]


def matrix_row(response, code):
    """The cells of a session's row in the matrix table, as text."""
    import re

    html = response.content.decode()
    row = re.search(rf'<tr><th scope="row"><span class="code">{re.escape(code)}</span>.*?</tr>', html).group(0)
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r'<td class="num">(.*?)</td>', row)]


def test_the_matrix_table_is_drawn_once_per_version_and_shows_every_change(client, editor):
    client.force_login(editor)
    url = "/reports/matrix/?meeting=2010"
    first = client.get(url)
    again = client.get(url)
    drawn = "recommendations/partials/matrix_body.html"
    assert drawn in [t.name for t in first.templates]
    assert drawn not in [t.name for t in again.templates]  # the table's fragment is cached
    # 1.1 has eight recommendations, 1.1/8 in progress as of the report, the others not started
    # (columns: the seven statuses, total, closed).
    assert matrix_row(again, "1.1") == matrix_row(first, "1.1") == ["7", "0", "1", "0", "0", "0", "0", "8", "0%"]

    Recommendation.objects.get_by_natural_key(2010, "1.1", 1).record_update(
        by=editor, note="Planned with IOM.", status=Status.PLANNED)
    assert matrix_row(client.get(url), "1.1") == ["6", "1", "1", "0", "0", "0", "0", "8", "0%"]
    # Other filters are other tables: a theme filter is not answered with the unfiltered table.
    theme = Theme.objects.filter(recommendations__session__code="1.1").first()
    filtered = matrix_row(client.get(f"{url}&theme={theme.slug}"), "1.1")
    assert int(filtered[7]) == Recommendation.objects.filter(session__code="1.1", themes=theme).count() < 8
