"""Login lockout, sessions, Content-Security-Policy, the health endpoint, database limits,
concurrent edits and a full backup that restores identically."""

import io
import re
import threading
import time
from ipaddress import ip_network

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import make_user
from gfmd_tracker.roles import STAFF
from gfmd_tracker.tests.test_accounts import user_form
from recommendations import db
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


PROXY = "127.0.0.1"  # the proxy in front of gunicorn, on the same host


@pytest.fixture
def behind_proxy(settings):
    """BEHIND_PROXY=True: the proxy on this host is the only one trusted."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = [ip_network(PROXY)]


def forwarded(client, username, password, *, address, claimed):
    """A login POST from `address` carrying the X-Forwarded-For `claimed`."""
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address,
                       HTTP_X_FORWARDED_FOR=claimed)


@pytest.mark.parametrize("connected_from, forwarded_for, counted_as", [
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not a proxy: its header is a claim, ignored
    (PROXY, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # what the proxy saw, not what came before
    ("10.1.2.3", "198.51.100.1, 203.0.113.9, 10.1.0.5", "203.0.113.9"),  # two proxies of a trusted network
    (PROXY, "", PROXY),  # a proxy that said nothing: itself
    (PROXY, "not-an-address", PROXY),
])
def test_the_address_a_login_is_counted_by(rf, settings, connected_from, forwarded_for, counted_as):
    from gfmd_tracker.security import client_ip

    settings.TRUSTED_PROXIES = [ip_network(PROXY), ip_network("10.1.0.0/16")]
    request = rf.post(LOGIN, REMOTE_ADDR=connected_from, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == counted_as


def test_the_lockout_defaults_are_those_the_readme_states():
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_USERNAME_FAILURE_LIMIT) == (5, 20)
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


def test_a_rotating_spoofed_forwarded_address_does_not_dodge_the_lockout(staff, behind_proxy):
    # Straight to gunicorn, claiming a new address each time: counted by the real one.
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert forwarded(Client(), staff.username, "wrong", address="203.0.113.9",
                         claimed=f"198.51.100.{n}").status_code == 200
    assert forwarded(Client(), staff.username, "wrong", address="203.0.113.9",
                     claimed="198.51.100.99").status_code == 429
    # Through the proxy, which appends the address it saw: the claims before it count for nothing.
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert forwarded(Client(), staff.username, "wrong", address=PROXY,
                         claimed=f"198.51.100.{n}, 203.0.113.10").status_code == 200
    assert forwarded(Client(), staff.username, "wrong", address=PROXY,
                     claimed="198.51.100.99, 203.0.113.10").status_code == 429


def test_spoofed_failures_do_not_lock_a_user_out_of_their_own_address(staff, behind_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        forwarded(Client(), staff.username, "wrong", address="203.0.113.9", claimed="192.0.2.10")
    # The user, at 192.0.2.10, through the proxy.
    client = Client()
    assert forwarded(client, staff.username, "pw-sam-staff", address=PROXY, claimed="192.0.2.10").status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_failures_of_one_username_from_many_addresses_lock_that_username_everywhere(staff, editor):
    limit = settings.AXES_USERNAME_FAILURE_LIMIT
    for n in range(limit - 1):
        assert attempt(Client(), staff.username, "wrong", f"198.51.100.{n}").status_code == 200
    # One short of the limit: the user still logs in, from a new address.
    client = Client()
    assert attempt(client, staff.username, "pw-sam-staff", "192.0.2.10").status_code == 302
    client.post("/accounts/logout/")
    assert attempt(Client(), staff.username, "wrong", "198.51.100.200").status_code == 429  # the limit
    locked = attempt(Client(), staff.username, "pw-sam-staff", "192.0.2.11")  # even the right password
    assert locked.status_code == 429
    said = re.search(r"<h1>(.*?)</h1>\s*<p>(.*?)</p>", locked.content.decode(), re.S).groups()
    assert [" ".join(text.split()) for text in said] == [
        "Too many failed logins",
        "This account cannot log in from here for a while: too many attempts failed, from your address or from "
        "many addresses together. Try again in 30 minutes, or ask an administrator to unlock it.",
    ]
    # Other users are not affected, from any of those addresses.
    assert attempt(Client(), editor.username, "pw-eda-editor", "198.51.100.1").status_code == 302


def test_the_session_key_changes_at_login(staff):
    client = Client()
    client.get(LOGIN)
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    attempt(client, staff.username, "pw-sam-staff", "10.0.0.4")
    assert client.cookies["sessionid"].value != "attacker-chosen-session-key"
    assert client.get("/my-items/").status_code == 200  # signed in (the dashboard is open to anyone)


def test_an_idle_session_expires_and_an_active_one_is_kept_alive(staff, monkeypatch):
    from django.contrib.sessions.models import Session

    client = Client()
    attempt(client, staff.username, "pw-sam-staff", "10.0.0.5")
    key = client.cookies["sessionid"].value
    first_expiry = Session.objects.get(pk=key).expire_date
    # Active: a request past half the idle limit pushes the expiry back.
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + settings.SESSION_COOKIE_AGE * 0.6)
    assert client.get("/my-items/").status_code == 200
    assert Session.objects.get(pk=key).expire_date > first_expiry
    # Idle: once the expiry has passed, the next request is sent to log in.
    Session.objects.filter(pk=key).update(expire_date="2000-01-01T00:00:00Z")
    assert client.get("/my-items/")["Location"].startswith(LOGIN)
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

    monkeypatch.setattr("recommendations.filters.RecommendationFilterSet.qs", property(down))
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


def assert_backup_restores_identically():
    """Dump everything as README "Backups" says, empty the database, load the dump: a second
    dump is the same."""
    options = dict(natural_foreign=True, natural_primary=True, indent=None,
                   exclude=BACKUP_EXCLUDES)

    def dump():
        out = io.StringIO()
        call_command("dumpdata", stdout=out, **options)
        return out.getvalue()

    before = dump()
    if db.is_postgresql():  # the test's own transaction: settle its deferred checks first
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--noinput", verbosity=0)
    assert not Recommendation.objects.exists() and not get_user_model().objects.exists()
    path = settings.BASE_DIR / ".pytest_cache" / f"backup-{connection.display_name}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(before)
    call_command("loaddata", str(path), verbosity=0)
    path.unlink()
    # Django's JSON keeps times to the millisecond: a time with 1–999 µs is written ".000Z"
    # and comes back as a whole second, written "Z". The same instant at that precision.
    assert millisecond_times(dump()) == millisecond_times(before)


def test_a_full_export_restores_into_an_empty_database_identically(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    rec.record_update(by=editor, note="Backed up.", status=Status.PLANNED, owner=editor)

    assert_backup_restores_identically()

    restored = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    assert (restored.status, restored.owner.username) == (Status.PLANNED, editor.username)


def test_the_backup_restores_after_the_admin_actions_on_a_user_who_leaves(client, administrator, editor, staff):
    """Someone leaves: deactivated, an attempt to delete them (refused), their items handed
    over. Every row that names them still points at them, so the backup still restores."""
    leaver = make_user("lee-leaver", STAFF)
    items = list(Recommendation.objects.filter(session__code="3.2"))
    client.force_login(editor)
    assign = reverse("admin:recommendations_recommendation_changelist")
    selected = {"action": "assign_owner", "_selected_action": [i.pk for i in items], "apply": "1"}
    client.post(assign, {**selected, "owner": leaver.pk, "note": "Lee covers climate."})
    items[0].refresh_from_db()
    items[0].record_update(by=leaver, note="Met the ministry.", progress=15)

    client.force_login(administrator)
    client.post(reverse("admin:auth_user_change", args=[leaver.pk]), user_form(leaver, is_active=None))
    client.post(reverse("admin:auth_user_delete", args=[leaver.pk]), {"post": "yes"})
    client.post(reverse("admin:auth_user_changelist"),
                {"action": "delete_selected", "_selected_action": [leaver.pk], "post": "yes"})
    client.force_login(editor)
    client.post(assign, {**selected, "owner": staff.pk, "note": "Lee left; Sam takes over."})

    assert_backup_restores_identically()

    restored = Recommendation.objects.get_by_natural_key(2010, "3.2", 1)
    assert restored.owner.username == "sam-staff"
    assert [(e.author.username, e.note, getattr(e.owner_before, "username", None)) for e in restored.updates.all()[:3]
            ] == [("eda-editor", "Lee left; Sam takes over.", "lee-leaver"), ("lee-leaver", "Met the ministry.", None),
                  ("eda-editor", "Lee covers climate.", None)]
    assert get_user_model().objects.get(username="lee-leaver").is_active is False


def test_the_health_endpoint_answers_a_load_balancer_that_sends_its_own_address_as_host(client):
    # A load balancer's probe carries the address it dials as Host, which ALLOWED_HOSTS refuses.
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    # Every other page still refuses that host.
    assert client.get(LOGIN, HTTP_HOST="10.0.0.7").status_code == 400
    assert client.get("/healthz/", HTTP_HOST="10.0.0.7").status_code == 400


def test_static_files_carry_the_same_protective_headers_as_pages(client):
    response = client.get("/static/gfmd_tracker/site.css")
    assert response.status_code == 200
    assert (response["X-Frame-Options"], response["X-Content-Type-Options"]) == ("DENY", "nosniff")


@pytest.mark.parametrize("url", ["/recommendations/export.csv", "/projects/export.csv"])
def test_a_csv_download_whose_database_drops_gets_the_503_page_not_a_cut_off_file(client, viewer, url):
    from django.db import OperationalError

    client.force_login(viewer)
    client.raise_request_exception = False

    def dropped(execute, sql, params, many, context):
        # The request is let in (its transaction, session, user, permissions, data version); then
        # the database is gone.
        let_in = ("django_session", "auth_", "_dataversion")
        if sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")) or any(table in sql for table in let_in):
            return execute(sql, params, many, context)
        raise OperationalError("server closed the connection unexpectedly")

    assert client.get(url).status_code == 200  # filter choices cached: the export's rows are the next query
    with connection.execute_wrapper(dropped):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>GFMD Tracker is unavailable for a moment</h1>" in response.content.decode()


@pytest.mark.parametrize("behind_proxy, bind", [("True", "127.0.0.1:8000"), ("False", "0.0.0.0:8000")])
def test_gunicorn_listens_only_on_this_host_when_behind_a_proxy(monkeypatch, behind_proxy, bind):
    import runpy

    monkeypatch.setenv("BEHIND_PROXY", behind_proxy)
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    assert runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["bind"] == bind
