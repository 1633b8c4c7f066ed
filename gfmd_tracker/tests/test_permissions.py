"""Who may do what: every role × every page and action, with the status code each must get.

Rows are the URLs and actions of the tracker; columns the roles of DESIGN.md (staff twice:
owning the item and not). 200 = allowed (for anonymous: the public portal, public data only),
302 = sent to log in (anonymous) or redirected after success, 403 = refused. Crafted POSTs are
in the table too: a button that is hidden is not a permission.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import make_user
from gfmd_tracker.roles import ADMINISTRATOR, EDITOR, STAFF, VIEWER
from partnerships.models import Project
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "viewer", "staff_owner", "staff_other", "editor", "administrator")
REC = (2010, "2.1", 1)
LOGIN = "login"


@pytest.fixture
def people():
    users = {
        "viewer": make_user("p-viewer", VIEWER),
        "staff_owner": make_user("p-owner", STAFF),
        "staff_other": make_user("p-other", STAFF),
        "editor": make_user("p-editor", EDITOR),
        "administrator": make_user("p-admin", ADMINISTRATOR),
    }
    rec = Recommendation.objects.get_by_natural_key(*REC)
    Recommendation.objects.filter(pk=rec.pk).update(owner=users["staff_owner"])
    project = Project.objects.order_by("pk").first()
    Project.objects.filter(pk=project.pk).update(owner=users["staff_owner"])
    return users


def item_url():
    return reverse("recommendations:recommendation", args=REC)


def update_post(progress=10):
    rec = Recommendation.objects.get_by_natural_key(*REC)
    return rec.get_update_url(), {"note": "Checked the permission matrix.", "progress": progress,
                                  "status": rec.status, "version": rec.version}


def admin(name, *args):
    return reverse(f"admin:{name}", args=args)


def first(model):
    return model.objects.order_by("pk").first().pk


# (what, method, url or callable, data or callable, {role: expected status})
ALL_200 = dict.fromkeys(ROLES[1:], 200)
SIGNED_IN = {"anonymous": 302, **ALL_200}
PUBLIC = {"anonymous": 200, **ALL_200}  # the public portal: the same address, public data only
EDITORS = {"anonymous": 302, "viewer": 302, "staff_owner": 302, "staff_other": 302, "editor": 200,
           "administrator": 200}
ADMINS_ONLY = {**EDITORS, "editor": 403}

CASES = [
    ("dashboard", "get", "/", None, PUBLIC),
    ("my items", "get", "/my-items/", None, SIGNED_IN),
    ("recommendation list", "get", "/recommendations/", None, PUBLIC),
    ("recommendation page", "get", item_url, None, PUBLIC),
    ("follow-up item page", "get", "/follow-up/2010/CSD/1/", None, PUBLIC),
    ("CSV export", "get", "/recommendations/export.csv", None, PUBLIC),
    ("XLSX export", "get", "/recommendations/export.xlsx", None, PUBLIC),
    ("status matrix", "get", "/reports/matrix/", None, PUBLIC),
    ("what changed", "get", "/reports/changes/", None, PUBLIC),
    ("actors", "get", "/actors/", None, PUBLIC),
    ("meetings", "get", "/meetings/", None, PUBLIC),
    ("meeting page", "get", "/meetings/2010/", None, PUBLIC),
    ("projects", "get", "/projects/", None, PUBLIC),
    ("project export", "get", "/projects/export.csv", None, PUBLIC),
    ("project page", "get", lambda: f"/projects/{first(Project)}/", None, PUBLIC),
    ("search", "get", "/search/?q=migration", None, PUBLIC),
    ("health", "get", "/healthz", None, dict.fromkeys(ROLES, 200)),
    ("take an item (POST)", "post", lambda: item_url() + "take/", lambda: {"version": 1},
     {"anonymous": 302, "viewer": 403, "staff_owner": 302, "staff_other": 403, "editor": 403,
      "administrator": 403}),
    ("owner names", "get", "/recommendations/names/owner/?q=p", None, SIGNED_IN),
    ("log an update (POST)", "post", lambda: update_post()[0], lambda: update_post()[1],
     {"anonymous": 302, "viewer": 403, "staff_owner": 302, "staff_other": 403, "editor": 302,
      "administrator": 302}),
    ("log an update on a project (POST)", "post", lambda: f"/projects/{first(Project)}/update/",
     lambda: {"note": "A note only.", "version": Project.objects.get(pk=first(Project)).version},
     {"anonymous": 302, "viewer": 403, "staff_owner": 302, "staff_other": 302, "editor": 302,
      "administrator": 302}),
    ("admin index", "get", "/admin/", None, EDITORS),
    ("admin: recommendations", "get", lambda: admin("recommendations_recommendation_changelist"), None, EDITORS),
    ("admin: change a recommendation", "get",
     lambda: admin("recommendations_recommendation_change", first(Recommendation)), None, EDITORS),
    ("admin: delete a seeded recommendation", "get",  # the report's verbatim text: administrators only
     lambda: admin("recommendations_recommendation_delete", first(Recommendation)), None, ADMINS_ONLY),
    ("admin: import", "get", lambda: admin("recommendations_recommendation_import"), None, EDITORS),
    ("admin: export", "get", lambda: admin("recommendations_recommendation_export"), None, EDITORS),
    ("admin: timeline entries", "get", lambda: admin("recommendations_recommendationupdate_changelist"), None,
     EDITORS),
    ("admin: history", "get", lambda: admin("recommendations_recommendation_history", first(Recommendation)), None,
     EDITORS),
    ("admin: users", "get", lambda: admin("auth_user_changelist"), None, ADMINS_ONLY),
    ("admin: groups", "get", lambda: admin("auth_group_changelist"), None, ADMINS_ONLY),
    ("admin: bulk assign owner (POST)", "post", lambda: admin("recommendations_recommendation_changelist"),
     lambda: {"action": "assign_owner", "_selected_action": [first(Recommendation)]},
     {**EDITORS}),
    ("admin: delete a timeline entry (POST)", "post",
     lambda: admin("recommendations_recommendationupdate_delete", first(Recommendation.updates.rel.related_model)),
     lambda: {"post": "yes"}, {**EDITORS, "editor": 403, "administrator": 403}),  # append-only
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("what", "method", "url", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_permission_matrix(client, people, role, what, method, url, data, expected):
    if role != "anonymous":
        client.force_login(people[role])
    url = url() if callable(url) else url
    data = data() if callable(data) else data
    response = getattr(client, method)(url, data or {})
    assert response.status_code == expected[role], f"{what} as {role}: {response.status_code}"
    if response.status_code == 302 and role == "anonymous":
        assert "login" in response["Location"]


def test_a_refused_update_changes_nothing(client, people):
    rec = Recommendation.objects.get_by_natural_key(*REC)
    for role in ("viewer", "staff_other"):
        client.force_login(people[role])
        url, data = update_post(progress=77)
        client.post(url, {**data, "status": Status.STALLED})
    rec.refresh_from_db()
    assert rec.progress != 77 and rec.status != Status.STALLED
    assert not rec.updates.filter(note="Checked the permission matrix.").exists()


def test_an_administrator_manages_accounts_and_an_editor_cannot_create_one(client, people):
    client.force_login(people["editor"])
    url = admin("auth_user_add")
    # "Add user" invites (issue #21): a role and an address, no password.
    data = {"username": "intruder", "email": "intruder@example.org", "role": "viewer"}
    assert client.post(url, data).status_code == 403
    assert not get_user_model().objects.filter(username="intruder").exists()
    client.force_login(people["administrator"])
    assert client.post(url, data).status_code == 302
    assert get_user_model().objects.filter(username="intruder").exists()


def test_no_role_may_touch_the_search_documents(db):
    """The database writes them (triggers); no role gets a permission on them, not even to view."""
    from gfmd_tracker.roles import DATABASE_KEPT_MODELS, ROLES, permissions_for

    for role in ROLES:
        assert not permissions_for(role).filter(content_type__model__in=DATABASE_KEPT_MODELS).exists()
    assert permissions_for("viewer").filter(codename="view_recommendation").exists()


def test_the_header_names_the_roles_in_one_query_and_permissions_are_read_once_a_request(client, editor):
    """Nothing about roles is cached: Django's ModelBackend reads a user's permissions once per
    request (their own and their groups'), the header's role names take one more query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    with CaptureQueriesContext(connection) as page:
        body = client.get("/recommendations/").content.decode()
    assert "<span>eda-editor (Editor)</span>" in body  # the name once, then the role
    sql = [q["sql"] for q in page.captured_queries]
    assert len([q for q in sql if "auth_permission" in q]) == 2
    assert len([q for q in sql if "auth_group" in q and "auth_permission" not in q]) == 1


def test_a_role_taken_away_counts_on_the_next_request(client, editor):
    from django.contrib.auth.models import Group

    client.force_login(editor)
    add_url = "/admin/recommendations/recommendation/add/"
    assert client.get(add_url).status_code == 200
    editor.groups.set([Group.objects.get(name="viewer")])
    assert client.get(add_url).status_code == 403
    assert "<span>eda-editor (Viewer)</span>" in client.get("/recommendations/").content.decode()


def test_a_permission_taken_from_a_group_counts_on_the_next_request(client, staff):
    from django.contrib.auth.models import Group, Permission

    client.force_login(staff)
    assert client.get("/recommendations/export.csv").status_code == 200
    Group.objects.get(name="staff").permissions.remove(Permission.objects.get(codename="view_recommendation"))
    assert client.get("/recommendations/export.csv").status_code == 403
