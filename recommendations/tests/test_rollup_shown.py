"""An item whose progress is rolled up from its actions shows that progress wherever its progress bar is drawn (the
lists' rows, My items, the actor pages), as its own page does: not the progress once entered by hand, and
"unknown" while none of its actions is reported."""

import re

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_up(editor):
    """2.1/1, owned by the editor, progress 10 % by hand, then rolled up from two actions: one reported at 70 %."""
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    rec.record_update(by=editor, note="Ours, a tenth done.", owner=editor, progress=10)
    reported = services.add_action(rec, by=editor, title="Reported one")
    services.add_action(rec, by=editor, title="Never reported")
    reported.record_update(by=editor, note="Seven tenths done.", progress=70)
    Recommendation.objects.filter(pk=rec.pk).update(progress_from_actions=True)  # arrange: an editor's choice
    return rec


def row_of(body, rec):
    [row] = re.findall(rf'<tr>(?:(?!</tr>).)*?href="{re.escape(rec.get_absolute_url())}".*?</tr>', body, re.S)
    return row


def progress_shown(row):
    return re.findall(r'<span class="progress-text">([^<]*)</span>|<td>(unknown)\s*</td>', row)


def test_the_list_row_shows_the_rolled_up_progress(client, editor, rolled_up):
    client.force_login(editor)
    body = client.get("/recommendations/?meeting=2010&session=2.1").content.decode()
    assert progress_shown(row_of(body, rolled_up)) == [("70%", "")]


def test_the_public_list_row_shows_the_rolled_up_progress(client, rolled_up):
    body = client.get("/recommendations/?meeting=2010&session=2.1").content.decode()
    assert progress_shown(row_of(body, rolled_up)) == [("70%", "")]


def test_my_items_shows_the_rolled_up_progress(client, editor, rolled_up):
    client.force_login(editor)
    body = client.get(reverse("my_items")).content.decode()
    assert progress_shown(row_of(body, rolled_up)) == [("70%", "")]


def test_a_roll_up_of_no_reported_action_is_unknown_in_the_row(client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    services.add_action(rec, by=editor, title="Never reported")
    Recommendation.objects.filter(pk=rec.pk).update(progress_from_actions=True)
    client.force_login(editor)
    body = client.get("/recommendations/?meeting=2010&session=2.1").content.decode()
    assert progress_shown(row_of(body, rec)) == [("", "unknown")]
