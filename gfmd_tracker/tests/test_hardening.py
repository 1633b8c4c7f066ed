"""Login lockout, sessions, Content-Security-Policy, the health endpoint, database limits,
concurrent edits and a full backup that restores identically."""

import io
import re
import threading
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client

from recommendations.models import EditConflict, Recommendation, Status

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_failed_logins_lock_that_username_from_that_address_only(staff, editor):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, staff.username, "wrong", "10.0.0.1").status_code == 200  # "wrong password"
    assert attempt(client, staff.username, "wrong", "10.0.0.1").status_code == 429  # the limit: locked
    locked = attempt(client, staff.username, "pw-sam-staff", "10.0.0.1")  # even the right password now
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The same person from another address, and another person from this one, still log in.
    assert attempt(Client(), staff.username, "pw-sam-staff", "10.0.0.2").status_code == 302
    assert attempt(Client(), editor.username, "pw-eda-editor", "10.0.0.1").status_code == 302


def test_a_successful_login_resets_the_count(staff):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, staff.username, "wrong", "10.0.0.3")
    assert attempt(client, staff.username, "pw-sam-staff", "10.0.0.3").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, staff.username, "wrong", "10.0.0.3")
    assert attempt(client, staff.username, "pw-sam-staff", "10.0.0.3").status_code == 302


def test_the_session_key_changes_at_login(staff):
    client = Client()
    client.get(LOGIN)
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    attempt(client, staff.username, "pw-sam-staff", "10.0.0.4")
    assert client.cookies["sessionid"].value != "attacker-chosen-session-key"
    assert client.get("/").status_code == 200


def test_an_idle_session_expires_and_an_active_one_is_kept_alive(staff, monkeypatch):
    from django.contrib.sessions.models import Session

    client = Client()
    attempt(client, staff.username, "pw-sam-staff", "10.0.0.5")
    key = client.cookies["sessionid"].value
    first_expiry = Session.objects.get(pk=key).expire_date
    # Active: a request past half the idle limit pushes the expiry back.
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + settings.SESSION_COOKIE_AGE * 0.6)
    assert client.get("/").status_code == 200
    assert Session.objects.get(pk=key).expire_date > first_expiry
    # Idle: once the expiry has passed, the next request is sent to log in.
    Session.objects.filter(pk=key).update(expire_date="2000-01-01T00:00:00Z")
    assert client.get("/")["Location"].startswith(LOGIN)
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


PAGES = ["/", "/recommendations/", "/recommendations/2010/1.1/1/", "/reports/matrix/", "/reports/changes/",
         "/actors/", "/projects/", "/my-items/", LOGIN, "/admin/", "/admin/recommendations/recommendation/",
         "/admin/recommendations/recommendation/import/", "/admin/recommendations/recommendation/1/change/"]


def test_every_page_sends_a_strict_content_security_policy_and_has_no_inline_script(client, administrator):
    client.force_login(administrator)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        body = response.content.decode()
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", body) if "src=" not in tag]
        assert not inline, (url, inline)
        assert not re.search(r"\son[a-z]+=\"", body), url  # no inline event handlers
        # Every asset comes from this site.
        for asset in re.findall(r'(?:src|href)="([^"]+)"', body):
            assert not re.match(r"^(https?:)?//", asset) or "testserver" in asset, (url, asset)


def test_the_health_endpoint_answers_without_login_and_checks_the_database(client, monkeypatch):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}

    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"


def test_a_lost_database_gives_a_plain_503_page_not_a_traceback(client, editor, monkeypatch):
    from django.db import OperationalError

    client.force_login(editor)
    client.raise_request_exception = False

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("recommendations.views.RecommendationFilterSet.qs", property(down))
    response = client.get("/recommendations/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "unavailable for a moment" in body and "Traceback" not in body and "OperationalError" not in body
    assert response["Retry-After"] == "30"


@pytest.mark.postgresql
def test_statements_are_bounded_by_a_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


def test_two_edits_of_one_version_the_second_is_refused_and_nothing_is_lost(editor):
    """Two people load the same item; the first saves, the second's save is refused."""
    rec = Recommendation.objects.get_by_natural_key(2010, "3.1", 2)
    loaded, entries = rec.version, rec.updates.count()
    Recommendation.objects.get(pk=rec.pk).record_update(by=editor, note="First editor.", progress=61)
    with pytest.raises(EditConflict):
        rec.record_update(by=editor, note="Second editor.", expected_version=loaded, progress=20)
    assert Recommendation.objects.get(pk=rec.pk).progress == 61
    assert rec.updates.count() == entries + 1 and rec.updates.first().note == "First editor."


@pytest.mark.postgresql
def test_two_concurrent_edits_the_second_waits_for_the_first_and_is_refused(editor):
    """The first editor is another connection holding the row lock while the second waits."""
    import psycopg

    rec = Recommendation.objects.get_by_natural_key(2010, "3.1", 2)
    loaded = rec.version
    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k not in ("cursor_factory", "context")})
    locked = threading.Event()

    def first_editor():
        with other.transaction():
            other.execute("SELECT id FROM recommendations_recommendation WHERE id = %s FOR UPDATE", [rec.pk])
            locked.set()
            time.sleep(0.5)
            other.execute("UPDATE recommendations_recommendation SET version = version + 1, progress = 61 "
                          "WHERE id = %s", [rec.pk])

    thread = threading.Thread(target=first_editor)
    thread.start()
    locked.wait(5)
    started = time.monotonic()
    try:
        with pytest.raises(EditConflict):
            rec.record_update(by=editor, note="Second editor.", expected_version=loaded, progress=20)
        waited = time.monotonic() - started
    finally:
        thread.join()
        # The other connection committed for real: put the row back for the other tests.
        other.execute("UPDATE recommendations_recommendation SET version = %s, progress = 0 WHERE id = %s",
                      [loaded, rec.pk])
        other.commit()
        other.close()
    assert waited >= 0.3  # it waited for the first editor's lock instead of overwriting
    assert not rec.updates.filter(note="Second editor.").exists()


# As README "Backups" writes it: what the application rebuilds itself is left out.
BACKUP_EXCLUDES = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes",
                   "recommendations.dataversion"]


def millisecond_times(text):
    return text.replace('.000Z"', 'Z"')


def test_a_full_export_restores_into_an_empty_database_identically(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    rec.record_update(by=editor, note="Backed up.", status=Status.PLANNED, owner=editor)
    options = dict(natural_foreign=True, natural_primary=True, indent=None,
                   exclude=BACKUP_EXCLUDES)

    def dump():
        out = io.StringIO()
        call_command("dumpdata", stdout=out, **options)
        return out.getvalue()

    before = dump()
    if connection.vendor == "postgresql":  # the test's own transaction: settle its deferred checks first
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--noinput", verbosity=0)
    assert not Recommendation.objects.exists() and not get_user_model().objects.exists()
    path = settings.BASE_DIR / ".pytest_cache" / f"backup-{connection.vendor}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(before)
    call_command("loaddata", str(path), verbosity=0)
    path.unlink()
    # Django's JSON keeps times to the millisecond: a time with 1–999 µs is written ".000Z"
    # and comes back as a whole second, written "Z". The same instant at that precision.
    assert millisecond_times(dump()) == millisecond_times(before)
    restored = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    assert (restored.status, restored.owner.username) == (Status.PLANNED, editor.username)
