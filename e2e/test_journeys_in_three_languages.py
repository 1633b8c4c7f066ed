"""Issue #22, "Done when": a Spanish-speaking staff member and a French-speaking reader do the suite's journeys in
their language, and an English-speaking one the same as the baseline. Every page visited is passed through
`no_english_left` (gfmd_tracker/tests/english_left.py): no English interface text is left on it, the report's
English (marked, or known to be the report's) aside.

The staff member chooses their language with the header's switcher once signed in (it is saved on their profile);
the reader's browser asks for French (Accept-Language), at a phone's width.
"""

import csv
import io

import pytest
from django.utils import translation
from playwright.sync_api import expect

from e2e.conftest import shot
from e2e.test_ui import PHONE
from gfmd_tracker.tests.english_left import no_english_left, report_content
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = (2010, "1.1", 1)
# Left in English for a step still to come: the models' verbose names, which a timeline entry's changes show as
# their labels ("Status: Not started → In progress"). Listed, so that any other English fails.
KNOWN = {"Status", "Progress"}
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
        no_english_left(self.page.content(), self.language, where=self.page.url, content=self.content,
                        known=KNOWN)
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
