"""The profile page: one's own name and e-mail address (valid, and no other account's), the role read-only, a
link to the e-mail preferences; reached from the header's name."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def details(user):
    user.refresh_from_db()
    return user.first_name, user.last_name, user.email


def test_it_asks_to_sign_in(client):
    assert client.get(PROFILE)["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_it_shows_the_role_read_only_and_links_to_the_preferences(client, staff):
    client.force_login(staff)
    page = client.get(PROFILE).content.decode()

    assert "<dt>Username</dt><dd>sam-staff</dd>" in page
    assert "<dt>Role</dt><dd>Staff</dd>" in page
    assert '<a href="/notifications/preferences/">Which e-mails you get</a>' in page
    assert 'name="groups"' not in page and 'name="username"' not in page


def test_the_header_links_the_name_to_the_profile(client, staff):
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert '<a href="/accounts/profile/" title="Your profile"><span>sam-staff (Staff)</span></a>' in page


def test_it_saves_ones_own_name_and_address(client, staff):
    client.force_login(staff)
    response = client.post(PROFILE, {"first_name": "Sam", "last_name": "Staff", "email": "Sam@EXAMPLE.org",
                                      "current_password": "pw-sam-staff"}, follow=True)

    assert details(staff) == ("Sam", "Staff", "Sam@example.org")
    assert "Your profile is saved." in response.content.decode()
    assert "<span>Sam Staff (Staff)</span>" in response.content.decode()


def test_it_changes_nothing_but_ones_own_name_and_address(client, staff, viewer):
    client.force_login(staff)
    client.post(PROFILE, {"first_name": "Sam", "last_name": "", "email": "", "username": "vera-viewer",
                          "is_staff": "on", "id": viewer.pk, "groups": [1, 2, 3]})

    staff.refresh_from_db()
    assert (staff.username, staff.first_name, staff.is_staff) == ("sam-staff", "Sam", False)
    assert list(staff.groups.values_list("name", flat=True)) == ["staff"]
    assert details(viewer) == ("", "", "")


@pytest.mark.parametrize(("address", "message"), [
    ("not-an-address", "Enter a valid email address."),
    ("VERA@example.org", "Another account has this e-mail address: give another one."),
])
def test_a_bad_address_is_refused_and_nothing_changes(client, staff, viewer, address, message):
    viewer.email = "vera@example.org"
    viewer.save()
    staff.email = "sam@example.org"
    staff.save()
    client.force_login(staff)

    response = client.post(PROFILE, {"first_name": "Changed", "last_name": "Name", "email": address})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<span>sam-staff (Staff)</span>" in page  # the header still names who they are
    assert details(staff) == ("", "", "sam@example.org")


def test_ones_own_address_and_no_address_are_allowed(client, staff, viewer):
    staff.email = "sam@example.org"
    staff.save()
    client.force_login(staff)

    client.post(PROFILE, {"first_name": "", "last_name": "", "email": "SAM@example.org"})
    assert details(staff) == ("", "", "SAM@example.org")
    client.post(PROFILE, {"first_name": "", "last_name": "", "email": "", "current_password": "pw-sam-staff"})
    assert details(staff) == ("", "", "")
    assert get_user_model().objects.filter(email="").count() >= 2  # several accounts may have none


@pytest.mark.parametrize("password", ["", "pw-wrong", "PW-SAM-STAFF"])
def test_a_new_address_needs_the_current_password_and_nothing_changes_without_it(client, staff, password):
    staff.email = "sam@example.org"
    staff.save()
    client.force_login(staff)

    response = client.post(PROFILE, {"first_name": "Taken", "last_name": "Over", "email": "thief@example.net",
                                      "current_password": password})

    assert response.status_code == 200
    assert "To change your e-mail address, give your current password." in response.content.decode()
    assert details(staff) == ("", "", "sam@example.org")


def test_a_name_changes_without_the_password(client, staff):
    staff.email = "sam@example.org"
    staff.save()
    client.force_login(staff)

    client.post(PROFILE, {"first_name": "Sam", "last_name": "Staff", "email": "sam@example.org"})

    assert details(staff) == ("Sam", "Staff", "sam@example.org")
