"""The public portal in a real browser: someone with no account finds an item, reads its public
timeline and downloads the filtered list; nothing internal shows on the way."""

import csv
import io

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Interactive map and databases on migration flows"  # 2010, session 1.1, number 1
PUBLIC_NOTE = "A first version of the map is online for everyone."
INTERNAL_NOTE = "Internal: the budget line is not yet approved."


@pytest.fixture
def followed_up(app):
    """Staff own 1.1/1 and logged a published note, then an internal one (the latest)."""
    staff = app.users["staff"]
    staff.first_name, staff.last_name = "Samira", "Owner"
    staff.save()
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    rec.record_update(by=staff, note="Took this item.", owner=staff)
    rec.record_update(by=staff, note=PUBLIC_NOTE, status=Status.IN_PROGRESS, progress=30, public=True,
                      evidence_url="https://example.org/map")
    rec.record_update(by=staff, note=INTERNAL_NOTE, progress=35)
    return rec


def test_a_visitor_finds_an_item_reads_its_public_timeline_and_downloads_the_list(page, app, followed_up):
    page.goto(app.url + "/")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_role("link", name="My items")).to_have_count(0)

    page.get_by_role("link", name="Recommendations", exact=True).click()
    page.get_by_label("Text").fill("interactive map")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("table.items tbody tr:has(td)")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("In progress")
    expect(rows.first).not_to_contain_text("e2e-staff")
    page.get_by_role("link", name=TITLE).click()

    facts = page.locator("dl.key-facts")
    expect(facts).to_contain_text("Responsible actors")
    expect(facts).not_to_contain_text("Owner")
    timeline = page.locator("ol.timeline > li")
    expect(timeline.first).to_contain_text(PUBLIC_NOTE)
    expect(timeline.first).to_contain_text("Not started → In progress")
    expect(page.get_by_role("link", name="Evidence")).to_have_attribute("href", "https://example.org/map")
    body = page.locator("main")
    for internal in (INTERNAL_NOTE, "Samira", "e2e-staff", "Log an update", "Take this item"):
        expect(body).not_to_contain_text(internal)
    shot(page, "public-item-page")

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert [(row["session"], row["number"], row["title"]) for row in rows] == [("1.1", "1", TITLE)]
    assert "owner" not in rows[0] and "last_note" not in rows[0]
    assert (rows[0]["status"], rows[0]["progress"], rows[0]["last_public_note"]) == ("In progress", "35", PUBLIC_NOTE)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_public_pages_are_accessible_and_fit_a_phone(browser, app, watch, screen):
    """The signed-in pages' standards hold for the public: no serious axe-core violation, no page wider
    than a 390 px phone, and (watch) no console error or CSP violation."""
    from e2e.test_ui import PAGES, PHONE, axe_violations, item_pages

    device = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if screen == "phone" else {
        "viewport": {"width": 1366, "height": 900}}
    context = browser.new_context(bypass_csp=True, **device)  # only to inject axe-core
    page = watch.attach(context.new_page())
    serious, wider = {}, {}
    for url in [*(p for p in PAGES if p not in ("/my-items/", "/api/tokens/")), *item_pages()]:  # those sign in first
        page.goto(app.url + url)
        expect(page.get_by_role("link", name="Sign in")).to_be_visible()
        serious[url] = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        width = page.evaluate("document.documentElement.scrollWidth")
        if screen == "phone" and width > PHONE["width"]:
            wider[url] = width
    if screen == "phone":
        shot(page, "public-phone-actor")
    context.close()
    assert not any(serious.values()), serious
    assert not wider, wider
