"""Personal API tokens: a signed-in user makes one on the "API tokens" page (shown once, in that answer only),
sees its name and first characters afterwards, and revokes it; an administrator does the same in the admin.
Only a digest is stored; a revoked, expired or made-up token opens nothing."""

import datetime
import re

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.tests.conftest import get, token_for

pytestmark = pytest.mark.django_db

PAGE = "/api/tokens/"


def shown_token(response):
    found = re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode())
    return found and found.group(1)


def test_a_user_makes_a_token_that_is_shown_once_and_stored_as_a_digest(client, staff):
    client.force_login(staff)
    posted = client.post(PAGE, {"name": "Sri Lanka's reporting system"})
    assert posted.status_code == 302 and posted["Location"] == PAGE  # POST/redirect/GET: a reload makes no other
    made = client.get(PAGE)
    token = shown_token(made)
    assert made.status_code == 200 and token.startswith("gfmd_") and len(token) == 5 + 64
    assert "no-store" in made["Cache-Control"]
    stored = ApiToken.objects.get(user=staff)
    assert stored.name == "Sri Lanka's reporting system" and stored.token_key == token[:15]
    assert token not in {stored.digest, stored.token_key} and len(stored.digest) == 128  # SHA-512, hex
    assert not ApiToken.objects.filter(digest__contains=token[15:]).exists()
    later = client.get(PAGE)
    assert shown_token(later) is None and token not in later.content.decode()
    assert f"{token[:15]}…" in later.content.decode() and "Sri Lanka&#x27;s reporting system" in later.content.decode()
    assert stored.expiry.date() == (timezone.now() + datetime.timedelta(days=365)).date()
    client.logout()
    assert get(client, "/api/v1/recommendations/2010/2.1/1/", token).json()["owner"] is None  # signed in: has owner


def test_a_user_revokes_a_token_and_it_opens_nothing_after(client, staff):
    token = token_for(staff)
    assert get(client, "/api/v1/themes/", token).status_code == 200
    client.force_login(staff)
    stored = ApiToken.objects.get(user=staff)
    revoked = client.post("/api/tokens/revoke/", {"token": stored.token_key}, follow=True)
    assert "Revoked “sam-staff&#x27;s script”: it no longer opens the API." in revoked.content.decode()
    client.logout()
    refused = get(client, "/api/v1/themes/", token)
    assert refused.status_code == 401 and refused.json() == {"detail": "Invalid token."}


def test_nobody_revokes_anothers_token(client, staff, viewer):
    token_for(viewer)
    client.force_login(staff)
    other = ApiToken.objects.get(user=viewer)
    for sent in (other.token_key, other.pk):
        response = client.post("/api/tokens/revoke/", {"token": sent}, follow=True)
        assert "You have no such token; nothing was revoked." in response.content.decode()
    assert ApiToken.objects.filter(pk=other.pk).exists()


def test_a_reload_after_making_a_token_makes_no_other_and_shows_none(client, staff):
    client.force_login(staff)
    client.post(PAGE, {"name": "Script"}, follow=True)
    assert shown_token(client.get(PAGE)) is None  # shown once, then gone from the session
    assert ApiToken.objects.filter(user=staff).count() == 1


def test_the_page_holds_no_tokens_digest(client, staff):
    token_for(staff)
    client.force_login(staff)
    page = client.get(PAGE).content.decode()
    stored = ApiToken.objects.get(user=staff)
    assert stored.digest not in page and f'name="token" value="{stored.token_key}"' in page
    assert client.post("/api/tokens/revoke/", {"token": stored.digest}).status_code == 302
    assert ApiToken.objects.filter(pk=stored.pk).exists()  # a digest names no token here


def test_an_expired_or_made_up_token_is_refused(client, staff):
    token = token_for(staff)
    ApiToken.objects.filter(user=staff).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert get(client, "/api/v1/themes/", token).status_code == 401
    assert get(client, "/api/v1/themes/", "gfmd_" + "0" * 64).status_code == 401


def test_a_deactivated_users_token_opens_nothing(client, staff):
    token = token_for(staff)
    staff.is_active = False
    staff.save()
    refused = get(client, "/api/v1/themes/", token)
    assert refused.status_code == 401 and refused.json() == {"detail": "User inactive or deleted."}


def test_the_page_asks_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_administrator_makes_a_token_in_the_admin_shown_once(client, administrator, staff):
    client.force_login(administrator)
    made = client.post("/admin/api/apitoken/add/", {"user": staff.pk, "name": "Mexico's system",
                                                    "expiry_0": "2030-01-01", "expiry_1": "00:00:00"})
    token = shown_token(made)
    assert made.status_code == 200 and token.startswith("gfmd_")
    stored = ApiToken.objects.get(user=staff)
    assert (stored.name, stored.token_key) == ("Mexico's system", token[:15]) and token != stored.digest
    assert token not in client.get(f"/admin/api/apitoken/{stored.pk}/change/").content.decode()
    assert client.post(f"/admin/api/apitoken/{stored.pk}/delete/", {"post": "yes"}).status_code == 302
    assert get(client.__class__(), "/api/v1/themes/", token).status_code == 401


def test_an_editor_cannot_manage_tokens_in_the_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/api/apitoken/").status_code == 403


def test_the_administrator_role_manages_tokens_without_being_a_superuser(client):
    from conftest import make_user
    from gfmd_tracker.roles import ADMINISTRATOR

    admin = make_user("role-admin", ADMINISTRATOR)
    admin.is_superuser = False
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/api/apitoken/").status_code == 200
    assert client.get("/admin/api/apitoken/add/").status_code == 200
