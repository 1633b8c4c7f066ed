"""The meetings as people read their report: where and when, the roundtables and their coordinators, each
session with who chaired it, joined it and reported on it, the contributions, and the handover to the next Chair.
Public pages (issue #19): the public's counts of outcomes are of the published items."""

from itertools import groupby

from django.db.models import Count, F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from gfmd_tracker.portal import portal_page

from ..models import (
    FollowUpItem,
    GoodPractice,
    Meeting,
    MeetingContribution,
    Recommendation,
    SessionParticipant,
)

# The heading over the contributions of each role.
CONTRIBUTORS = {MeetingContribution.Role.CONTRIBUTOR: _("Contributors"),
                MeetingContribution.Role.ORGANISER: _("Organisers")}


@portal_page("recommendations.view_meeting")
def meeting_list(request):
    meetings = Meeting.objects.select_related("chair_country").order_by("-year")
    return render(request, "recommendations/meeting_list.html", {"meetings": meetings})


@portal_page("recommendations.view_meeting")
def meeting_detail(request, year):
    """One meeting, read in a fixed number of queries however many sessions, participants,
    practices and contributions it has; its outcomes counted as the reader may see them."""
    meeting = get_object_or_404(Meeting.objects.select_related("chair_country", "next_chair_country"), year=year)
    if request.path != meeting.get_absolute_url():  # /meetings/02010/: one address per page
        return redirect(meeting, permanent=True)
    sessions = list(meeting.sessions.select_related("roundtable").prefetch_related(
        Prefetch("participants", SessionParticipant.objects.select_related("actor")),
        Prefetch("good_practices", GoodPractice.objects.prefetch_related("actors")),
    ))
    counts = {model: items_per_session(model.objects.visible_to(request.user), meeting)
              for model in (Recommendation, FollowUpItem)}
    for session in sessions:
        session.recommendation_count = counts[Recommendation].get(session.pk, 0)
        session.follow_up_count = counts[FollowUpItem].get(session.pk, 0)
    contributions = list(meeting.contributions.select_related("actor").order_by(
        F("source_line").asc(nulls_last=True), "actor__name"))
    return render(request, "recommendations/meeting_detail.html", {
        "meeting": meeting,
        "parts": parts(sessions, list(meeting.roundtables.all())),
        "sessions": sessions,
        "contributions": [(CONTRIBUTORS[role], rows) for role in MeetingContribution.Role
                          if (rows := [c for c in contributions if c.role == role])],
    })


def items_per_session(items, meeting):
    rows = items.filter(session__meeting=meeting).order_by().values("session").annotate(n=Count("pk"))
    return {row["session"]: row["n"] for row in rows}


def parts(sessions, roundtables):
    """The meeting in the report's order: (roundtable or None, its sessions), a roundtable where its first
    session stands; a roundtable without sessions comes last."""
    by_pk = {roundtable.pk: roundtable for roundtable in roundtables}
    shown = [(by_pk.get(key), list(group)) for key, group in groupby(sessions, key=lambda s: s.roundtable_id)]
    placed = {roundtable.pk for roundtable, _ in shown if roundtable is not None}
    return shown + [(roundtable, []) for roundtable in roundtables if roundtable.pk not in placed]
