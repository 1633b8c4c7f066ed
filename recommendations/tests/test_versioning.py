"""Cached reports follow the data: any change by any path shows on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import versioning
from recommendations.models import Recommendation, Status, Theme
from recommendations.resources import RecommendationResource

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


def test_permissions_and_roles_are_read_once_per_version(client, editor):
    """The header's role and the permission checks cost no query once read."""
    client.force_login(editor)
    client.get("/recommendations/")
    with CaptureQueriesContext(connection) as again:
        body = client.get("/recommendations/").content.decode()
    assert "· editor" in body
    sql = " ".join(q["sql"] for q in again.captured_queries)
    assert "auth_permission" not in sql and "auth_group" not in sql


def test_a_role_taken_away_counts_on_the_next_request(client, editor):
    from django.contrib.auth.models import Group

    client.force_login(editor)
    add_url = "/admin/recommendations/recommendation/add/"
    assert client.get(add_url).status_code == 200
    editor.groups.set([Group.objects.get(name="viewer")])
    assert client.get(add_url).status_code == 403
    assert "· viewer" in client.get("/recommendations/").content.decode()


def test_a_permission_taken_from_a_group_counts_on_the_next_request(client, staff):
    from django.contrib.auth.models import Group, Permission

    client.force_login(staff)
    assert client.get("/recommendations/export.csv").status_code == 200
    Group.objects.get(name="staff").permissions.remove(Permission.objects.get(codename="view_recommendation"))
    assert client.get("/recommendations/export.csv").status_code == 403


def test_filter_lists_follow_new_users_and_mark_the_selection(client, editor):
    from django.contrib.auth import get_user_model

    client.force_login(editor)
    assert "newcomer-nadia" not in client.get("/recommendations/").content.decode()
    nadia = get_user_model().objects.create_user("newcomer-nadia")
    body = client.get(f"/recommendations/?owner={nadia.pk}&theme=gender&theme=family-children").content.decode()
    assert f'<option value="{nadia.pk}" selected>newcomer-nadia</option>' in body
    assert 'value="gender" checked ' in body and 'value="family-children" checked ' in body
    # The next request with other filters starts from the unmarked lists.
    body = client.get("/recommendations/?theme=diaspora").content.decode()
    assert f'<option value="{nadia.pk}">newcomer-nadia</option>' in body
    assert 'value="gender" checked' not in body and 'value="diaspora" checked ' in body


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


def test_values_are_kept_unpickled_in_the_process_except_long_lists():
    from array import array

    calls = []

    def small():
        calls.append("small")
        return [1, 2, 3]

    def big():
        calls.append("big")
        return array("q", range(versioning.MEMO_MAX_ITEMS + 1))

    first = versioning.cached("test-small", small)
    assert versioning.cached("test-small", small) is first  # the very object: no unpickling
    long_ids = versioning.cached("test-big", big)
    again = versioning.cached("test-big", big)
    assert again == long_ids and again is not long_ids  # from the cache, unpickled: not held twice
    assert calls == ["small", "big"]
    versioning.clear()
    versioning.cached("test-small", small)
    assert calls == ["small", "big", "small"]
