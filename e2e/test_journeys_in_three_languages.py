"""Issue #22, "Done when": a Spanish-speaking staff member and a French-speaking reader do the suite's journeys in
their language, and an English-speaking one the same as the baseline. Every page visited is passed through
`no_english_left` (gfmd_tracker/tests/english_left.py): no English interface text is left on it, the report's
English (marked, or known to be the report's) aside.

The staff member chooses their language with the header's switcher once signed in (it is saved on their profile);
the reader's browser asks for French (Accept-Language), at a phone's width.
"""

import csv
import io
import re
import tempfile
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from e2e.conftest import shot
from e2e.test_ui import PHONE
from gfmd_tracker.tests.english_left import no_english_left, report_content
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = (2010, "1.1", 1)
# What the editor writes: the item's title in the language they translate into (an English editor into French).
TRANSLATIONS = {"en": ("fr", "Mettre en œuvre la carte interactive des migrations"),
                "fr": ("fr", "Mettre en œuvre la carte interactive des migrations"),
                "es": ("es", "Poner en marcha el mapa interactivo de las migraciones")}
NOTES = {"en": "Prototype map shown to the Friends of the Forum.",
         "fr": "Prototype de carte présenté aux Amis du Forum.",
         "es": "Prototipo del mapa presentado a los Amigos del Foro."}
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def t(language, message, context=None):
    """The message as the site says it in `language` (its catalogues'), to find a button or a label by."""
    with translation.override(language):
        return translation.pgettext(context, message) if context else translation.gettext(message)


class Pages:
    """Checks each page a journey visits in `language`, and counts them."""

    def __init__(self, page, app, language, content):
        self.page, self.url, self.language, self.content, self.visited = page, app.url, language, content, []

    def check(self):
        self.page.wait_for_load_state()
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)
        no_english_left(self.page.content(), self.language, where=self.page.url, content=self.content)
        self.visited.append(self.page.url)

    def go(self, path):
        self.page.goto(self.url + path)
        self.check()


def log_in_by_form(page, app, role):
    """Signs in from the login page, in whatever language it is shown (the fields found by name)."""
    user = app.users[role]
    page.goto(f"{app.url}/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(f"pw-{user.username}")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{app.url}/")
    return user


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_the_journeys_in_the_readers_language(page, browser, app, watch, language):
    """One seeded report for both journeys: seeding it again costs more than the journeys."""
    watch.expect_status(400)  # the update without a note is refused, and its form shown again
    content = [*report_content(), NOTES[language]]
    staff_logs_an_update_filters_exports_and_prints(page, app, language, content)
    reader_browses_the_public_pages_on_a_phone(browser, app, watch, language, content)
    editor_translates_assigns_exports_and_imports(browser, app, watch, language, content)


def staff_logs_an_update_filters_exports_and_prints(page, app, language, content):
    user = log_in_by_form(page, app, "staff")
    rec = Recommendation.objects.get_by_natural_key(*ITEM)
    Recommendation.objects.filter(pk=rec.pk).update(owner=user)
    page.get_by_role("button", name=LANGUAGE_NAMES[language]).click()  # the switcher, saved on the profile
    pages = Pages(page, app, language, content)
    pages.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Where the follow-up stands"))

    page.get_by_role("link", name=t(language, "Recommendations"), exact=True).click()
    pages.check()
    page.get_by_label(t(language, "Text")).fill("interactive map")
    page.get_by_role("button", name=t(language, "Apply filters")).click()
    expect(page.locator("table.items tbody tr:has(td)")).to_have_count(1)
    pages.check()
    page.locator("table.items tbody a[href$='/2010/1.1/1/']").first.click()
    pages.check()

    save = page.get_by_role("button", name=t(language, "Save update"))
    page.locator("#id_status").select_option("in_progress")
    save.click()  # no note: refused, with the form's error in the reader's language
    expect(page.locator("#update-errors")).to_be_visible()
    pages.check()
    page.locator("#id_note").fill(NOTES[language])
    page.locator("#id_progress").fill("40")
    save.click()
    expect(page.get_by_role("status")).to_have_text(t(language, "Your update is in the timeline."))
    expect(page.locator("ol.timeline > li").first).to_contain_text(NOTES[language])
    pages.check()
    rec.refresh_from_db()
    assert (rec.status, rec.progress) == (Status.IN_PROGRESS, 40)

    page.get_by_role("link", name=t(language, "My items")).click()
    expect(page.locator("tr", has=page.locator("a[href$='/2010/1.1/1/']"))).to_contain_text("40")
    pages.check()

    pages.go("/recommendations/?session=2.1&status=not_started")
    expect(page.locator(".filters-stated")).to_contain_text("2.1")
    with page.expect_download() as download:
        page.get_by_role("link", name=t(language, "Export CSV")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["meeting", "session", "number"] and {row[1] for row in rows[1:]} == {"2.1"}
    page.emulate_media(media="print")
    expect(page.locator("p.printed")).to_be_visible()
    expect(page.locator("header.site-header nav")).to_be_hidden()
    pages.check()
    shot(page, f"journey-{language}-printed-list")
    page.emulate_media(media="screen")

    for path in ("/reports/matrix/", "/reports/changes/", "/follow-up/", "/actors/", "/search/?q=migration",
                 "/accounts/profile/", "/notifications/following/", "/api/tokens/"):
        pages.go(path)
    page.get_by_role("button", name=t(language, "Log out")).click()
    assert len(pages.visited) == 17


def reader_browses_the_public_pages_on_a_phone(browser, app, watch, language, content):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale=language)
    page = watch.attach(context.new_page())
    pages = Pages(page, app, language, content)
    page.goto(app.url + "/")
    pages.check()
    expect(page.get_by_role("link", name=t(language, "Sign in"))).to_be_visible()

    page.goto(f"{app.url}/recommendations/")
    pages.check()
    page.locator("details.filters-toggle > summary").click()  # on a phone, the filters wait behind it
    page.get_by_label(t(language, "Text")).fill("interactive map")
    page.get_by_role("button", name=t(language, "Apply filters")).click()
    expect(page.locator("table.items tbody tr:has(td)")).to_have_count(1)
    pages.check()
    page.locator("table.items tbody a[href$='/2010/1.1/1/']").first.click()
    expect(page.locator("dl.key-facts")).to_be_visible()
    pages.check()
    shot(page, f"journey-{language}-public-item", full_page=False)

    for path in ("/follow-up/2010/CSD/1/", "/reports/matrix/", "/reports/changes/", "/meetings/", "/meetings/2010/",
                 "/actors/", "/projects/", "/follow-up/", "/search/?q=migration", "/open-data/",
                 "/accounts/login/"):
        pages.go(path)
    pages.go("/projects/")
    page.locator("table a[href^='/projects/']").first.click()
    pages.check()
    assert len(pages.visited) == 17
    context.close()


def editor_translates_assigns_exports_and_imports(browser, app, watch, language, content):
    """The editor's week in the admin: a translation written on a change page (the Translations fieldset), an owner
    assigned to two items at once, the list exported to Excel (labels in their language) and imported back
    unchanged; every page checked as the others are."""
    from openpyxl import load_workbook

    context = browser.new_context(locale=language)
    page = watch.attach(context.new_page())
    log_in_by_form(page, app, "editor")
    page.get_by_role("button", name=LANGUAGE_NAMES[language]).click()
    pages = Pages(page, app, language, content)
    written, title = TRANSLATIONS[language]

    pages.go("/admin/recommendations/recommendation/?q=interactive+map")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.locator("#result_list tbody a").first.click()
    pages.check()
    page.locator("fieldset.collapse summary, fieldset.collapse h2").first.click()  # Translations, folded while empty
    page.locator(f"#id_title_{written}").fill(title)
    page.locator("input[name=_continue]").click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    pages.check()
    rec = Recommendation.objects.get_by_natural_key(*ITEM)
    assert rec.i18n[f"title_{written}"] == title and rec.title != title  # the English stays as the report has it

    pages.go("/admin/recommendations/recommendation/")
    boxes = page.locator("#result_list tbody input.action-select")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("select[name=action]").select_option("assign_owner")
    page.locator("button[name=index]").click()
    pages.check()
    page.locator("#id_owner").select_option(label=app.users["staff"].username)
    page.locator("#id_note").fill(NOTES[language])
    page.locator("input[name=apply]").click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    pages.check()

    pages.go("/admin/recommendations/recommendation/export/")
    page.locator("select[name=format]").select_option(label="xlsx")
    with page.expect_download() as download:
        page.locator("input[type=submit]").click()
    exported = Path(tempfile.mkdtemp()) / download.value.suggested_filename  # "….xlsx", as a person saves it
    download.value.save_as(exported)
    sheet = load_workbook(exported, read_only=True).worksheets[0]
    labels = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert t(language, "Status") in labels and t(language, "Responsible actors") in labels, labels

    pages.go("/admin/recommendations/recommendation/import/")
    page.locator("input[type=file]").set_input_files(str(exported))
    page.locator("select[name=format]").select_option(label="xlsx")
    page.locator("input[type=submit]").click()
    summary = page.locator(".import-summary li")
    expect(summary.nth(0)).to_have_text(re.compile(r"^0\b"))  # new
    expect(summary.nth(1)).to_have_text(re.compile(r"^0\b"))  # changed: the file is what the database holds
    pages.check()
    pages.go(f"/admin/recommendations/recommendation/{rec.pk}/history/")
    assert len(pages.visited) == 10
    context.close()
