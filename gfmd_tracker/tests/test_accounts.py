"""Accounts in the admin: who may grant power, and who may be deleted."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import ProtectedError
from django.urls import reverse

from conftest import make_user
from gfmd_tracker.roles import ADMINISTRATOR, EDITOR, STAFF
from recommendations.models import Actor, Recommendation

pytestmark = pytest.mark.django_db

ANY_PERMISSION = "recommendations.delete_recommendationupdate"  # no role has it: the timeline is append-only


@pytest.fixture
def plain_admin(db):
    """An administrator who is not a superuser."""
    user = make_user("ann-admin", ADMINISTRATOR)
    user.is_superuser = False
    user.save()
    return user


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def user_form(user, **changes):
    """The user's change form as a browser posts it (unticked boxes are not sent)."""
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "is_staff": "on" if user.is_staff else None,
        "is_superuser": "on" if user.is_superuser else None,
        "groups": [g.pk for g in user.groups.all()], "user_permissions": [],
        "date_joined_0": f"{user.date_joined:%Y-%m-%d}", "date_joined_1": f"{user.date_joined:%H:%M:%S}",
        "last_login_0": "", "last_login_1": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_an_administrator_who_is_not_a_superuser_cannot_make_themselves_one(client, plain_admin):
    client.force_login(plain_admin)
    page = client.get(change_url(plain_admin)).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="groups"' in page and 'name="is_active"' in page

    response = client.post(change_url(plain_admin), user_form(
        plain_admin, is_superuser="on", user_permissions=[permission(ANY_PERMISSION).pk], first_name="Ann"))

    assert response.status_code == 302  # the rest of the form is saved
    plain_admin.refresh_from_db()
    assert (plain_admin.first_name, plain_admin.is_superuser, list(plain_admin.user_permissions.all())) == (
        "Ann", False, [])


def test_only_a_superuser_gives_the_administrator_role(client, plain_admin, staff, administrator):
    roles = [Group.objects.get(name=STAFF).pk, Group.objects.get(name=ADMINISTRATOR).pk]
    client.force_login(plain_admin)

    refused = client.post(change_url(staff), user_form(staff, groups=roles))

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["groups"] == ["Only a superuser can give the administrator role."]
    assert sorted(staff.groups.values_list("name", flat=True)) == [STAFF]

    client.force_login(administrator)  # a superuser
    assert client.post(change_url(staff), user_form(staff, groups=roles)).status_code == 302
    assert sorted(staff.groups.values_list("name", flat=True)) == [ADMINISTRATOR, STAFF]


def test_an_administrator_keeps_another_administrators_role_when_saving_them(client, plain_admin):
    colleague = make_user("cal-admin", ADMINISTRATOR)
    colleague.is_superuser = False
    colleague.save()
    client.force_login(plain_admin)
    assert client.post(change_url(colleague), user_form(colleague, first_name="Cal")).status_code == 302
    assert list(colleague.groups.values_list("name", flat=True)) == [ADMINISTRATOR]


def test_an_administrator_who_is_not_a_superuser_cannot_take_over_a_superuser(client, plain_admin, administrator):
    client.force_login(plain_admin)
    password = reverse("admin:auth_user_password_change", args=[administrator.pk])
    assert client.post(password, {"password1": "Taken-0ver-pw", "password2": "Taken-0ver-pw"}).status_code == 403
    assert client.post(change_url(administrator), user_form(administrator, is_active=None)).status_code == 403
    assert client.post(delete_url(administrator), {"post": "yes"}).status_code == 403
    administrator.refresh_from_db()
    assert administrator.check_password("pw-ada-admin") and administrator.is_active


def test_only_a_superuser_changes_what_a_role_may_do_or_its_name(client, plain_admin, administrator):
    group = Group.objects.get(name=STAFF)
    before = set(group.permissions.all())
    url = reverse("admin:auth_group_change", args=[group.pk])
    everything = list(Permission.objects.values_list("pk", flat=True))
    client.force_login(plain_admin)

    assert client.get(url).status_code == 200  # they may read the roles
    assert client.post(url, {"name": STAFF, "permissions": everything}).status_code == 403
    assert client.post(url, {"name": ADMINISTRATOR + "s", "permissions": []}).status_code == 403
    assert client.post(reverse("admin:auth_group_add"), {"name": "root", "permissions": everything}).status_code == 403

    group.refresh_from_db()
    assert (group.name, set(group.permissions.all())) == (STAFF, before)
    assert not Group.objects.filter(name="root").exists()
    client.force_login(administrator)
    assert client.post(url, {"name": STAFF, "permissions": [permission(ANY_PERMISSION).pk]}).status_code == 302
    assert list(group.permissions.all()) == [permission(ANY_PERMISSION)]


# --- nobody who appears in the record is deleted

@pytest.fixture
def leaver(db, editor):
    """A staff member who owns an item and wrote in its timeline."""
    user = make_user("lee-leaver", STAFF)
    rec = Recommendation.objects.get_by_natural_key(2010, "3.1", 1)
    rec.record_update(by=editor, note="Lee takes it.", owner=user)
    rec.record_update(by=user, note="First workshop held.", progress=10)
    return user


def delete_url(user):
    return reverse("admin:auth_user_delete", args=[user.pk])


def names_in_record(user):
    rec = Recommendation.objects.get_by_natural_key(2010, "3.1", 1)
    return (rec.owner, [(e.author, e.owner_after) for e in rec.updates.all()[:2]])


def test_a_user_in_the_record_is_not_deleted_and_the_page_says_what_to_do_instead(client, administrator, leaver,
                                                                                 editor):
    before = names_in_record(leaver)
    assert before == (leaver, [(leaver, None), (editor, leaver)])
    client.force_login(administrator)

    page = client.get(delete_url(leaver))

    assert page.status_code == 200
    assert page.context["title"] == "Cannot delete user"
    assert sorted(page.context["protected"]) == [
        "1 recommendation", "2 historical recommendations", "2 recommendation updates"]
    body = " ".join(page.content.decode().split())
    assert ("lee-leaver cannot be deleted: they appear in the tracker's record (owner of items, author or owner "
            "named in timeline entries, or the change history), and the record keeps every name it holds.") in body
    assert (f'Deactivate them instead: open <a href="{change_url(leaver)}">their account</a>, untick “Active” and '
            "save. They can no longer log in, and their name stays on every entry.") in body
    assert ("To hand their items to someone else, select them in the list of "
            f'<a href="/admin/recommendations/recommendation/?owner__id__exact={leaver.pk}">recommendations</a>, '
            f'<a href="/admin/recommendations/followupitem/?owner__id__exact={leaver.pk}">follow-up items</a> or '
            f'<a href="/admin/partnerships/project/?owner__id__exact={leaver.pk}">PfP projects</a> they own and use '
            "the action “Assign an owner to the selected items”: each item's timeline records the change.") in body

    assert client.post(delete_url(leaver), {"post": "yes"}).status_code == 200
    assert names_in_record(leaver) == before
    theirs = client.get(f"/admin/recommendations/recommendation/?owner__id__exact={leaver.pk}")
    assert [r.natural_key() for r in theirs.context["cl"].result_list] == [(2010, "3.1", 1)]


def test_the_bulk_delete_refuses_users_in_the_record_and_deletes_none(client, administrator, leaver):
    nobody = make_user("nora-nobody", STAFF)
    client.force_login(administrator)
    response = client.post(reverse("admin:auth_user_changelist"), {
        "action": "delete_selected", "_selected_action": [leaver.pk, nobody.pk], "post": "yes"})
    assert response.status_code == 200
    assert "Deactivate them instead" in response.content.decode()
    assert get_user_model().objects.filter(pk__in=[leaver.pk, nobody.pk]).count() == 2


@pytest.mark.parametrize("place", ["owner", "author", "owner_before", "owner_after"])
def test_code_cannot_delete_a_user_named_in_an_item_or_its_timeline_either(db, place):
    user = make_user("lee-leaver", STAFF)
    rec = Recommendation.objects.get_by_natural_key(2010, "3.1", 1)
    if place == "owner":
        Recommendation.objects.filter(pk=rec.pk).update(owner=user)
    else:
        rec.updates.create(note="Named here.", **{place: user})
    with pytest.raises(ProtectedError):
        user.delete()
    assert get_user_model().objects.filter(username="lee-leaver").exists()


def test_a_user_only_in_the_change_history_is_not_deleted(client, administrator, editor):
    fixer = make_user("fay-fixer", EDITOR)
    client.force_login(fixer)
    actor = Actor.objects.get(name="Kenya")
    url = reverse("admin:recommendations_actor_change", args=[actor.pk])
    assert client.post(url, {"name": "Kenya", "short_name": "KE", "kind": actor.kind, "country": actor.country,
                             "notes": ""}).status_code == 302
    client.force_login(administrator)
    page = client.get(delete_url(fixer))
    assert page.context["protected"] == ["1 historical actor"]
    client.post(delete_url(fixer), {"post": "yes"})
    assert actor.history.first().history_user == fixer


def test_a_user_who_appears_nowhere_is_deleted(client, administrator):
    nobody = make_user("nora-nobody", STAFF)
    client.force_login(administrator)
    assert client.post(delete_url(nobody), {"post": "yes"}).status_code == 302
    assert not get_user_model().objects.filter(username="nora-nobody").exists()


@pytest.mark.parametrize("selected", ["x", "1.5", ""])
def test_a_bulk_delete_of_ids_no_user_has_deletes_nothing_and_says_so(client, administrator, selected):
    users = list(get_user_model().objects.values_list("pk", flat=True))
    client.force_login(administrator)
    url = reverse("admin:auth_user_changelist")

    response = client.post(url, {"action": "delete_selected", "_selected_action": [selected], "post": "yes"})

    assert (response.status_code, response["Location"]) == (302, url)
    assert [str(m) for m in client.get(url).context["messages"]] == [
        "Items must be selected in order to perform actions on them. No items have been changed."]
    assert list(get_user_model().objects.values_list("pk", flat=True)) == users
