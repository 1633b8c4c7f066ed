"""The open data in a real browser: someone with no account follows "Open data" at the foot of a page, reads
what the download holds and downloads it; the ZIP is the public data with its data dictionary. The page keeps
the site's standards (axe-core, a phone's width, no console error or CSP violation)."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def built(app, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "open_data": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    call_command("build_open_data", stdout=io.StringIO())
    return app


def test_a_visitor_downloads_the_open_data(page, built):
    page.goto(built.url + "/recommendations/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    expect(page.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Creative Commons Attribution 4.0 International")
    # 17 kinds, and the actions and their timeline (#20)
    expect(page.locator("table.open-data-contents tbody tr")).to_have_count(19)
    shot(page, "open-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download gfmd-tracker.zip").click()
    assert download.value.suggested_filename.startswith("gfmd-tracker-")
    archive = zipfile.ZipFile(download.value.path())
    package = json.loads(archive.read("datapackage.json"))
    assert {r["path"] for r in package["resources"]} | {"datapackage.json"} == set(archive.namelist())
    rows = list(csv.DictReader(io.StringIO(archive.read("csv/recommendations.csv").decode())))
    assert len(rows) == 45 and "owner" not in rows[0]


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_open_data_page_is_accessible_and_fits_a_phone(browser, built, watch, screen):
    from e2e.test_ui import PHONE, axe_violations

    device = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if screen == "phone" else {
        "viewport": {"width": 1366, "height": 900}}
    context = browser.new_context(bypass_csp=True, **device)  # only to inject axe-core
    page = watch.attach(context.new_page())
    page.goto(built.url + "/open-data/")
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    width = page.evaluate("document.documentElement.scrollWidth")
    if screen == "phone":
        shot(page, "phone-open-data")
    context.close()
    assert not serious, serious
    assert screen != "phone" or width <= PHONE["width"], width
