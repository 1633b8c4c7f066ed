"""What `POST …/updates/` reads, as the update form reads it: a value equal to the item's is no change (a client
may send back what it read), a due date at the precision the API writes it, no unknown key, one refusal for any
owner who may not be (no account enumeration), an evidence link without a scheme (https), and a clear 403 to an
account with no role."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from api.tests.conftest import UPDATES_URL, get, item, post, token_for
from recommendations.models import FollowUpItem

pytestmark = pytest.mark.django_db

ASSESSMENT_URL = "/api/v1/follow-up-items/2010/FOF/1/"
REPORT = Path(__file__).resolve().parents[2] / "fixtures/gfmd2010/report.txt"


def assessment():
    return FollowUpItem.objects.get_by_natural_key(2010, "FOF", 1)


def due_year():
    """The year the report gives the assessment (line 841: "completed in time for the High Level Dialogue in 2013")."""
    line = REPORT.read_text(encoding="utf-8").splitlines()[840]
    return re.search(r"completed in time for the High Level Dialogue in (\d{4})", line).group(1)


def sent_back(client, token, url):
    """The item's tracked fields as the API wrote them, ready to be posted back."""
    read = get(client, url, token).json()
    return {"version": read["version"], "status": read["status"], "progress": read["progress"],
            "due_date": read["due_date"], "owner": read["owner"]}


def test_sending_back_what_was_read_changes_nothing_but_the_note(client, editor):
    token, before = token_for(editor), assessment()
    body = sent_back(client, token, ASSESSMENT_URL)
    assert body["due_date"] == due_year() and before.due_date_precision == "year"
    response = post(client, ASSESSMENT_URL + "updates/", token, {"note": "Checked, nothing new.", **body})
    assert response.status_code == 201, response.json()
    entry, after = assessment().updates.first(), assessment()
    assert entry.note == "Checked, nothing new."
    assert (entry.status_after, entry.progress_after, entry.due_date_after, entry.owner_after_id) == ("", None, None,
                                                                                                       None)
    assert (after.status, after.progress, after.due_date, after.due_date_precision, after.owner_id) == (
        before.status, before.progress, before.due_date, before.due_date_precision, before.owner_id)
    assert after.history.count() == before.history.count()


@pytest.mark.parametrize(("sent", "due", "precision"), [
    ("{year}-01-01", (1, 1), "day"),  # a day of the year it is due: a change (to the day)
    ("{year}-06", (6, 30), "month"),
    ("{year}-12-31", (12, 31), "day"),  # the year's last day, now known to the day
])
def test_a_due_date_at_another_precision_is_a_change(client, editor, sent, due, precision):
    year = int(due_year())
    response = post(client, ASSESSMENT_URL + "updates/", token_for(editor),
                    {"note": "Rescheduled.", "due_date": sent.format(year=year), "version": assessment().version,
                     "due_date_reason": "The High Level Dialogue moved."})
    assert response.status_code == 201, response.json()
    entry, after = assessment().updates.first(), assessment()
    assert (after.due_date, after.due_date_precision) == (datetime.date(year, *due), precision)
    assert (entry.due_date_before, entry.due_date_after, entry.due_date_precision_after) == (
        datetime.date(year, 12, 31), datetime.date(year, *due), precision)


def test_a_due_date_that_is_no_date_is_400_saying_what_is_accepted(client, editor):
    response = post(client, ASSESSMENT_URL + "updates/", token_for(editor),
                    {"note": "Later.", "due_date": "soon", "version": assessment().version})
    assert response.status_code == 400
    assert response.json() == {"due_date": ["'soon' is not a date: write a day (2027-03-31), a month (2027-03) or a "
                                            "year (2027)."]}


def test_unknown_keys_are_400_naming_each_and_change_nothing(client, owned, staff):
    before = item()
    response = post(client, UPDATES_URL, token_for(staff), {"note": "Typo.", "progres": 40, "stage": "active",
                                                            "version": before.version})
    assert response.status_code == 400
    assert response.json() == {"progres": ["Not a field of an update."], "stage": ["Not a field of an update."]}
    assert (item().progress, item().updates.count()) == (before.progress, before.updates.count())


def test_a_name_nobody_has_and_a_user_who_may_not_own_items_get_the_same_refusal(client, owned, editor, viewer):
    token, refusals = token_for(editor), []
    for name in (viewer.username, "no-such-user"):
        response = post(client, UPDATES_URL, token, {"note": "Handing over.", "owner": name, "version": owned.version})
        assert response.status_code == 400
        refusals.append(response.json()["owner"][0].replace(f"“{name}”", "“…”"))
    assert refusals[0] == refusals[1] and "no-such-user" not in refusals[0]
    assert item().owner_id == owned.owner_id


def test_an_evidence_link_without_a_scheme_is_https_as_in_the_form(client, owned, staff):
    response = post(client, UPDATES_URL, token_for(staff), {"note": "Published.", "evidence_url": "example.org/loans",
                                                            "version": owned.version})
    assert response.status_code == 201
    assert item().updates.first().evidence_url == "https://example.org/loans"
    bad = post(client, UPDATES_URL, token_for(staff), {"note": "Link.", "evidence_url": "not a link",
                                                       "version": item().version})
    assert bad.status_code == 400 and bad.json() == {"evidence_url": ["Enter a valid URL."]}


def test_an_account_with_no_role_is_403_not_told_it_may_read(client):
    nobody = get_user_model().objects.create_user(username="no-role", password="pw-no-role")
    before = item()
    response = post(client, UPDATES_URL, token_for(nobody), {"note": "Hello.", "version": before.version})
    assert response.status_code == 403
    assert "You may read" not in response.json()["detail"] and "role" in response.json()["detail"]
    assert item().updates.count() == before.updates.count()
