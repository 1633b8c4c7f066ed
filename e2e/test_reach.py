"""Every kind of item is reachable: the follow-up items from the menu and by the header's search
box, an item by its code, and the dashboard's chart of recommendations by status."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_follow_up_items_are_found_from_the_menu(page, app):
    log_in(page, app, "viewer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Follow-up items").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up items")
    rows = page.locator("table.items tbody tr:has(td)")  # not the sessions' headings
    # The civil society's five subjects and its statement's 43 calls, the Future of the Forum's five
    # decisions, the PfP's four commitments: 57, fifty to a page.
    expect(rows).to_have_count(50)
    expect(page.get_by_text("Showing 1–50 of 57").first).to_be_visible()
    expect(rows.first).to_contain_text("The pitfalls of temporary and circular migration")
    expect(rows.first).to_contain_text("Not started")
    shot(page, "follow-up-list")
    page.get_by_role("link", name="The pitfalls of temporary and circular migration").click()
    expect(page).to_have_url(re.compile(r"/follow-up/2010/CSD/1/$"))
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Follow-up items")


def test_the_header_search_finds_a_follow_up_item_and_opens_an_item_by_its_code(page, app):
    log_in(page, app, "viewer")
    box = page.get_by_role("searchbox", name="Search every item").first
    box.fill("pitfalls")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “pitfalls”")
    found = page.locator("section.search-group", has=page.get_by_role("heading", name=re.compile("^Follow-up items")))
    # The subject "pitfalls" names, and the statement's call on them (line 1139).
    expect(found.get_by_role("link")).to_have_text([
        "CSD/1 The pitfalls of temporary and circular migration",
        "CSD/10 Governments should recognize the potential pitfalls – the perpetuation of the culture of dependency …"])
    shot(page, "search-results")
    found.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/follow-up/2010/CSD/1/$"))
    box = page.get_by_role("searchbox", name="Search every item").first
    box.fill("2.1/6")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/recommendations/2010/2\.1/6/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("One-stop-shops for information on migration and return")
    page.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"/recommendations/2010/2\.1/7/$"))  # the next of the session


def test_the_dashboard_draws_recommendations_by_status(page, app):
    log_in(page, app, "viewer")
    chart = page.locator(".status-chart")
    rows = chart.locator(".chart-row")
    expect(rows).to_have_count(7)
    # The seeded report: 41 not started, 4 in progress (1.1/8, 2.1/1, 3.1/3 and 3.3/3), nothing else.
    expect(rows.locator(".label")).to_have_text(["Not started", "Planned", "In progress", "Implemented", "Ongoing",
                                                 "Stalled", "Not pursued"])
    expect(rows.locator(".value")).to_have_text(["41", "0", "4", "0", "0", "0", "0"])
    widths = rows.locator("rect").evaluate_all("rects => rects.map(r => r.getBoundingClientRect().width)")
    assert widths[0] > 0 and widths[1] == 0 and 0 < widths[2] < widths[0] / 5
    expect(page.get_by_role("link", name="open items of mine")).to_have_count(0)  # a viewer owns nothing
    expect(page.locator(".account")).to_contain_text(f"{app.users['viewer'].username} (Viewer)")
    shot(page, "dashboard-chart")
