"""The meeting's page as a reader uses it: from the menu and from an item's session, a session's anchor, its
counts leading to the lists, at phone width and on paper."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, pdf_shot, shot
from e2e.test_print import flat, print_to_pdf

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_reader_opens_the_meeting_from_the_menu_and_follows_a_session_to_its_recommendations(page, app):
    log_in(page, app, "viewer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="GFMD 2010").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fourth Meeting of the Global Forum on Migration and Development")
    expect(page.locator("section.handover")).to_contain_text("Chair of GFMD 2011")
    shot(page, "meeting-page", full_page=False)
    page.get_by_role("navigation", name="Sessions").get_by_role("link", name=re.compile(r"^2\.1 Reducing")).click()
    expect(page).to_have_url(re.compile(r"/meetings/2010/#session-2\.1$"))
    session = page.locator("section[id='session-2.1']")
    expect(session).to_be_in_viewport()
    expect(session.locator("dd", has_text="Mr. Johan Fick")).to_be_visible()
    session.get_by_role("link", name="8 recommendations").click()
    expect(page).to_have_url(re.compile(r"/recommendations/\?meeting=2010&session=2\.1$"))
    expect(page.locator("table.items tbody tr:has(td)")).to_have_count(8)


def test_an_items_session_name_opens_its_place_on_the_meetings_page(page, app):
    log_in(page, app, "viewer")
    page.goto(f"{app.url}/recommendations/2010/3.1/3/")
    page.get_by_role("link", name=re.compile(r"^Session 3\.1: ")).click()
    expect(page).to_have_url(re.compile(r"/meetings/2010/#session-3\.1$"))
    expect(page.locator("section[id='session-3.1']")).to_be_in_viewport()


def test_the_meeting_page_fits_a_phone_and_reads_on_paper(browser, app, watch, artifacts):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = watch.attach(context.new_page())
    log_in(page, app, "viewer")
    page.goto(f"{app.url}/meetings/2010/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"{app.url}/meetings/2010/#roundtable-2")  # its coordinator, its reporter, then session 2.1
    expect(page.get_by_text("Mr. Azzouz Samri")).to_be_in_viewport()
    shot(page, "phone-meeting-page", full_page=False)
    context.close()

    context = browser.new_context()
    page = watch.attach(context.new_page())
    log_in(page, app, "viewer")
    page.goto(f"{app.url}/meetings/2010/")
    text = flat(print_to_pdf(page, artifacts / "printed-meeting.pdf"))
    pdf_shot(artifacts / "printed-meeting.pdf", "printed-meeting")
    assert "Log out" not in text and "Search every item" not in text  # no navigation, no forms
    assert "Chair of GFMD 2011 H.E. Mr. Eduard Gnesa" in text and "(report, line 855)" in text
    assert "Coordinator Dr. Irena Omelaniuk" in text
    assert "Mr. Azzouz Samri, Plenipotentiary Minister, Morocco" in text
    assert "report, line 1052" in text
    context.close()
