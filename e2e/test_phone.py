"""A Steering Group member on a phone (390 px): a list answers "where does it stand?" on every row,
the filters wait behind a button, and an item page says where it stands under its title."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, shot
from e2e.test_ui import PHONE
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser, watch):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield watch.attach(context.new_page())
    context.close()


def test_a_phone_list_shows_status_and_progress_on_every_row_with_the_filters_behind_a_button(phone, app):
    log_in(phone, app, "viewer")
    phone.goto(f"{app.url}/recommendations/?status=not_started&status=in_progress")
    expect(phone.locator(".filters-stated")).to_contain_text("Not started")
    form = phone.locator("form.filters")
    expect(form).to_be_hidden()
    rows = phone.locator("table.items tbody tr:has(td)")
    expect(rows).to_have_count(45)
    for row in rows.all():
        badge, progress = row.locator(".badge").first, row.locator(".progress-text")
        expect(badge).to_be_visible()
        expect(badge).to_have_text(re.compile("^(Not started|In progress)$"))
        expect(progress).to_be_visible()
        expect(progress).to_have_text("0%")
        box = badge.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    in_progress = Recommendation.objects.filter(status="in_progress").count()
    expect(rows.locator(".badge", has_text="In progress")).to_have_count(in_progress)
    expect(rows.first.locator("td[data-label=Owner]")).to_be_visible()
    shot(phone, "phone-list", full_page=False)

    phone.get_by_text("Filters (1 set)").click()
    expect(form).to_be_visible()
    phone.get_by_label("Text").fill("recruitment")
    phone.get_by_role("button", name="Apply filters").click()
    expect(phone.locator(".filters-stated")).to_contain_text("recruitment")
    expect(phone.locator("form.filters")).to_be_hidden()


def test_a_phone_item_page_says_where_it_stands_first_and_opens_a_refused_update_at_its_error(phone, app, watch):
    watch.expect_status(400)  # the update without a note is refused, and its form shown again
    user = log_in(phone, app, "staff")
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    Recommendation.objects.filter(pk=rec.pk).update(owner=user)
    phone.goto(app.url + rec.get_absolute_url())
    facts = phone.locator("dl.key-facts")
    expect(facts).to_be_in_viewport()  # on the first screen, without scrolling
    expect(facts.locator("dt")).to_have_text(["Status", "Progress", "Owner", "Due date", "Freshness"])
    expect(facts.locator("dd").first).to_have_text("In progress")
    expect(facts.locator("dd").nth(2)).to_have_text(user.username)
    form, timeline = phone.locator("#log-update"), phone.locator("#timeline")
    assert form.bounding_box()["y"] < timeline.bounding_box()["y"]  # the form does not sink below the timeline
    shot(phone, "phone-item")

    phone.get_by_label("Status").select_option(label="Stalled")
    phone.get_by_role("button", name="Save update").click()
    summary = phone.locator("#update-errors")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Write a note")
    assert phone.evaluate("window.scrollY") > 0
    expect(phone.get_by_label("Status")).to_have_value("stalled")
    shot(phone, "phone-item-refused", full_page=False)
