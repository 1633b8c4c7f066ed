"""Issue #20's journey: staff add two actions to 2.1/1 and report on one; the item shows "1 of 2 actions
reported"; staff claim the action implemented with its evidence; an editor verifies it; the status matrix and the
actor page show the verified closure. At desktop width, then the item page at phone width."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, shot
from recommendations.models import Action, Actor, Recommendation, Status

pytestmark = pytest.mark.django_db(transaction=True)


def add_action(page, title, actor=""):
    page.get_by_text("Add an action", exact=True).click()
    page.get_by_label("Title").fill(title)
    if actor:
        page.locator('input[name="action-responsible_actors_0"]').fill(actor)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("status")).to_contain_text(title)


def test_actions_are_reported_claimed_and_verified_and_the_reports_show_it(browser, app, watch):
    contexts = [browser.new_context(viewport={"width": 1366, "height": 900}) for _ in range(2)]
    staff_page, editor_page = (watch.attach(c.new_page()) for c in contexts)
    staff = log_in(staff_page, app, "staff")
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    staff_page.goto(app.url + item.get_absolute_url())

    add_action(staff_page, "Survey the recruitment agencies of the region", actor="Mexico")
    add_action(staff_page, "Publish a code of conduct with the agencies")
    rows = staff_page.locator("#actions table.actions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("a1")
    expect(rows.nth(0)).to_contain_text("unknown")
    expect(staff_page.locator("#actions .rollup")).to_have_text("0 of 2 actions reported · progress unknown")

    # Report on a1 (staff own the actions they added).
    rows.nth(0).get_by_role("link", name="Survey the recruitment agencies of the region").click()
    staff_page.get_by_label("Status").select_option(label="In progress")
    staff_page.get_by_label("Progress (%)").fill("50")
    staff_page.get_by_role("textbox", name="Note").fill("Questionnaire sent to 40 agencies.")
    staff_page.get_by_role("button", name="Save update").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Your update is in the timeline.")
    staff_page.goto(app.url + item.get_absolute_url())
    rollup = staff_page.locator("#actions .rollup")
    expect(rollup).to_have_text("1 of 2 actions reported · 50% over the reported one")
    shot(staff_page, "item-with-actions")

    # Claim a1 implemented, with its evidence.
    a1 = Action.objects.of_parent(item).get(number=1)
    staff_page.goto(app.url + a1.get_absolute_url())
    staff_page.get_by_label("Status").select_option(label="Implemented")
    staff_page.get_by_label("Progress (%)").fill("100")
    staff_page.get_by_role("textbox", name="Note").fill("All 40 agencies answered; the survey is published.")
    staff_page.get_by_label("Evidence link").fill("https://example.org/survey-2011.pdf")
    staff_page.get_by_role("button", name="Save update").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Your update is in the timeline.")
    expect(staff_page.locator(".badge.status-implemented").first).to_have_text("Implemented — awaiting verification")
    assert staff.pk == Action.objects.get(pk=a1.pk).updates.filter(verification_after="awaiting").get().author_id

    # An editor, who did not claim it, verifies it.
    log_in(editor_page, app, "editor")
    editor_page.goto(app.url + a1.get_absolute_url())
    editor_page.get_by_label("Verify this closure").check()
    editor_page.get_by_role("textbox", name="Note").fill("Survey report checked against the agencies' list.")
    editor_page.get_by_role("button", name="Save update").click()
    expect(editor_page.get_by_role("status")).to_contain_text("Your update is in the timeline.")
    expect(editor_page.locator(".badge.status-implemented").first).to_have_text("Implemented — verified")
    expect(editor_page.locator("ol.timeline > li").first).to_contain_text("Closure verified")
    a1.refresh_from_db()
    assert (a1.status, a1.verification) == (Status.IMPLEMENTED, "verified")

    # The status matrix and the actor's scorecard count the verified closure.
    editor_page.goto(app.url + "/reports/matrix/")
    known = editor_page.locator("#actions-matrix dl.coverage")
    expect(known.locator("dt:text-is('Closures verified') + dd")).to_have_text("1")
    expect(known.locator("dt:text-is('Actions') + dd")).to_have_text("2")
    shot(editor_page, "matrix-actions-known")
    mexico = Actor.objects.get(name="Mexico")
    editor_page.goto(f"{app.url}/actors/{mexico.pk}/")
    actions_row = editor_page.locator("#scorecard table.figures tbody tr", has_text="Actions")
    expect(actions_row.locator('td[data-label="Closures verified"]')).to_have_text("1")
    shot(editor_page, "actor-scorecard")

    # The item page at phone width: nothing wider than the phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone_page = watch.attach(phone.new_page())
    log_in(phone_page, app, "staff")
    phone_page.goto(app.url + item.get_absolute_url())
    expect(phone_page.locator("#actions")).to_contain_text("Implemented — verified")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone_page, "phone-item-with-actions")
    for context in (*contexts, phone):
        context.close()
