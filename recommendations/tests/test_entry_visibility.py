"""A timeline entry is internal unless published: chosen in the update form ("Publish this note"),
changed by an editor in the admin (recorded in the entry's change history, its text untouched), and the
item's latest public note follows, read from the timeline again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import Recommendation, RecommendationUpdate
from recommendations.tests.test_item_page import UPDATE, URL, loans

pytestmark = pytest.mark.django_db

SEEDED = ('Seeded from the report of GFMD 2010 (Puerto Vallarta): RT session 2.1, '
          'outcome and recommendation 3.')
ENTRIES = reverse("admin:recommendations_recommendationupdate_changelist")


def log(client, user, note, **data):
    client.force_login(user)
    return client.post(UPDATE, {"version": loans().version, "note": note, **data})


def test_the_form_offers_publish_this_note_unticked(client, staff):
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert ('<label><input type="checkbox" name="is_public" aria-describedby="id_is_public_helptext" '
            'id="id_is_public"> Publish this note</label>') in page
    assert '<p class="help" id="id_is_public_helptext">Shown to the public' in page


def test_a_note_is_internal_unless_published_and_the_latest_public_note_follows(client, staff):
    assert log(client, staff, "Internal: the ministry is slow.").status_code == 302
    entry = loans().updates.first()
    assert (entry.note, entry.is_public) == ("Internal: the ministry is slow.", False)
    rec = loans()
    assert (rec.last_note, rec.last_public_note) == ("Internal: the ministry is slow.", SEEDED)

    assert log(client, staff, "Sri Lanka's banks met.", is_public="on").status_code == 302
    rec = loans()
    assert rec.updates.first().is_public
    assert (rec.last_note, rec.last_public_note) == ("Sri Lanka's banks met.", "Sri Lanka's banks met.")
    assert rec.last_public_update_at == rec.last_update_at


def publish(client, action, *entries):
    return client.post(ENTRIES, {"action": action, "_selected_action": [e.pk for e in entries]})


def test_an_editor_publishes_and_unpublishes_entries_and_the_history_says_who(client, staff, editor):
    log(client, staff, "Internal first.")
    older = loans().updates.first()
    log(client, staff, "Internal second.")
    newer = loans().updates.first()
    client.force_login(editor)

    assert publish(client, "publish", older).status_code == 302
    older.refresh_from_db()
    assert older.is_public and older.note == "Internal first."
    assert loans().last_public_note == "Internal first."
    [record] = older.history.all()
    assert (record.history_user, record.history_type, record.is_public, record.history_change_reason) == (
        editor, "~", True, "Published: shown to the public.")

    publish(client, "publish", newer)
    assert loans().last_public_note == "Internal second."
    publish(client, "unpublish", newer)
    newer.refresh_from_db()
    assert not newer.is_public and newer.note == "Internal second."
    assert loans().last_public_note == "Internal first."  # read from the timeline again
    assert [r.history_change_reason for r in newer.history.order_by("history_date")] == [
        "Published: shown to the public.", "Unpublished: internal again."]
    history = client.get(reverse("admin:recommendations_recommendationupdate_history", args=[newer.pk]))
    assert "Unpublished: internal again." in history.content.decode()


def test_unpublishing_every_public_entry_leaves_no_public_note(editor):
    rec = loans()
    services.set_entries_public(list(rec.updates.all()), public=False, by=editor)
    rec = loans()
    assert (rec.last_public_note, rec.last_public_update_at) == ("", None)
    assert rec.last_note == SEEDED  # the internal copy is untouched


def test_staff_cannot_publish_and_the_entries_stay_append_only(client, staff, editor):
    entry = loans().updates.first()
    client.force_login(editor)
    page = client.get(ENTRIES).content.decode()
    assert 'value="publish"' in page and 'value="delete_selected"' not in page
    change = client.post(reverse("admin:recommendations_recommendationupdate_change", args=[entry.pk]),
                         {"note": "Rewritten.", "is_public": "on"})
    assert change.status_code == 403
    client.force_login(staff)
    assert publish(client, "unpublish", entry).status_code == 302  # to the admin's login: staff have no admin
    entry.refresh_from_db()
    assert entry.is_public and entry.note == SEEDED


def test_an_older_public_entry_does_not_replace_a_newer_public_note(staff):
    rec = loans()
    rec.record_update(by=staff, note="Published now.", public=True)
    past = timezone.now() - datetime.timedelta(days=3)
    loans().record_update(by=staff, note="Published, dated three days ago.", public=True, at=past)
    assert loans().last_public_note == "Published now."
    assert Recommendation.objects.filter(pk=rec.pk, last_public_update_at__gt=past).exists()
    assert RecommendationUpdate.objects.filter(item=rec, is_public=True).count() == 3
