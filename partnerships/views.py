from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from recommendations.models import Recommendation
from recommendations.views import item_page, log_update

from .forms import ProjectUpdateForm
from .models import Project, ProjectPartner

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


@login_required
@permission_required("partnerships.view_project", raise_exception=True)
def project_list(request):
    projects = Project.objects.select_related("owner").prefetch_related(
        Prefetch("project_partners", ProjectPartner.objects.select_related("actor"))
    )
    return render(request, "partnerships/project_list.html", {"projects": projects})
