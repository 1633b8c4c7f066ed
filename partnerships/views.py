from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from recommendations.exports import Column, Many, Table
from recommendations.models import Recommendation
from recommendations.views.items import item_page, log_update, take_item
from recommendations.views.lists import FOLLOW_UP_COLUMNS, export, filtered_list, only_set_parameters

from .filters import ProjectFilterSet
from .forms import ProjectUpdateForm
from .models import Project, ProjectPartner, Stage

TEMPLATE = "partnerships/project_detail.html"


def _project(pk):
    return get_object_or_404(Project.objects.select_related("session__meeting", "owner"), pk=pk)


def project_related():
    return (
        "themes", "responsible_actors", "concerns",
        Prefetch("project_partners", ProjectPartner.objects.select_related("actor")),
        Prefetch("recommendations", Recommendation.objects.select_related("session__meeting")),
    )


@login_required
@permission_required("partnerships.view_project", raise_exception=True)
def project_detail(request, pk):
    return item_page(request, _project(pk), TEMPLATE, form_class=ProjectUpdateForm, prefetch=project_related())


@login_required
def project_update(request, pk):
    return log_update(request, _project(pk), TEMPLATE, form_class=ProjectUpdateForm, prefetch=project_related())


@login_required
def project_take(request, pk):
    return take_item(request, _project(pk), TEMPLATE, form_class=ProjectUpdateForm, prefetch=project_related())


def projects():
    return Project.objects.select_related("owner", "session__meeting").prefetch_related(
        "themes", "responsible_actors", "recommendations__session__meeting",
        Prefetch("project_partners", ProjectPartner.objects.select_related("actor")),
    )


@login_required
@permission_required("partnerships.view_project", raise_exception=True)
@only_set_parameters
def project_list(request):
    filterset = ProjectFilterSet(request.GET or None, queryset=projects(), request=request)
    return filtered_list(request, filterset, "partnerships/project_list.html")


@login_required
@permission_required("partnerships.view_project", raise_exception=True)
@only_set_parameters
def project_export(request, fmt):
    filterset = ProjectFilterSet(request.GET or None, queryset=projects(), request=request)
    return export(request, filterset, project_table, "pfp-projects", fmt)


def project_table(queryset):
    """The export columns: those of the projects spreadsheet, plus the last update."""
    return Table(queryset, [
        Column("title", "title"), Column("description", "description"), Column("origin", "origin"),
        Column("meeting", "session__meeting__year"), Column("session", "session__code"),
        Column("stage", "stage", dict(Stage.choices)),
        Many("recommendations", "recommendations", ("session__meeting__year", "session__code", "number"),
             "{}/{}/{}", order=("session__meeting__year", "session__position", "number")),
        *FOLLOW_UP_COLUMNS,
    ])
