import pytest
import tablib

from partnerships.models import Project, ProjectPartner, Stage
from partnerships.resources import ProjectPartnerResource, ProjectResource

pytestmark = pytest.mark.django_db


def projects():
    return sorted(
        (p.title, p.description, p.origin, p.session.code, p.stage, p.status, p.progress,
         tuple(sorted(r.natural_key() for r in p.recommendations.all())),
         tuple(sorted(t.slug for t in p.themes.all())),
         tuple(sorted(a.name for a in p.responsible_actors.all())))
        for p in Project.objects.select_related("session")
    )


def partners():
    return sorted(ProjectPartner.objects.values_list("project__title", "actor__name", "role", "note"))


def test_projects_and_partners_round_trip_through_empty_tables():
    before_projects, before_partners = projects(), partners()
    project_csv = ProjectResource().export().export("csv")
    partner_csv = ProjectPartnerResource().export().export("csv")
    assert "International Organization for Migration,Implementer" in partner_csv
    assert "2010/3.1/3; 2010/3.3/3" in project_csv

    Project.objects.all().delete()
    assert ProjectPartner.objects.count() == 0
    result = ProjectResource().import_data(tablib.Dataset().load(project_csv, format="csv"))
    assert not result.has_errors() and not result.has_validation_errors()
    result = ProjectPartnerResource().import_data(tablib.Dataset().load(partner_csv, format="csv"))
    assert not result.has_errors() and not result.has_validation_errors()

    assert projects() == before_projects
    assert partners() == before_partners


def test_a_partner_row_with_an_unknown_role_or_actor_writes_nothing():
    data = tablib.Dataset(
        ["Developing Migration Profiles", "Ghana", "Interested party", ""],
        ["Developing Migration Profiles", "Ghana", "Sponsor", ""],
        headers=["project", "actor", "role", "note"],
    )
    result = ProjectPartnerResource().import_data(data)
    assert result.has_errors() or result.has_validation_errors()
    assert not ProjectPartner.objects.filter(actor__name="Ghana").exists()


def test_a_stage_change_by_import_is_in_the_project_timeline(editor):
    data = ProjectResource().export(queryset=Project.objects.filter(title="Protecting Unaccompanied Migrant Children"))
    rows = [[("Completion / follow-up" if h == "stage" else v) for h, v in zip(data.headers, row)] for row in data]

    ProjectResource().import_data(tablib.Dataset(*rows, headers=data.headers), user=editor)

    project = Project.objects.get(title="Protecting Unaccompanied Migrant Children")
    assert project.stage == Stage.COMPLETION
    latest = project.updates.first()
    assert (latest.stage_before, latest.stage_after, latest.author) == (Stage.INITIATION, Stage.COMPLETION, editor)
