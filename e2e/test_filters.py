"""A reader filters a list from the reworked form: the common filters first, the others folded
under "More filters", and every address it lands on carries only what is set."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, shot
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = "table.items tbody tr:has(td)"
HEADINGS = "table.items tr.session-heading th"


def test_a_viewer_filters_by_meeting_and_status_and_lands_on_a_clean_address(page, app):
    log_in(page, app, "viewer")
    redirects = []
    page.on("response", lambda r: r.status == 302 and redirects.append(r.url))
    page.goto(f"{app.url}/recommendations/")
    meeting = page.get_by_label("Meeting")
    expect(meeting.locator("option:checked")).to_have_text("Any meeting")
    expect(page.get_by_label("Roundtable").locator("option:checked")).to_have_text("Any roundtable")
    expect(page.locator("input[name=theme]").first).to_be_hidden()  # folded under "More filters"

    meeting.select_option(label="GFMD 2010")
    page.get_by_label("Not started").check()
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(f"{app.url}/recommendations/?status=not_started&status=in_progress&meeting=2010")
    # The report: 45 outcomes, 1.1/8, 2.1/1, 3.1/3 and 3.3/3 under way, the rest not started.
    expect(page.locator(ROWS)).to_have_count(45)
    expect(page.locator(HEADINGS)).to_have_count(7)
    expect(page.locator(HEADINGS).first).to_have_text(
        "Roundtable 1 · Session 1.1: Partnerships for more regular and protected migration GFMD 2010")
    expect(page.locator(".filters-stated")).to_have_text(
        "Filters: Status: Not started, In progress; Meeting: 2010")

    # Again, from the form as the page drew it: the meeting kept, one status less.
    expect(page.get_by_label("Meeting")).to_have_value("2010")
    page.get_by_label("Not started").uncheck()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(f"{app.url}/recommendations/?status=in_progress&meeting=2010")
    expect(page.locator(ROWS)).to_have_count(4)
    expect(page.locator(HEADINGS)).to_have_text([
        "Roundtable 1 · Session 1.1: Partnerships for more regular and protected migration GFMD 2010",
        "Roundtable 2 · Session 2.1: Reducing the costs of migration and maximizing human development GFMD 2010",
        "Roundtable 3 · Session 3.1: Assessing the impact of migration on the economic and social development and "
        "addressing its cause-effect relationship GFMD 2010",
        "Roundtable 3 · Session 3.3: How can RCPs and Inter-regional Fora best include the migration and development "
        "nexus? GFMD 2010"])
    expect(page.locator(ROWS).locator(".badge")).to_have_text(["In progress"] * 4)
    shot(page, "filtered-by-meeting-and-status")

    # A sort heading, then the next filters: still only what is set.
    page.get_by_role("link", name="Due", exact=True).click()
    expect(page).to_have_url(f"{app.url}/recommendations/?status=in_progress&meeting=2010&sort=due")
    page.get_by_label("Meeting").select_option(label="Any meeting")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(f"{app.url}/recommendations/?status=in_progress&sort=due")
    assert redirects == []  # filters.js sent only what is set: no round trip through the server's redirect


def test_a_shared_address_full_of_empty_and_repeated_filters_is_made_clean(page, app):
    log_in(page, app, "viewer")
    page.goto(f"{app.url}/recommendations/?q=&meeting=2010&owner=&meeting=2010&session=3.1&responsible=")
    expect(page).to_have_url(f"{app.url}/recommendations/?meeting=2010&session=3.1")
    expect(page.locator(ROWS)).to_have_count(5)  # session 3.1's five outcomes
    expect(page.locator(".filters-stated")).to_have_text("Filters: Meeting: 2010; Session code: 3.1")


def test_more_filters_opens_by_itself_and_shows_the_checked_choices(page, app):
    for number in (6, 7):
        Recommendation.objects.filter(session__code="2.1", number=number).update(priority="high")
    log_in(page, app, "viewer")
    page.goto(f"{app.url}/recommendations/")
    page.get_by_text("More filters").click()
    page.get_by_label("High").check()
    page.locator("input[name=theme][value=labour-mobility]").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/recommendations/\?priority=high&theme=labour-mobility$"))
    expect(page.locator("details.more-filters")).to_have_attribute("open", "")
    expect(page.locator("details.more-filters > summary")).to_have_text("More filters (2 set)")
    checked = page.locator("input[name=theme]:checked")
    expect(checked).to_have_count(1)
    expect(checked).to_be_visible()
    themes = page.locator("#id_theme")  # every theme in full: no box to scroll a checked one out of sight
    shown = themes.evaluate("box => [box.scrollHeight <= box.clientHeight, getComputedStyle(box).overflowY]")
    assert shown == [True, "visible"]
    expect(page.get_by_label("High")).to_be_checked()
    # Of the two high-priority items (2.1/6 and 2.1/7), only 2.1/6 is on labour mobility.
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.locator(ROWS).locator("td.code")).to_have_text(["2.1", "6"])
    expect(page.locator(ROWS).locator("td.priority")).to_have_text(["High"])
    shot(page, "more-filters-open")
