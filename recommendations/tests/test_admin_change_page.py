"""An item's admin change page and changelist: the report's seeded items are not deleted by editors
(administrators may), times read in the site's date and time formats, and the session filter offers
whole titles of the sessions that have items."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import formats, timezone

from conftest import make_user
from gfmd_tracker.roles import ADMINISTRATOR
from partnerships.models import Project
from recommendations.models import Recommendation, Session

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:recommendations_recommendation_changelist")


def seeded():
    return Recommendation.objects.get_by_natural_key(2010, "2.2", 3)


def made_in_the_admin(client):
    """An item an editor added (not from the report)."""
    session = Session.objects.get_by_natural_key(2010, "2.2")
    return Recommendation.objects.create(session=session, number=40, title="Made here", text="Typed by an editor.")


def test_an_editor_is_not_offered_to_delete_a_seeded_item_and_a_crafted_delete_is_refused(editor_client):
    rec = seeded()
    change = editor_client.get(reverse("admin:recommendations_recommendation_change", args=[rec.pk]))
    delete = reverse("admin:recommendations_recommendation_delete", args=[rec.pk])

    assert change.status_code == 200 and delete not in change.content.decode()
    assert editor_client.get(delete).status_code == 403
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Recommendation.objects.filter(pk=rec.pk).exists()


def test_delete_selected_refuses_a_selection_with_a_seeded_item(editor_client):
    own = made_in_the_admin(editor_client)
    response = editor_client.post(CHANGELIST, {"action": "delete_selected", "post": "yes",
                                               ACTION_CHECKBOX_NAME: [own.pk, seeded().pk]})
    assert response.status_code == 403
    assert Recommendation.objects.filter(pk__in=[own.pk, seeded().pk]).count() == 2


def test_an_editor_deletes_an_item_made_in_the_admin(editor_client):
    own = made_in_the_admin(editor_client)
    delete = reverse("admin:recommendations_recommendation_delete", args=[own.pk])
    assert delete in editor_client.get(reverse("admin:recommendations_recommendation_change",
                                               args=[own.pk])).content.decode()
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Recommendation.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("superuser", [True, False])
def test_an_administrator_may_delete_a_seeded_item_its_timeline_still_protects_it(client, superuser):
    """The seed's rule lets administrators through; the timeline (append-only, deleted by nobody)
    still stops the deletion of any item that has entries, as before."""
    administrator = make_user("ada-admin", ADMINISTRATOR)
    administrator.is_superuser = superuser
    administrator.save()
    client.force_login(administrator)
    rec = seeded()
    url = reverse("admin:recommendations_recommendation_delete", args=[rec.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["perms_lacking"] == {"recommendation update"}
    rec.updates.all().delete()  # an item without a timeline (none is made so by the application)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Recommendation.objects.filter(pk=rec.pk).exists()


def test_a_seeded_project_is_not_deleted_by_an_editor(editor_client):
    project = Project.objects.get(title="Developing Migration Profiles")
    response = editor_client.post(reverse("admin:partnerships_project_delete", args=[project.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()


def test_the_change_page_shows_times_in_the_sites_date_and_time_formats(editor_client, monkeypatch):
    real = formats.get_format
    chosen = {"DATE_FORMAT": "Y/m/d", "TIME_FORMAT": "H.i"}  # as settings could set them
    monkeypatch.setattr(formats, "get_format", lambda name, *a, **k: chosen.get(name) or real(name, *a, **k))
    rec = seeded()
    entry = timezone.localtime(rec.updates.get().created_at)
    created, updated = timezone.localtime(rec.created_at), timezone.localtime(rec.updated_at)

    body = editor_client.get(reverse("admin:recommendations_recommendation_change", args=[rec.pk])).content.decode()

    shown = re.findall(r"\d{4}/\d\d/\d\d, \d\d\.\d\d", body)
    assert shown == [f"{created:%Y/%m/%d, %H.%M}", f"{updated:%Y/%m/%d, %H.%M}", f"{entry:%Y/%m/%d, %H.%M}"]
    assert "timeline-inline" in body


def test_the_title_box_is_as_wide_as_the_text(editor_client):
    body = editor_client.get(reverse("admin:recommendations_recommendation_change", args=[seeded().pk])).content
    assert re.search(r'<input type="text" name="title"[^>]*class="vLargeTextField"', body.decode())


def session_choices(client, url):
    body = client.get(url).content.decode()
    return re.findall(r'<a href="\?session__id__exact=\d+"[^>]*>([^<]+)</a>', body)


def test_the_session_filter_offers_whole_titles_of_sessions_with_recommendations(editor_client):
    assert session_choices(editor_client, CHANGELIST) == [  # the report's seven roundtable sessions
        "1.1 Partnerships for more regular and protected migration",
        "1.2 Joint strategies to address irregular migration",
        "2.1 Reducing the costs of migration and maximizing human development",
        "2.2 Migration, gender and family",
        "3.1 Assessing the impact of migration on the economic and social development and addressing its "
        "cause-effect relationship",
        "3.2 Assessing the relevance and impact of climate change on migration and development",
        "3.3 How can RCPs and Inter-regional Fora best include the migration and development nexus?",
    ]


def test_the_follow_up_items_session_filter_offers_the_sessions_with_follow_up_items(editor_client):
    url = reverse("admin:recommendations_followupitem_changelist")
    assert session_choices(editor_client, url) == [
        "CSD Civil Society Days", "PFP Working session on the Platform for Partnerships (PfP)",
        "FOF Special session on the Future of the Forum"]
