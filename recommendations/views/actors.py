"""The actors: the list of governments and organizations, and what each one does."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from gfmd_tracker.portal import is_public, portal_page

from ..models import Actor, Meeting, SessionParticipant
from ..reports import actor_counts

ACTOR_PAGE_ITEMS = 50


@portal_page("recommendations.view_actor")
def actor_list(request):
    counts = actor_counts(is_public(request))
    actors = list(Actor.objects.order_by("kind", "name"))
    for actor in actors:
        actor.chairs, actor.responsible = counts.get(actor.pk, (0, 0))
    return render(request, "recommendations/actor_list.html", {"actors": actors})


@portal_page("recommendations.view_actor")
def actor_detail(request, pk):
    """What a country or organization chairs, joins, is responsible for and partners in (of the items the
    reader may see). Long lists show their first ACTOR_PAGE_ITEMS in report order and link to the full,
    filterable list."""
    actor, user = get_object_or_404(Actor, pk=pk), request.user
    roles = actor.session_roles.select_related("session__meeting").order_by(
        "session__meeting__year", "session__position")
    lists = [
        ("Recommendations", actor.responsible_for_recommendations.visible_to(user).select_related("session__meeting"),
         reverse("recommendations:list")),
        ("Follow-up items", actor.responsible_for_followupitems.visible_to(user).select_related("session__meeting"),
         None),
        ("PfP projects", actor.responsible_for_projects.visible_to(user), reverse("partnerships:list")),
    ]
    responsible_for = []
    for label, items, list_url in lists:
        shown = list(items[:ACTOR_PAGE_ITEMS + 1])
        total = len(shown) if len(shown) <= ACTOR_PAGE_ITEMS else items.count()
        full_list = f"{list_url}?responsible={actor.pk}" if list_url and total > ACTOR_PAGE_ITEMS else None
        responsible_for.append((label, shown[:ACTOR_PAGE_ITEMS], total, full_list))
    chaired = Meeting.objects.filter(Q(chair_country=actor) | Q(next_chair_country=actor)).order_by("year")
    return render(request, "recommendations/actor_detail.html", {
        "actor": actor,
        "roles": [
            (label, [r.session for r in roles if r.role == role]) for role, label in SessionParticipant.Role.choices
        ],
        "responsible_for": responsible_for,
        "partner_roles": actor.project_roles.filter(project__in=actor.projects.visible_to(user).values("pk"))
        .select_related("project").order_by("project__title", "pk"),
        "practices": actor.good_practices.select_related("session__meeting"),
        "contributions": actor.contributions.select_related("meeting").order_by("meeting__year", "role", "source_line"),
        "meetings_chaired": chaired,
        "member_of": actor.member_of.all(),
        "members": actor.members.all(),
    })
