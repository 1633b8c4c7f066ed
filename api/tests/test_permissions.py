"""Who may do what in the API: every endpoint × every role (anonymous, viewer, staff owning the item and not,
editor, and a signed-in user with no role), with the status each must get. Signed-in clients send a personal
token. Reads: the public reads the public portal's data, every role reads everything, a user with no role
nothing; `POST …/updates/`: a note alone for anyone who may log updates, a change for the owner and editors."""

import pytest
from django.contrib.auth import get_user_model

from api.tests.conftest import get, post, token_for
from conftest import make_user
from gfmd_tracker.roles import EDITOR, STAFF, VIEWER
from partnerships.models import Project
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "viewer", "staff_owner", "staff_other", "editor", "no_role")
REC = "/api/v1/recommendations/2010/2.1/3/"


@pytest.fixture
def tokens():
    users = {"viewer": make_user("a-viewer", VIEWER), "staff_owner": make_user("a-owner", STAFF),
             "staff_other": make_user("a-other", STAFF), "editor": make_user("a-editor", EDITOR),
             "no_role": get_user_model().objects.create_user("a-nobody", password="pw")}
    Recommendation.objects.filter(pk=rec().pk).update(owner=users["staff_owner"])
    Project.objects.filter(pk=project().pk).update(owner=users["staff_owner"])
    return {role: token_for(user) for role, user in users.items()}


def rec():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 3)


def project():
    return Project.objects.get(title__startswith="Handbook")


READ = {"anonymous": 200, "viewer": 200, "staff_owner": 200, "staff_other": 200, "editor": 200, "no_role": 403}
OPEN = dict.fromkeys(ROLES, 200)  # the API's index, its schema and docs
NOTE = {"anonymous": 401, "viewer": 403, "staff_owner": 201, "staff_other": 201, "editor": 201, "no_role": 403}
CHANGE = {**NOTE, "staff_other": 403}

CASES = [
    ("index", "get", "/api/v1/", None, OPEN),
    ("meetings", "get", "/api/v1/meetings/", None, READ),
    ("a meeting", "get", "/api/v1/meetings/2010/", None, READ),
    ("sessions", "get", "/api/v1/sessions/", None, READ),
    ("a session", "get", "/api/v1/sessions/2010/2.1/", None, READ),
    ("actors", "get", "/api/v1/actors/", None, READ),
    ("an actor", "get", "/api/v1/actors/Mexico/", None, READ),
    ("themes", "get", "/api/v1/themes/", None, READ),
    ("a theme", "get", "/api/v1/themes/gender/", None, READ),
    ("recommendations", "get", "/api/v1/recommendations/", None, READ),
    ("a recommendation", "get", REC, None, READ),
    ("a recommendation's timeline", "get", REC + "updates/", None, READ),
    ("follow-up items", "get", "/api/v1/follow-up-items/", None, READ),
    ("a follow-up item", "get", "/api/v1/follow-up-items/2010/CSD/1/", None, READ),
    ("a follow-up item's timeline", "get", "/api/v1/follow-up-items/2010/CSD/1/updates/", None, READ),
    ("projects", "get", "/api/v1/projects/", None, READ),
    ("a project", "get", lambda: f"/api/v1/projects/{project().pk}/", None, READ),
    ("a project's timeline", "get", lambda: f"/api/v1/projects/{project().pk}/updates/", None, READ),
    ("partners", "get", "/api/v1/partners/", None, READ),
    ("lineage", "get", "/api/v1/lineage/", None, READ),
    ("schema", "get", "/api/schema/", None, OPEN),
    ("docs", "get", "/api/docs/", None, OPEN),
    ("a note on a recommendation", "post", REC + "updates/", lambda: {"note": "Heard.", "version": rec().version},
     NOTE),
    ("a change of a recommendation", "post", REC + "updates/",
     lambda: {"note": "Moving.", "progress": 40, "version": rec().version}, CHANGE),
    ("a note on a project", "post", lambda: f"/api/v1/projects/{project().pk}/updates/",
     lambda: {"note": "Heard.", "version": project().version}, NOTE),
    ("a change of a project's stage", "post", lambda: f"/api/v1/projects/{project().pk}/updates/",
     lambda: {"note": "Done.", "stage": "completion", "version": project().version}, CHANGE),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("what", "method", "url", "body", "expected"), CASES, ids=[c[0] for c in CASES])
def test_api_permission_matrix(client, tokens, role, what, method, url, body, expected):
    url = url() if callable(url) else url
    token = tokens.get(role)
    response = get(client, url, token) if method == "get" else post(client, url, token, body())
    assert response.status_code == expected[role], f"{what} as {role}: {response.status_code} {response.content[:200]}"


def test_a_session_reads_as_its_role_does_and_writes_only_with_the_csrf_token(client, staff):
    client.force_login(staff)
    assert client.get(REC)["Cache-Control"] == "private, no-cache"
    assert "owner" in client.get(REC).json()
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff)
    refused = strict.post(REC + "updates/", {"note": "From the docs page.", "version": rec().version},
                          content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
