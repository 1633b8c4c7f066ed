"""The interface itself: accessible (axe-core, vendored), usable at phone width, and keyboard
reachable, on the main pages of every role."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import log_in, shot
from partnerships.models import Project
from recommendations.models import Actor

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
PAGES = ["/", "/my-items/", "/recommendations/", "/recommendations/2010/2.1/1/", "/follow-up/2010/CSD/1/",
         "/reports/matrix/", "/reports/changes/", "/actors/", "/projects/", "/follow-up/", "/search/?q=migration",
         "/meetings/", "/meetings/2010/", "/api/tokens/"]


def axe_violations(page):
    page.add_script_tag(content=AXE)
    return page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            where: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_main_pages_have_no_serious_accessibility_violations(browser, app, watch, screen):
    # Only this context may inject axe-core past the page's Content-Security-Policy.
    device = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if screen == "phone" else {
        "viewport": {"width": 1366, "height": 900}}
    context = browser.new_context(bypass_csp=True, **device)
    page = watch.attach(context.new_page())
    page.goto(f"{app.url}/accounts/login/")
    found = {"/accounts/login/": axe_violations(page)}
    log_in(page, app, "staff")
    for url in [*PAGES, *item_pages()]:
        page.goto(app.url + url)
        found[url] = axe_violations(page)
    context.close()
    serious = {url: [v for v in violations if v["impact"] in ("serious", "critical")]
               for url, violations in found.items()}
    assert not any(serious.values()), serious


PHONE = {"width": 390, "height": 844}


def item_pages():
    """A project's page and the actor pages whose long names and lists once pushed the page wider."""
    actors = Actor.objects.filter(name__in=["International Organization for Migration", "Mexico"]).order_by("pk")
    return [Project.objects.order_by("pk").first().get_absolute_url(),
            *(reverse("recommendations:actor", args=[pk]) for pk in actors.values_list("pk", flat=True))]


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_pages_fit_a_phone_screen(browser, app, watch, role):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = watch.attach(context.new_page())
    log_in(page, app, role)
    wider = {}
    for url in [*PAGES, *item_pages()]:
        page.goto(app.url + url)
        # Against the device's width: with is_mobile, Chromium widens innerWidth to the content.
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wider[url] = width
    assert not wider, wider
    page.goto(app.url + "/recommendations/2010/2.1/1/")
    shot(page, f"phone-item-{role}")
    context.close()


def test_the_keyboard_reaches_the_content_and_the_update_form(page, app):
    log_in(page, app, "editor")
    page.goto(f"{app.url}/recommendations/2010/2.1/1/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    note = page.get_by_role("textbox", name="Note")
    for _ in range(100):  # the header's links, the language switcher, the page's own links and fields
        page.keyboard.press("Tab")
        if note.evaluate("el => el === document.activeElement"):
            break
    expect(note).to_be_focused()
    page.keyboard.type("Typed with the keyboard only.")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Save update":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your update is in the timeline.")
    shot(page, "keyboard-update")


def test_dashboard_badges_progress_and_chart_render(page, app):
    log_in(page, app, "viewer")
    shot(page, "dashboard")
    page.goto(f"{app.url}/recommendations/")
    expect(page.locator(".badge").first).to_be_visible()
    expect(page.locator("svg.progress").first).to_be_visible()
    shot(page, "recommendation-list")
    page.goto(f"{app.url}/reports/matrix/")
    expect(page.locator(".chart rect").first).to_be_visible()
