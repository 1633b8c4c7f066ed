"""Invitations: the admin's "Add user" asks for a role instead of a password, makes the account with that role
(its group and flags) and mails a link (text and HTML) through a real SMTP server; the link sets the password
once and signs the person in, for INVITATION_DAYS; "Send the invitation again" replaces the link."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from conftest import make_user
from gfmd_tracker.accounts import InvitationTokens
from gfmd_tracker.roles import ADMINISTRATOR

pytestmark = pytest.mark.django_db

ADD = "/admin/auth/user/add/"
CHANGELIST = "/admin/auth/user/"
LINK = re.compile(r"https://tracker\.example\.org(/accounts/invitation/[^/\s]+/[^/\s]+/)")
PASSWORD = "first-Pass-2026"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://tracker.example.org"
    settings.INVITATION_DAYS = 7


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def plain_admin(db):
    """An administrator who is not a superuser."""
    user = make_user("ann-admin", ADMINISTRATOR)
    user.is_superuser = False
    user.save()
    return user


def invite(client, role="staff", **fields):
    data = {"username": "pat", "first_name": "Pat", "last_name": "Example", "email": "pat@example.org",
            "role": role, "_save": "Save", **fields}
    return client.post(ADD, data)


def pat():
    return get_user_model().objects.get(username="pat")


def link_in(mail):
    return LINK.search(mail.get_body(("plain",)).get_content()).group(1)


def accept(client, link, password=PASSWORD):
    """Opens the invitation's link and sets the password; the final response."""
    form = client.get(link, follow=True)
    return client.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                       {"new_password1": password, "new_password2": password})


def test_the_add_form_asks_for_a_role_and_no_password(admin_client):
    page = admin_client.get(ADD).content.decode()

    assert 'name="password1"' not in page and 'name="usable_password"' not in page
    assert re.findall(r'name="role" value="(\w+)"', page) == ["viewer", "staff", "editor", "administrator"]
    assert 'name="groups"' not in page and 'name="is_staff"' not in page
    assert "The person gets an e-mail with a link to choose their password (it works once, for 7 days)." in page


@pytest.mark.parametrize(("role", "is_staff", "is_superuser"), [
    ("viewer", False, False), ("staff", False, False), ("editor", True, False), ("administrator", True, True)])
def test_the_role_gives_its_group_and_flags(admin_client, smtp_server, role, is_staff, is_superuser):
    response = invite(admin_client, role=role)

    assert response.status_code == 302
    person = pat()
    assert list(person.groups.values_list("name", flat=True)) == [role]
    assert (person.is_staff, person.is_superuser, person.is_active) == (is_staff, is_superuser, True)
    assert not person.has_usable_password()


def test_adding_a_person_mails_them_an_invitation_with_both_parts(admin_client, smtp_server, administrator):
    administrator.first_name, administrator.last_name = "Ada", "Admin"
    administrator.save()
    invite(admin_client)

    [mail] = smtp_server.messages
    assert (mail["To"], mail["Subject"]) == ("Pat Example <pat@example.org>", "Your account on the GFMD Tracker")
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()
    assert "Ada Admin has made an account for you on the GFMD Tracker" in text
    assert "Your username: pat\nYour role: Staff\n" in text
    assert "the link works once, for 7 days" in text
    assert f'<a href="https://tracker.example.org{link_in(mail)}">Choose your password</a>' in html
    assert "GFMD Tracker: https://tracker.example.org/" in text


def test_the_admin_says_the_invitation_went(admin_client, smtp_server):
    page = admin_client.get(invite(admin_client)["Location"]).content.decode()
    assert "Invitation sent to pat." in page


def test_the_link_sets_the_password_and_signs_the_person_in(client, admin_client, smtp_server):
    invite(admin_client)
    admin_client.logout()

    response = accept(client, link_in(smtp_server.messages[0]))

    assert response.status_code == 302 and response["Location"] == "/"
    assert pat().check_password(PASSWORD)
    home = client.get("/").content.decode()
    assert "<span>Pat Example (Staff)</span>" in home
    assert "Welcome: your password is set and you are signed in." in home


def test_a_used_link_says_to_ask_for_a_new_one_and_changes_nothing(client, admin_client, smtp_server):
    invite(admin_client)
    admin_client.logout()
    link = link_in(smtp_server.messages[0])
    accept(client, link)
    client.logout()

    page = accept(client, link, password="second-Pass-2026").content.decode()

    assert "<h1>This invitation no longer works</h1>" in page
    assert "Ask the administrator who invited you to send you a new one." in page
    assert pat().check_password(PASSWORD)


def test_the_link_works_for_invitation_days_and_no_longer(client, admin_client, smtp_server, monkeypatch):
    invite(admin_client)
    admin_client.logout()
    link = link_in(smtp_server.messages[0])
    now = datetime.now()

    monkeypatch.setattr(InvitationTokens, "_now", lambda self: now + timedelta(days=7, minutes=1))
    assert "<h1>This invitation no longer works</h1>" in accept(client, link).content.decode()
    assert not pat().has_usable_password()

    # Longer than a password-reset link lives (PASSWORD_RESET_TIMEOUT: 3 days), within the invitation's 7.
    monkeypatch.setattr(InvitationTokens, "_now", lambda self: now + timedelta(days=6, hours=23))
    assert accept(client, link)["Location"] == "/"
    assert pat().check_password(PASSWORD)


def test_a_password_reset_link_is_no_invitation(client, admin_client, smtp_server):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    invite(admin_client)
    person = pat()
    forged = f"/accounts/invitation/{urlsafe_base64_encode(force_bytes(person.pk))}/" \
             f"{default_token_generator.make_token(person)}/"

    assert "<h1>This invitation no longer works</h1>" in client.get(forged, follow=True).content.decode()


def test_a_deactivated_persons_link_no_longer_works(client, admin_client, smtp_server):
    invite(admin_client)
    get_user_model().objects.filter(username="pat").update(is_active=False)

    page = accept(client, link_in(smtp_server.messages[0])).content.decode()
    assert "<h1>This invitation no longer works</h1>" in page
    assert not pat().has_usable_password()


def test_sending_again_mails_a_new_link_and_the_old_one_stops_working(client, admin_client, smtp_server):
    invite(admin_client)
    response = admin_client.post(CHANGELIST, {"action": "send_invitation_again", "_selected_action": [pat().pk]},
                                 follow=True)

    assert "Invitation sent to pat." in response.content.decode()
    first, second = smtp_server.messages
    assert link_in(first) != link_in(second)
    admin_client.logout()
    assert "<h1>This invitation no longer works</h1>" in accept(client, link_in(first)).content.decode()
    assert accept(client, link_in(second))["Location"] == "/"


def test_sending_again_skips_whoever_has_a_password_and_says_so(admin_client, smtp_server, staff):
    response = admin_client.post(CHANGELIST, {"action": "send_invitation_again", "_selected_action": [staff.pk]},
                                 follow=True)

    assert ("No invitation to sam-staff: has a password already (they can reset it from the login page)."
            in response.content.decode())
    assert smtp_server.messages == []
    staff.refresh_from_db()
    assert staff.check_password("pw-sam-staff")


def test_with_the_mail_server_down_the_person_is_added_and_the_admin_is_told(admin_client, smtp_server):
    smtp_server.stop()
    page = admin_client.get(invite(admin_client)["Location"]).content.decode()

    assert "The invitation to pat could not be sent" in page
    assert list(pat().groups.values_list("name", flat=True)) == ["staff"]
    smtp_server.start()
    admin_client.post(CHANGELIST, {"action": "send_invitation_again", "_selected_action": [pat().pk]})
    assert [mail["To"] for mail in smtp_server.messages] == ["Pat Example <pat@example.org>"]


def test_an_administrator_who_is_not_a_superuser_cannot_invite_an_administrator(client, plain_admin, smtp_server):
    client.force_login(plain_admin)
    assert re.findall(r'name="role" value="(\w+)"', client.get(ADD).content.decode()) == ["viewer", "staff", "editor"]

    response = invite(client, role="administrator")

    assert response.status_code == 200
    assert "Select a valid choice. administrator is not one of the available choices." in response.content.decode()
    assert not get_user_model().objects.filter(username="pat").exists()
    assert smtp_server.messages == []
    assert invite(client, role="editor").status_code == 302  # the roles below are theirs to give


@pytest.mark.parametrize(("fields", "message"), [
    ({"email": ""}, "This field is required."),
    ({"email": "pat"}, "Enter a valid email address."),
    ({"email": "SAM@example.org"}, "Another account has this e-mail address: give another one."),
    ({"username": "Sam-Staff"}, "A user with that username already exists."),
    ({"role": ""}, "This field is required."),
])
def test_a_bad_invitation_is_refused_with_a_message_and_nothing_is_sent(admin_client, smtp_server, staff, fields,
                                                                         message):
    staff.email = "sam@example.org"
    staff.save()

    response = invite(admin_client, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username__in=["pat", "Sam-Staff"]).exists()
    assert smtp_server.messages == []


def test_an_invitation_goes_in_the_inviters_language_and_again_in_the_invitees_own(admin_client, smtp_server):
    from gfmd_tracker.models import Profile

    admin_client.cookies["django_language"] = "fr"  # the administrator works in French
    invite(admin_client)
    Profile.objects.create(user=pat(), language="es")  # the invitee, who has chosen Spanish since
    admin_client.post(CHANGELIST, {"action": "send_invitation_again", "_selected_action": [pat().pk]})

    first, second = smtp_server.messages
    assert (first["Subject"], second["Subject"]) == ("Votre compte sur GFMD Tracker", "Su cuenta en GFMD Tracker")
