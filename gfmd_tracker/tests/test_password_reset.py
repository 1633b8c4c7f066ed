"""Password reset by e-mail (Django's views): the mail (text and HTML, the site's name, a link from SITE_URL)
through a real SMTP server, the same answer for an address nobody has, a link that works once, and the limit
per client address and per e-mail address (PASSWORD_RESET_RATE)."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"
SENT = "/accounts/password-reset/sent/"
LINK = re.compile(r"https://tracker\.example\.org(/accounts/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://tracker.example.org"
    settings.DEFAULT_FROM_EMAIL = "GFMD Tracker <tracker@example.org>"


@pytest.fixture
def olga(db):
    return get_user_model().objects.create_user(username="olga", email="olga@example.org", password="old-Secret-42",
                                                first_name="Olga", last_name="Example")


def link_in(mail):
    return LINK.search(mail.get_body(("plain",)).get_content()).group(1)


def test_the_login_page_offers_a_password_reset(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<a href="/accounts/password-reset/">Forgot your password?</a>' in page


def test_a_known_address_gets_a_mail_with_both_parts_and_a_link_to_the_site(client, smtp_server, olga):
    response = client.post(RESET, {"email": "Olga@Example.org"}, HTTP_HOST="127.0.0.1")

    assert response.status_code == 302 and response["Location"] == SENT
    [mail] = smtp_server.messages
    assert (mail["To"], mail["From"]) == ("olga@example.org", "GFMD Tracker <tracker@example.org>")
    assert mail["Subject"] == "Reset your password on the GFMD Tracker"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    path = link_in(mail)  # from SITE_URL, not the request's host
    assert "Hello Olga Example," in text and "(username: olga)" in text
    assert f'<a href="https://tracker.example.org{path}">Choose a new password</a>' in html
    assert "GFMD Tracker: https://tracker.example.org/" in text


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, smtp_server, olga):
    known = client.post(RESET, {"email": "olga@example.org"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [(SENT, 302)]
    assert known.content == unknown.content
    assert "<h1>Check your e-mail</h1>" in unknown.content.decode()
    assert [mail["To"] for mail in smtp_server.messages] == ["olga@example.org"]


def test_a_malformed_address_is_refused_with_a_message(client, smtp_server, olga):
    response = client.post(RESET, {"email": "olga"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert smtp_server.messages == []


def test_the_link_sets_a_new_password_once(client, smtp_server, olga):
    client.post(RESET, {"email": "olga@example.org"})
    link = link_in(smtp_server.messages[0])

    form = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "brand-New-pass-77",
                                                   "new_password2": "brand-New-pass-77"})
    assert done["Location"] == "/accounts/reset/done/"
    olga.refresh_from_db()
    assert olga.check_password("brand-New-pass-77")

    again = client.get(link, follow=True).content.decode()
    assert "<h1>This link no longer works</h1>" in again
    assert 'name="new_password1"' not in again


def test_a_used_link_changes_nothing_when_posted_to(client, smtp_server, olga):
    client.post(RESET, {"email": "olga@example.org"})
    link = link_in(smtp_server.messages[0])
    set_password = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password, {"new_password1": "brand-New-pass-77", "new_password2": "brand-New-pass-77"})

    client.get(link)
    response = client.post(set_password, {"new_password1": "third-Pass-99", "new_password2": "third-Pass-99"})

    assert "<h1>This link no longer works</h1>" in response.content.decode()
    olga.refresh_from_db()
    assert olga.check_password("brand-New-pass-77")


def test_over_the_limit_for_an_address_the_same_page_and_no_mail(client, smtp_server, olga, settings):
    settings.PASSWORD_RESET_RATE = "2/h"
    answers = [client.post(RESET, {"email": "olga@example.org"}, REMOTE_ADDR=f"192.0.2.{n}") for n in (1, 2, 3)]

    assert [(a.status_code, a["Location"]) for a in answers] == [(302, SENT)] * 3
    assert len(smtp_server.messages) == 2


def test_over_the_limit_for_a_client_the_same_page_and_no_mail(client, smtp_server, olga, settings):
    settings.PASSWORD_RESET_RATE = "2/h"
    get_user_model().objects.create_user(username="pat", email="pat@example.org", password="x-Secret-42")
    for address in ("nobody@example.org", "olga@example.org", "pat@example.org"):
        assert client.post(RESET, {"email": address})["Location"] == SENT

    assert [mail["To"] for mail in smtp_server.messages] == ["olga@example.org"]
    client.post(RESET, {"email": "pat@example.org"}, REMOTE_ADDR="192.0.2.50")  # another client: not limited
    assert [mail["To"] for mail in smtp_server.messages] == ["olga@example.org", "pat@example.org"]
