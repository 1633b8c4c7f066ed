from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from recommendations.models import Recommendation
from recommendations.views import export, filtered_list, item_page, log_update

from .filters import ProjectFilterSet
from .forms import ProjectUpdateForm
from .models import Project, ProjectPartner
from .resources import ProjectReportResource

TEMPLATE = "partnerships/project_detail.html"


def _project(pk):
    return get_object_or_404(
        Project.objects.select_related("session__meeting", "owner").prefetch_related(
            "themes", "responsible_actors", "concerns",
            Prefetch("project_partners", ProjectPartner.objects.select_related("actor")),
            Prefetch("recommendations", Recommendation.objects.select_related("session__meeting")),
        ),
        pk=pk,
    )


@login_required
@permission_required("partnerships.view_project", raise_exception=True)
def project_detail(request, pk):
    return item_page(request, _project(pk), TEMPLATE, form_class=ProjectUpdateForm)


@login_required
@require_POST
def project_update(request, pk):
    project = _project(pk)

    def render_page(item=project, **kwargs):
        return item_page(request, item, TEMPLATE, form_class=ProjectUpdateForm, **kwargs)

    return log_update(request, project, render_page, form_class=ProjectUpdateForm)


def projects():
    return Project.objects.select_related("owner", "session__meeting").prefetch_related(
        "themes", "responsible_actors", "recommendations__session__meeting",
        Prefetch("project_partners", ProjectPartner.objects.select_related("actor")),
    )


@login_required
@permission_required("partnerships.view_project", raise_exception=True)
def project_list(request):
    filterset = ProjectFilterSet(request.GET or None, queryset=projects(), request=request)
    return filtered_list(request, filterset, "partnerships/project_list.html")


@login_required
@permission_required("partnerships.view_project", raise_exception=True)
def project_export(request, fmt):
    filterset = ProjectFilterSet(request.GET or None, queryset=projects(), request=request)
    back = reverse("partnerships:list") + "?" + request.GET.urlencode()
    return export(request, filterset, ProjectReportResource(), "pfp-projects", fmt, back)
