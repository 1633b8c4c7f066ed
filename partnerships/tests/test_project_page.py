"""A project's page and its update form, as each role uses them."""

import pytest

from partnerships.models import Project, Stage
from recommendations.models import Status

pytestmark = pytest.mark.django_db


def profiles():
    return Project.objects.get(title="Developing Migration Profiles")


def test_the_project_page_shows_partners_roles_outcomes_and_concerns(client, viewer):
    client.force_login(viewer)
    body = client.get(profiles().get_absolute_url()).content.decode()
    assert "GFMD ad hoc Working Group on Policy Coherence, Data and Research" in body and "Proposer / owner" in body
    assert "Produce and update Migration Profiles" in body
    assert "need to standardize the templates to some extent" in body


def test_an_editor_moves_the_project_to_its_next_stage(client, editor):
    client.force_login(editor)
    project = profiles()
    response = client.post(project.get_update_url(), {
        "version": project.version, "note": "Template drafted with the Working Group.", "stage": Stage.DESIGN,
        "status": Status.IN_PROGRESS,
    })
    assert response.status_code == 302
    project = profiles()
    assert (project.stage, project.status) == (Stage.DESIGN, Status.IN_PROGRESS)
    entry = project.updates.first()
    assert (entry.stage_before, entry.stage_after, entry.author) == (Stage.INITIATION, Stage.DESIGN, editor)


def test_staff_cannot_change_the_stage_of_a_project_they_do_not_own(client, staff):
    client.force_login(staff)
    project = profiles()
    response = client.post(project.get_update_url(), {"version": project.version, "note": "x", "stage": "withdrawn"})
    assert response.status_code == 403
    assert profiles().stage == Stage.INITIATION
