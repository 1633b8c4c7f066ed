"""Fixtures of the actor scorecards' tests (test_scorecards.py, test_actor_scorecard_page.py): a small dataset
counted by hand."""

import datetime

import pytest
from django.utils import timezone

from partnerships.models import Project, ProjectPartner
from recommendations import services
from recommendations.models import (
    Action,
    ActionUpdate,
    Actor,
    FollowUpItem,
    Recommendation,
    RecommendationUpdate,
    Status,
)

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 12))


def ago(days):
    return NOW - datetime.timedelta(days=days)


def arrange(item, **columns):
    """Set an item's follow-up columns as a history of updates would have left them (the write path is tested
    elsewhere)."""
    type(item).objects.filter(pk=item.pk).update(**columns)


@pytest.fixture
def atlantis(editor):
    """Atlantis, responsible for four recommendations, a follow-up item and two actions; partner in two projects
    (in one of them twice, in two roles). Counted by hand:

    R1  reported 10 days ago, 40 %, due yesterday: current, overdue; its action A1 (internal: unpublished)
        reported 100 days ago, 50 %: ageing; its action A2 never reported, added 3 days ago, due yesterday:
        current, overdue
    R2  reported 200 days ago, 80 %, its due date moved later once: stale, slipped
    R3  never reported (unpublished), latest entry 800 days ago: inactive, unknown
    R4  claimed implemented 5 days ago (awaiting verification), 100 %, due long ago: closed, so not overdue
    F1  verified implemented, reported 400 days ago, 100 %
    P1  (partner, two roles) reported 20 days ago, 30 %: current; P2 (partner, unpublished) added 300 days ago:
        stale."""
    actor = Actor.objects.create(name="Atlantis", kind=Actor.Kind.GOVERNMENT)
    r1, r2, r3, r4 = (Recommendation.objects.get_by_natural_key(2010, "1.1", n) for n in (1, 2, 3, 4))
    f1 = FollowUpItem.objects.order_by("pk").first()
    a1 = services.add_action(r1, by=editor, title="Draft the law", responsible_actors=[actor])
    a2 = services.add_action(r1, by=editor, title="Train the clerks", responsible_actors=[actor])
    yesterday, base = NOW.date() - datetime.timedelta(days=1), dict(verification="", due_date=None)
    arrange(r1, **{**base, "due_date": yesterday}, status=Status.IN_PROGRESS, progress=40, last_report_at=ago(10),
            last_update_at=ago(10))
    arrange(r2, **base, status=Status.ONGOING, progress=80, last_report_at=ago(200), last_update_at=ago(200))
    arrange(r3, **base, status=Status.NOT_STARTED, progress=0, last_report_at=None, last_update_at=ago(800),
            is_public=False)
    arrange(r4, status=Status.IMPLEMENTED, verification="awaiting", progress=100, last_report_at=ago(5),
            last_update_at=ago(5), due_date=datetime.date(2012, 1, 1))
    arrange(f1, due_date=None, status=Status.IMPLEMENTED, verification="verified", progress=100,
            last_report_at=ago(400), last_update_at=ago(400))
    arrange(a1, status=Status.IN_PROGRESS, progress=50, last_report_at=ago(100), last_update_at=ago(100),
            is_public=False)
    arrange(a2, status=Status.NOT_STARTED, progress=0, last_report_at=None, last_update_at=ago(3), due_date=yesterday)
    RecommendationUpdate.objects.create(item=r2, note="Moved: the budget came late.", created_at=ago(300),
                                        due_date_reason="The budget came late.", slipped_days=30)
    for item in (r1, r2, r3, r4):
        item.responsible_actors.add(actor)
    f1.responsible_actors.add(actor)
    p1, p2 = (Project.objects.create(title=title, description="A test project.") for title in ("Pone", "Ptwo"))
    arrange(p1, status=Status.IN_PROGRESS, progress=30, last_report_at=ago(20), last_update_at=ago(20))
    arrange(p2, status=Status.NOT_STARTED, progress=0, last_report_at=None, last_update_at=ago(300), is_public=False)
    for project, role in ((p1, "supporter"), (p1, "implementer"), (p2, "proposer")):
        ProjectPartner.objects.create(project=project, actor=actor, role=role)
    return actor


def entry(action, when, **values):
    return ActionUpdate.objects.create(item=action, note="Reported.", created_at=timezone.make_aware(when), **values)


@pytest.fixture
def reported(atlantis):
    """A1 and A2 opened on 15 January 2025; A1 reported in February and May, its closure verified in May; A2
    (published) reported in November 2025."""
    a1, a2 = Action.objects.filter(responsible_actors=atlantis).order_by("number")
    Action.objects.filter(pk__in=[a1.pk, a2.pk]).update(is_public=True)
    opened = timezone.make_aware(datetime.datetime(2025, 1, 15))
    ActionUpdate.objects.filter(item__in=[a1, a2]).update(created_at=opened)
    entry(a1, datetime.datetime(2025, 2, 10))
    entry(a1, datetime.datetime(2025, 5, 1))
    entry(a1, datetime.datetime(2025, 5, 20), verification_before="awaiting", verification_after="verified")
    entry(a2, datetime.datetime(2025, 11, 30))
    for model in (Recommendation, FollowUpItem):
        for item in model.objects.filter(responsible_actors=atlantis):
            item.responsible_actors.remove(atlantis)  # the actions alone
    return atlantis
