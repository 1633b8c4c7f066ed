"""Staff move their work forward: take an item nobody owns, see whom to ask; editors change rows in bulk."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, shot
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Interactive map and databases on migration flows"  # 2010, session 1.1, number 1


def test_staff_take_an_item_nobody_owns_and_find_it_in_my_items(page, app):
    user = log_in(page, app, "staff")
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    page.goto(app.url + rec.get_absolute_url())
    owner = page.locator("dl.key-facts dt:text-is('Owner') + dd")
    expect(owner).to_have_text("Unassigned")

    page.get_by_role("button", name="Take this item").click()

    expect(page.get_by_role("status")).to_have_text("You own this item now: it is in My items.")
    expect(owner).to_have_text(user.username)
    expect(page.get_by_role("button", name="Take this item")).to_have_count(0)
    expect(page.locator("ol.timeline > li").first).to_contain_text("Took this item.")
    shot(page, "staff-took-an-item")
    page.get_by_role("link", name="My items").click()
    expect(page.locator("tr", has_text=TITLE)).to_contain_text("Not started")
    assert Recommendation.objects.get(pk=rec.pk).owner == user


def test_on_an_item_someone_else_owns_staff_see_whom_to_ask(page, app):
    editor = app.users["editor"]
    editor.email = "eda@example.org"
    editor.save()
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    Recommendation.objects.filter(pk=rec.pk).update(owner=editor)
    log_in(page, app, "staff")
    page.goto(app.url + rec.get_absolute_url())
    expect(page.locator("p.ask-owner")).to_have_text(
        f"{editor.username} owns this item (eda@example.org): ask them to change its status, progress or dates, "
        "or to hand it over.")
    expect(page.get_by_role("link", name="eda@example.org")).to_have_attribute("href", "mailto:eda@example.org")
    expect(page.get_by_role("button", name="Take this item")).to_have_count(0)


def test_an_editor_ticks_rows_and_changes_their_status_with_a_note(page, app):
    log_in(page, app, "editor")
    page.goto(app.url + "/recommendations/?session=3.2")
    page.get_by_label("Select 3.2/1").check()
    page.get_by_label("Select 3.2/3").check()
    page.get_by_text("Change the selected rows: owner or status").click()
    page.get_by_label("New status").select_option(label="Planned")
    page.locator("#bulk-note").fill("Planned with UNEP for 2011.")
    page.get_by_role("button", name="Change the status").click()

    expect(page.get_by_role("status")).to_have_text("Updated 2 recommendations; each timeline has the note.")
    assert page.url == app.url + "/recommendations/?session=3.2"
    expect(page.locator("tr", has=page.get_by_label("Select 3.2/1"))).to_contain_text("Planned")
    expect(page.locator("tr", has=page.get_by_label("Select 3.2/2"))).to_contain_text("Not started")
    shot(page, "editor-bulk-status")
    statuses = Recommendation.objects.filter(session__code="3.2").values_list("status", flat=True)
    assert list(statuses) == [Status.PLANNED, Status.NOT_STARTED, Status.PLANNED]
