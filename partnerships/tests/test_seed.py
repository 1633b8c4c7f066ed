import pytest

from partnerships.models import Project, ProjectPartner, Stage
from recommendations.models import Status

pytestmark = pytest.mark.django_db

HANDBOOK = "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries"


def roles(project):
    partners = project.project_partners.select_related("actor")
    return sorted((p.role, p.actor.short_name or p.actor.name) for p in partners)


def test_the_three_kick_off_projects_are_seeded():
    assert sorted(Project.objects.values_list("title", flat=True)) == [
        "Developing Migration Profiles", HANDBOOK, "Protecting Unaccompanied Migrant Children",
    ]


def test_handbook_is_supported_by_three_governments_and_implemented_by_iom_and_mpi():
    handbook = Project.objects.get(title=HANDBOOK)
    assert roles(handbook) == [
        ("implementer", "IOM"), ("implementer", "MPI"),
        ("supporter", "Mexico"), ("supporter", "Netherlands"), ("supporter", "Switzerland"),
    ]
    assert handbook.origin == "Roundtable 1.2 of the 2009 Athens GFMD"
    assert (handbook.stage, handbook.status) == (Stage.IMPLEMENTATION, Status.IN_PROGRESS)
    assert "reference guide for diaspora engagement was lacking" in handbook.description


def test_children_project_is_mexicos_with_technical_support_from_three_agencies():
    children = Project.objects.get(title="Protecting Unaccompanied Migrant Children")
    assert roles(children) == [
        ("implementer", "INM"), ("proposer", "Mexico"),
        ("technical_partner", "IOM"), ("technical_partner", "UNHCR"), ("technical_partner", "UNICEF"),
    ]
    assert [str(r.natural_key()) for r in children.recommendations.all()] == ["(2010, '1.2', 9)"]
    assert any("include the police" in c.text for c in children.concerns.all())
    assert {c.kind for c in children.concerns.all()} == {"concern", "suggestion"}


def test_migration_profiles_serve_the_migration_profile_recommendations():
    profiles = Project.objects.get(title="Developing Migration Profiles")
    assert sorted(r.natural_key() for r in profiles.recommendations.all()) == [(2010, "3.1", 3), (2010, "3.3", 3)]
    assert ("proposer", "GFMD ad hoc Working Group on Policy Coherence, Data and Research") in roles(profiles)
    assert ("implementer", "EC") in roles(profiles)  # "alongside other interested partners" (test_seed_claims)
    assert profiles.concerns.count() == 3


def test_every_project_has_one_seed_entry_and_no_emphasis_markers():
    for project in Project.objects.all():
        [entry] = project.updates.all()
        assert entry.status_after == project.status and entry.stage_after == project.stage
        assert "*" not in project.description
        assert all("*" not in c.text for c in project.concerns.all())
    assert ProjectPartner.objects.count() == 13
