"""What changed between two dates: the status changes in the timeline, and a summary."""

import datetime

import pytest
from django.urls import reverse

from recommendations.models import Recommendation, Status
from recommendations.tests.test_matrix import at

pytestmark = pytest.mark.django_db


def test_what_changed_between_two_dates(viewer_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "2.2", 4)
    rec.record_update(by=editor, note="Planned with the AU.", status=Status.PLANNED, at=at(datetime.date(2011, 2, 1)))
    # From February: the seed's own entry of January 2011 (2.1/1, test_seed_dates) is left out.
    response = viewer_client.get(reverse("recommendations:changes"), {"start": "2011-02-01", "end": "2011-12-31"})
    label, entries, summary = response.context["sections"][0]
    assert [e.note for e in entries] == ["Planned with the AU."]
    assert summary == [("Not started", "Planned", 1)]
    bad = viewer_client.get(reverse("recommendations:changes"), {"start": "2012-01-01", "end": "2011-01-01"})
    assert "The start date is after the end date." in bad.content.decode()


def test_what_changed_shows_a_new_status_change_at_once(viewer_client, editor):
    url = reverse("recommendations:changes")
    assert viewer_client.get(url).context["sections"][0][1] == []
    Recommendation.objects.get_by_natural_key(2010, "1.2", 2).record_update(
        by=editor, note="Planned with UNICEF.", status=Status.PLANNED)
    label, entries, summary = viewer_client.get(url).context["sections"][0]
    assert [e.note for e in entries] == ["Planned with UNICEF."] and summary == [("Not started", "Planned", 1)]


def test_what_changed_leaves_out_items_created_in_the_period_and_keeps_their_changes(viewer_client, editor):
    from recommendations.models import Session

    new = Recommendation.objects.create(session=Session.objects.get(meeting__year=2010, code="3.3"), number=6,
                                        title="New", text="Added later.")
    new.start_timeline(note="Added in March.", at=at(datetime.date(2011, 3, 1)))
    new.record_update(by=editor, note="Planned in April.", status=Status.PLANNED, at=at(datetime.date(2011, 4, 1)))
    new.record_update(by=editor, note="Started in May.", status=Status.IN_PROGRESS, at=at(datetime.date(2011, 5, 1)))
    response = viewer_client.get(reverse("recommendations:changes"), {"start": "2011-03-01", "end": "2011-04-01"})
    label, entries, summary = response.context["sections"][0]
    assert [e.note for e in entries] == ["Planned in April."]
    assert summary == [("Not started", "Planned", 1)]
    wider = viewer_client.get(reverse("recommendations:changes"), {"start": "2011-02-01", "end": "2011-12-31"})
    label, entries, summary = wider.context["sections"][0]
    assert [e.note for e in entries] == ["Started in May.", "Planned in April."]
    assert sorted(summary) == [("Not started", "Planned", 1), ("Planned", "In progress", 1)]  # a tie: any order


def test_what_changed_covers_every_kind_of_tracked_item(viewer_client, editor):
    from partnerships.models import Project
    from recommendations.models import FollowUpItem

    when = at(datetime.date(2011, 5, 2))
    FollowUpItem.objects.get_by_natural_key(2010, "FOF", 1).record_update(
        by=editor, note="Assessment report delivered.", status=Status.IMPLEMENTED, at=when,
        evidence_url="https://example.org/assessment")
    Project.objects.get(title="Developing Migration Profiles").record_update(
        by=editor, note="Profiles stalled for lack of data.", status=Status.STALLED, at=when)
    response = viewer_client.get(reverse("recommendations:changes"), {"start": "2011-05-01", "end": "2011-05-31"})
    sections = {label: ([e.note for e in entries], summary) for label, entries, summary in response.context["sections"]}
    # As of the report, the assessment was in progress and the project planned (the fixtures' status_source).
    assert sections == {
        "Recommendations": ([], []),
        "Follow-up items": (["Assessment report delivered."], [("In progress", "Implemented", 1)]),
        "PfP projects": (["Profiles stalled for lack of data."], [("Planned", "Stalled", 1)]),
    }
    body = response.content.decode()
    assert "<h2>PfP projects</h2>" in body and 'href="/projects/' in body


def test_what_changed_in_january_2011_shows_the_seeded_workshop_as_of_its_month(viewer_client):
    """The report dates the Dubai workshop "January 2011" (line 461): the seed's entry is stored on the
    month's first day and counted in a period that holds it, and shown as the month."""
    response = viewer_client.get(reverse("recommendations:changes"), {"start": "2011-01-01", "end": "2011-01-31"})
    label, entries, summary = response.context["sections"][0]
    assert [str(e.item) for e in entries] == [str(Recommendation.objects.get_by_natural_key(2010, "2.1", 1))]
    assert summary == [("Not started", "In progress", 1)]
    assert "<tr><td>January 2011</td>" in response.content.decode()
