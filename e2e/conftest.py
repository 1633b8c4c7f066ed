"""End-to-end tests: Debian's Chromium, driven by Playwright, against the real app served by
pytest-django's live_server. Run with `make e2e` (CI runs it on PostgreSQL).

Every page a test opens is watched: a console error (a Content-Security-Policy violation
included) or a request to another host fails the test. Screenshots go to e2e-artifacts/
(not committed).
"""

import io
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
# plain synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "e2e-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # No sandbox as root in CI; no background traffic to Google's hosts from a closed network.
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}, "accept_downloads": True}


@pytest.fixture(scope="session", autouse=True)
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class Watch:
    """What the browser saw that it should not have: console errors, foreign requests."""

    def __init__(self, host):
        self.host, self.errors, self.foreign, self.expected = host, [], [], []

    def expect_status(self, status):
        """A journey that is meant to get this HTTP status (409 for a refused edit, say): the
        browser's console note about it is not an error of the page."""
        self.expected.append(f"the server responded with a status of {status}")

    def console(self, page, message):
        if message.type == "error" and not any(e in message.text for e in self.expected):
            self.errors.append(f"{page.url}: {message.text}")

    def attach(self, page):
        page.on("console", lambda m: self.console(page, m))
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        page.on("request", lambda r: urlparse(r.url).hostname not in (self.host, None)
                and not r.url.startswith(("data:", "blob:")) and self.foreign.append(r.url))
        return page


@pytest.fixture
def app(live_server, django_db_blocker):
    """The seeded report and one user per role (password: pw-<username>), on a live server.
    live_server empties the database after each test, so each test seeds it again."""
    from conftest import make_user
    from gfmd_tracker.roles import ADMINISTRATOR, EDITOR, STAFF, VIEWER, setup_roles

    call_command("seed_gfmd", stdout=io.StringIO())
    setup_roles()
    users = {role: make_user(f"e2e-{role}", role) for role in (VIEWER, STAFF, EDITOR, ADMINISTRATOR)}
    return type("App", (), {"url": live_server.url, "users": users})


@pytest.fixture
def watch(app):
    watch = Watch(urlparse(app.url).hostname)
    yield watch
    assert not watch.errors, watch.errors
    assert not watch.foreign, watch.foreign


@pytest.fixture
def page(page, watch):
    return watch.attach(page)


def log_in(page, app, role):
    user = app.users[role]
    page.goto(f"{app.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(f"pw-{user.username}")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{app.url}/")
    return user


def shot(page, name, full_page=True):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def pdf_text(path):
    """The PDF's text, laid out as printed, pages split by form feeds (poppler's pdftotext)."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_shot(path, name):
    """The PDF's first page as e2e-artifacts/<name>.png (poppler's pdftoppm), to look at."""
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(ARTIFACTS / name)], check=True)
