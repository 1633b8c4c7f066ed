"""The open data's actions: the published actions of published items by their keys, with their follow-up as the
downloads write it, and their public timeline entries; nothing of an unpublished action or item."""

import pytest

from recommendations import services

from .conftest import build_package, with_actions

pytestmark = pytest.mark.django_db

HANDBOOK = "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries"


@pytest.fixture
def planted(staff, editor):
    return with_actions(staff, editor)


def test_the_actions_table_holds_the_published_actions_by_their_keys(planted):
    rows = build_package().csv("actions")
    assert sorted((r["action"], r["item_kind"], r["item"], r["number"], r["title"], r["status"], r["progress"])
                  for r in rows) == [
        ("2010/2.1/1/a1", "recommendation", "2010/2.1/1", "1", "Workshop in Dubai", "In progress", "30"),
        (f"{HANDBOOK}/a1", "project", HANDBOOK, "1", "Translate it", "Planned", "0"),
    ]
    workshop = next(r for r in rows if r["action"] == "2010/2.1/1/a1")
    assert (workshop["weight"], workshop["verification"], workshop["freshness"], workshop["last_public_note"]) == (
        "1", "", "Current", "Venue booked.")
    assert "owner" not in workshop


def test_the_action_timeline_holds_the_public_entries_only(planted, staff):
    planted["workshop"].record_update(by=staff, note="Internal: the venue is too small.", progress=35)
    package = build_package()
    entries = package.csv("action-timeline")
    assert sorted((e["action"], e["note"], e["status_after"]) for e in entries) == sorted([
        ("2010/2.1/1/a1", "Venue booked.", "In progress"), (f"{HANDBOOK}/a1", "Translator found.", "Planned")])
    json_rows = package.json("action-timeline")
    assert {row["action"] for row in json_rows} == {"2010/2.1/1/a1", f"{HANDBOOK}/a1"}


def test_nothing_of_an_unpublished_action_or_of_the_actions_of_an_unpublished_item(planted, staff, editor):
    planted["draft"].record_update(by=staff, note="Draft progress.", progress=10, public=True)
    services.set_items_public([planted["project"]], public=False, by=editor)
    package = build_package()
    assert [r["action"] for r in package.csv("actions")] == ["2010/2.1/1/a1"]
    assert {e["action"] for e in package.csv("action-timeline")} == {"2010/2.1/1/a1"}
    assert "Draft" not in package.text("csv/actions.csv") + package.text("csv/action-timeline.csv")


def test_items_state_their_roll_up_and_freshness(planted):
    """The roll-up counts the published actions only: the unpublished one is a draft the public may not learn of."""
    rec = next(r for r in build_package().csv("recommendations") if (r["session"], r["number"]) == ("2.1", "1"))
    assert (rec["actions_reported"], rec["actions_total"], rec["rolled_up_progress"], rec["verification"]) == (
        "1", "1", "30", "")
    assert rec["freshness"] in {"Current", "Ageing", "Stale", "Inactive"}
