"""Accounts in the browser, by e-mail through a real SMTP server (the `smtp_server` fixture, which the live
server in this process sends to): a person resets a forgotten password from the link in the mail and logs in
with the new one; an administrator invites a person as staff, who sets a password from the mailed link and
lands signed in."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def mailed_link(smtp_server, to, path):
    """The link to `path…` in the one message `to` received."""
    [mail] = [m for m in smtp_server.messages if to in m["To"]]
    return re.search(rf"(http://\S+{path}\S+/)", mail.get_body(("plain",)).get_content()).group(1)


def choose_password(page, button, password):
    """Fills the set-password form twice: first with a confirmation that differs (refused, the form shown again),
    then rightly."""
    page.get_by_label("New password:", exact=True).fill(password)
    page.get_by_label("New password confirmation:", exact=True).fill(password + "x")
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text("The two password fields didn’t match.")).to_be_visible()
    page.get_by_label("New password:", exact=True).fill(password)
    page.get_by_label("New password confirmation:", exact=True).fill(password)
    page.get_by_role("button", name=button).click()


def test_a_person_resets_a_forgotten_password_from_the_mail_and_logs_in(page, app, smtp_server, settings):
    settings.SITE_URL = app.url
    person = app.users["viewer"]
    person.email = "vera@example.org"
    person.save()

    page.goto(f"{app.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("vera@example.org")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    page.goto(mailed_link(smtp_server, "vera@example.org", "/accounts/reset/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    choose_password(page, "Set my password", "Spring-Harvest-2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")

    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill("Spring-Harvest-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{app.url}/")
    expect(page.locator(".account")).to_contain_text(f"{person.username} (Viewer)")
    shot(page, "password-reset-signed-in", full_page=False)


def test_an_administrator_invites_a_person_as_staff_who_sets_a_password_and_is_signed_in(page, app, smtp_server,
                                                                                        settings):
    settings.SITE_URL = app.url
    log_in(page, app, "administrator")
    page.goto(f"{app.url}/admin/auth/user/add/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("First name").fill("Pat")
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_role("radio", name=re.compile("^Staff:")).check()
    shot(page, "invitation-form")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Invitation sent to pat.")).to_be_visible()

    page.context.clear_cookies()  # the invited person, in their own browser
    page.goto(mailed_link(smtp_server, "pat@example.org", "/accounts/invitation/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to the GFMD Tracker")
    expect(page.get_by_role("main")).to_contain_text("Your username is pat.")
    choose_password(page, "Set my password and sign in", "Autumn-Meeting-2026")

    page.wait_for_url(f"{app.url}/")
    expect(page.get_by_text("Welcome: your password is set and you are signed in.")).to_be_visible()
    expect(page.locator(".account")).to_contain_text("Pat Example (Staff)")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My items")).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)  # staff work in the user views
    shot(page, "invitation-signed-in", full_page=False)

    page.locator(".account").get_by_role("link", name="Pat Example (Staff)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_label("Email address")).to_have_value("pat@example.org")
