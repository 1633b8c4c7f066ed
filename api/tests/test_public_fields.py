"""Anonymous clients read exactly the public fields (README "Public data"): no owner, no version, only the
published entries of a timeline without who wrote them, the latest PUBLIC note, and nothing of an unpublished
item, nor a link to it. Signed-in clients read their role's fields."""

import pytest

from api.tests.conftest import ITEM_URL, UPDATES_URL, get, item, token_for
from partnerships.models import Project
from recommendations import services
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db

PUBLIC_ITEM = {"key", "url", "web_url", "updates_url", "meeting", "session", "number", "title", "text", "themes",
               "responsible_actors", "status", "progress", "priority", "due_date", "due_date_precision",
               "last_update", "projects", "verification", "freshness", "rollup", "translations"}
PUBLIC_ENTRY = {"at", "precision", "note", "evidence_url", "status_before", "status_after", "progress_before",
                "progress_after", "due_date_before", "due_date_after"}


@pytest.fixture
def updated(owned, staff):
    owned.record_update(by=staff, note="Published: the scheme is open.", status=Status.IN_PROGRESS, public=True)
    owned.record_update(by=staff, note="Internal: the minister hesitates.", progress=15)
    return item()


def test_the_public_reads_the_public_fields_and_the_latest_public_note(client, updated):
    body = client.get(ITEM_URL).json()
    assert set(body) == PUBLIC_ITEM
    assert (body["status"], body["progress"]) == ("in_progress", 15)
    assert body["last_update"]["note"] == "Published: the scheme is open."


def test_a_signed_in_reader_reads_the_owner_the_version_and_the_latest_note(client, updated, viewer, staff):
    body = get(client, ITEM_URL, token_for(viewer)).json()
    assert set(body) == PUBLIC_ITEM | {"owner", "public", "version"}
    assert (body["owner"], body["public"], body["version"]) == (staff.username, True, updated.version)
    assert body["last_update"]["note"] == "Internal: the minister hesitates."


def test_the_public_reads_the_published_entries_without_their_authors(client, updated, viewer):
    public = client.get(UPDATES_URL).json()["results"]
    assert [entry["note"] for entry in public] == [
        "Published: the scheme is open.",
        "Seeded from the report of GFMD 2010 (Puerto Vallarta): RT session 2.1, outcome and recommendation 3."]
    assert all(set(entry) == PUBLIC_ENTRY for entry in public)
    signed_in = get(client, UPDATES_URL, token_for(viewer)).json()["results"]
    assert [entry["note"] for entry in signed_in][:2] == ["Internal: the minister hesitates.",
                                                         "Published: the scheme is open."]
    # The entry's id is the database's: counting them would count the internal entries too.
    assert set(signed_in[0]) == PUBLIC_ENTRY | {"id", "public", "author", "owner_before", "owner_after"}


def test_an_unpublished_item_is_nowhere_for_the_public(client, editor, viewer):
    draft = Recommendation.objects.get_by_natural_key(2010, "1.2", 9)
    handbook = Project.objects.get(title__startswith="Protecting Unaccompanied")  # serves 1.2/9 (line 791)
    services.set_items_public([draft], public=False, by=editor)
    url = "/api/v1/recommendations/2010/1.2/9/"
    assert client.get(url).status_code == 404 and client.get(url + "updates/").status_code == 404
    keys = [row["key"] for row in client.get("/api/v1/recommendations/?session=1.2&page_size=100").json()["results"]]
    assert keys == [f"2010/1.2/{n}" for n in range(1, 9)] + ["2010/1.2/10"]
    assert client.get(f"/api/v1/projects/{handbook.pk}/").json()["recommendations"] == []
    assert get(client, url, token_for(viewer)).json()["public"] is False
    signed_in = get(client, f"/api/v1/projects/{handbook.pk}/", token_for(viewer)).json()
    assert signed_in["recommendations"] == ["2010/1.2/9"]


def test_the_public_is_not_filtered_by_owner(client, owned):
    everyone = client.get("/api/v1/recommendations/?session=2.1&page_size=100").json()["results"]
    crafted = client.get(f"/api/v1/recommendations/?session=2.1&page_size=100&owner={owned.owner.username}")
    assert crafted.status_code == 200 and crafted.json()["results"] == everyone
    assert len(everyone) == 8
