"""An editor unpublishes a whole item (a draft added by mistake): in the admin, one by one or ticked. It is
then gone for the public, everywhere; those who sign in still see it, marked as not public."""

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from recommendations.tests.test_item_page import URL, loans

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:recommendations_recommendation_changelist")


def unpublish(client):
    return client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [loans().pk]})


def test_the_admin_action_unpublishes_and_the_history_records_it(editor_client, editor):
    rec = loans()
    entries, version = rec.updates.count(), rec.version
    assert unpublish(editor_client).status_code == 302
    rec = loans()
    assert (rec.is_public, rec.version, rec.updates.count()) == (False, version + 1, entries)  # no timeline entry
    latest = rec.history.first()
    assert (latest.is_public, latest.history_user, latest.history_type) == (False, editor, "~")
    assert editor_client.post(CHANGELIST, {"action": "publish", "_selected_action": [rec.pk]}).status_code == 302
    assert loans().is_public and loans().history.first().is_public


def test_the_change_form_has_the_public_box(editor_client):
    page = editor_client.get(reverse("admin:recommendations_recommendation_change", args=[loans().pk]))
    assert 'name="is_public"' in page.content.decode()


def test_an_unpublished_item_is_gone_for_the_public_and_marked_for_readers(client, editor_client, viewer):
    unpublish(editor_client)
    client.logout()
    assert client.get(URL).status_code == 404
    listed = client.get("/recommendations/?session=2.1&meeting=2010").content.decode()
    assert "Showing 1–7 of 7" in listed and URL not in listed
    matrix = client.get("/reports/matrix/").content.decode()
    assert '<td class="num">44</td>' in matrix  # of the report's 45 recommendations
    client.force_login(viewer)
    page = client.get(URL).content.decode()
    assert "Not public: this item is unpublished" in page
    assert "Showing 1–8 of 8" in client.get("/recommendations/?session=2.1&meeting=2010").content.decode()


def test_staff_cannot_unpublish(client, staff):
    client.force_login(staff)
    unpublish(client)
    assert Recommendation.objects.get(pk=loans().pk).is_public
