"""The long lists are boxes to type a name in: the browser offers matches as one types."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, shot
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db(transaction=True)


def offered(page, box):
    return box.evaluate("box => [...box.list.options].map(option => option.value)")


def test_a_viewer_finds_an_owner_by_typing_part_of_the_name(page, app):
    log_in(page, app, "viewer")
    staff = app.users["staff"]
    Recommendation.objects.filter(session__code="2.1", number__lte=2).update(owner=staff)
    page.goto(f"{app.url}/recommendations/")
    owner = page.get_by_label("Owner")
    expect(owner).to_have_value("")
    assert offered(page, owner) == ["none"]  # "— unassigned —", before anything is typed
    owner.press_sequentially("e2e-st")
    page.wait_for_function("() => document.querySelector('#id_owner').list.options.length > 1")
    assert offered(page, owner) == ["none", staff.username]
    owner.fill(staff.username)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("table.items tbody tr:has(td)")).to_have_count(2)
    expect(page.get_by_label("Owner")).to_have_value(staff.username)
    shot(page, "owner-typed-by-name")


def test_an_editor_gives_an_item_to_someone_typed_by_name(page, app):
    log_in(page, app, "editor")
    staff = app.users["staff"]
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    page.goto(app.url + rec.get_absolute_url())
    expect(page.locator("#id_owner")).to_have_value("")
    box = page.get_by_label("Or give it to")
    box.press_sequentially("e2e-")
    page.wait_for_function("() => document.querySelector('#id_new_owner').list.options.length > 0")
    # Those who may own items; not the viewer.
    assert offered(page, box) == ["e2e-administrator", "e2e-editor", "e2e-staff"]
    box.fill(staff.username)
    page.get_by_role("textbox", name="Note").fill("Handed to the staff member.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_have_text("Your update is in the timeline.")
    expect(page.locator("#id_owner")).to_have_value(str(staff.pk))
    rec.refresh_from_db()
    assert rec.owner == staff
