from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from gfmd_tracker.portal import is_public, portal_page
from recommendations.exports import FOLLOW_UP_STATE_COLUMNS, Column, Many, Table, translation_columns
from recommendations.models import Actor, Recommendation
from recommendations.views import actions
from recommendations.views.items import item_page, log_update, take_item
from recommendations.views.lists import FOLLOW_UP_COLUMNS, download_limit, export, filtered_list, only_set_parameters

from .filters import ProjectFilterSet
from .forms import ProjectUpdateForm
from .models import Project, ProjectPartner, Stage

TEMPLATE = "partnerships/project_detail.html"


def project_of(request, pk):
    """The project of the address, if the reader may see it (an unpublished one is no page for the public)."""
    return get_object_or_404(Project.objects.visible_to(request.user).select_related("session__meeting", "owner"),
                             pk=pk)


def project_related(public=False):
    """What a project's page shows besides it; for the public, the published recommendations only."""
    served = Recommendation.objects.select_related("session__meeting")
    return (
        "themes", "responsible_actors", "concerns",
        Prefetch("project_partners", ProjectPartner.objects.select_related("actor")),
        Prefetch("recommendations", served.filter(is_public=True) if public else served),
    )


@portal_page("partnerships.view_project")
def project_detail(request, pk):
    return item_page(request, project_of(request, pk), TEMPLATE, form_class=ProjectUpdateForm,
                     prefetch=project_related(is_public(request)))


@login_required
def project_update(request, pk):
    return log_update(request, project_of(request, pk), TEMPLATE, form_class=ProjectUpdateForm,
                      prefetch=project_related())


@login_required
def project_take(request, pk):
    return take_item(request, project_of(request, pk), TEMPLATE, form_class=ProjectUpdateForm,
                     prefetch=project_related())


@login_required
def project_add_action(request, pk):
    return actions.add_action(request, project_of(request, pk), TEMPLATE, form_class=ProjectUpdateForm,
                              prefetch=project_related())


def projects(public=False):
    """A list's projects with what its rows show (for the public, no owner; the published recommendations)."""
    rows = Project.objects.select_related("session__meeting")
    served = Recommendation.objects.select_related("session__meeting")
    return (rows if public else rows.select_related("owner")).prefetch_related(
        "themes", Prefetch("responsible_actors", Actor.objects.all()),
        Prefetch("recommendations", served.filter(is_public=True) if public else served),
        Prefetch("project_partners", ProjectPartner.objects.select_related("actor")),
    )


@portal_page("partnerships.view_project")
@only_set_parameters
def project_list(request):
    filterset = ProjectFilterSet(request.GET or None, queryset=projects(is_public(request)), request=request)
    return filtered_list(request, filterset, "partnerships/project_list.html")


@download_limit
@portal_page("partnerships.view_project")
@only_set_parameters
def project_export(request, fmt):
    filterset = ProjectFilterSet(request.GET or None, queryset=projects(is_public(request)), request=request)
    return export(request, filterset, project_table, "pfp-projects", fmt)


def project_table(queryset):
    """The export columns: those of the projects spreadsheet, plus the last update."""
    return Table(queryset, [
        Column("title", "title"), Column("description", "description"), *translation_columns("title", "description"),
        Column("origin", "origin"),
        Column("meeting", "session__meeting__year"), Column("session", "session__code"),
        Column("stage", "stage", dict(Stage.choices)),
        Many("recommendations", "recommendations", ("session__meeting__year", "session__code", "number"),
             "{}/{}/{}", order=("session__meeting__year", "session__position", "number")),
        *FOLLOW_UP_COLUMNS, *FOLLOW_UP_STATE_COLUMNS,
    ])
