"""The open data hold nothing internal: the leak crawl's markers (gfmd_tracker/tests/test_public_leaks.py: an
owner's names and e-mail, internal notes and evidence links, unpublished items and actions and the lineage that
touches them), and a partner's note (not shown on any public page), are in no file of the ZIP; what is public is
there."""

import re

import pytest

from gfmd_tracker.tests.test_public_leaks import (  # noqa: F401
    MARK,
    PUBLIC_ACTION_NOTE,
    PUBLIC_EVIDENCE,
    PUBLIC_NOTE,
    planted,
)
from partnerships.models import ProjectPartner

from .conftest import build_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaky(planted):  # noqa: F811
    noted = ProjectPartner.objects.filter(project=planted["project"]).update(note="Zqx partner note: internal.")
    return {**planted, "partners": noted}


def test_no_file_of_the_zip_holds_an_internal_value(leaky):
    package = build_package()
    leaks = {name: re.findall(rf".{{0,40}}{MARK}.{{0,40}}", package.text(name), re.I)[:2]
             for name in package.zip.namelist() if MARK in package.text(name).lower()}
    assert not leaks
    # Not vacuous: the planted items and their public entries are there, the owner change without its owner.
    entries = package.csv("recommendation-timeline")
    published = [e for e in entries if (e["session"], e["number"]) == ("2.1", "1")]
    assert [e["note"] for e in published][-2:] == ["Took this item.", PUBLIC_NOTE]
    assert published[-1]["evidence_url"] == PUBLIC_EVIDENCE
    assert {"owner", "owner_before", "owner_after", "author", "last_note", "last_update"}.isdisjoint(
        {f["name"] for r in package.descriptor["resources"] for f in r.get("schema", {}).get("fields", [])})
    [action] = package.csv("actions")  # the published action of a published item, without its internal notes
    assert (action["action"], action["last_public_note"]) == ("2010/2.1/1/a1", PUBLIC_ACTION_NOTE)
    assert [e["note"] for e in package.csv("action-timeline")] == [PUBLIC_ACTION_NOTE]
    project = next(p for p in package.csv("projects") if p["title"].startswith("Handbook"))
    assert project["last_public_note"] == PUBLIC_NOTE
    assert [p["project"] for p in package.csv("project-partners")].count(project["title"]) == leaky["partners"] > 0


def test_unpublished_items_their_entries_and_their_links_are_absent(leaky):
    """The draft recommendation 2.1/99 that the Handbook project serves is in none of its lists either."""
    package = build_package()
    for name in ("recommendations", "follow-up-items", "recommendation-timeline", "follow-up-item-timeline"):
        assert "99" not in {row["number"] for row in package.csv(name)}, name
    assert len(package.csv("recommendations")) == 45 and len(package.csv("follow-up-items")) == 57
    assert [p["title"] for p in package.csv("projects")] == [
        "Developing Migration Profiles", "Handbook on Engaging Diasporas in Development Activities in both Host "
        "and Home Countries", "Protecting Unaccompanied Migrant Children"]
    assert [p["recommendations"] for p in package.csv("projects")] == ["2010/3.1/3; 2010/3.3/3", "", "2010/1.2/9"]
    assert {p["project"] for p in package.csv("project-partners")} == {p["title"] for p in package.csv("projects")}
    assert {t["project"] for t in package.csv("project-timeline")} == {p["title"] for p in package.csv("projects")}
    assert [link["line"] for link in package.csv("lineage")] == ["785", "791", "799", "799"]  # the seeded four
