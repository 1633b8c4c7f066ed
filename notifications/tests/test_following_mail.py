"""A follower who chose item_changed "immediately" gets the change by e-mail at the next run, through a real SMTP
server; one who may not read internal notes gets the change without the note."""

import pytest

from notifications.mail import send_due
from notifications.models import Delivery, Follow, Kind, Preference
from recommendations.models import Recommendation, Status

from .conftest import html, person, plain

pytestmark = pytest.mark.django_db


def loans():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 3)


def test_an_immediate_follower_is_mailed_the_change_and_the_note(smtp_server, editor, viewer, settings):
    settings.SITE_URL = "http://tracker.example.org"
    viewer.email, viewer.first_name, viewer.last_name = "vera@example.org", "Vera", "Viewer"
    viewer.save()
    Preference.objects.choose(viewer, Kind.ITEM_CHANGED, Delivery.IMMEDIATELY)
    outsider = person("otto")  # no role: reads what the public reads
    Preference.objects.choose(outsider, Kind.ITEM_CHANGED, Delivery.IMMEDIATELY)
    for user in (viewer, outsider):
        Follow.objects.start(user, loans())

    loans().record_update(by=editor, note="Internal: the minister resigned.", status=Status.PLANNED)
    outcome = send_due()

    assert sorted(outcome.sent) == [("otto@example.org", 1), ("vera@example.org", 1)]
    mails = {mail["To"]: mail for mail in smtp_server.messages}
    mail = mails["Vera Viewer <vera@example.org>"]
    assert mail["Subject"] == f"Changed: {loans()}"
    assert ("Status: Not started → Planned\n\nNote: Internal: the minister resigned.\n"
            "http://tracker.example.org/recommendations/2010/2.1/3/\n") in plain(mail)
    assert "Internal: the minister resigned." in html(mail)
    withheld = mails["Otto Example <otto@example.org>"]
    assert "Status: Not started → Planned\n\nWith an internal note, not shown here.\n" in plain(withheld)
    assert "minister" not in plain(withheld) + html(withheld)
