"""Fault test, run by .ci/run on PostgreSQL: the database stops while the app runs.

Starts gunicorn against a database of its own, then stops PostgreSQL and starts it again.
Requests during the outage must get a clean 503 page (no traceback); afterwards the app must
answer again by itself, without a restart (CONN_HEALTH_CHECKS). Prints what it measured;
exits non-zero if any of that does not hold.

    .venv/bin/python scripts/fault_postgres_restart.py     (as root, with pg_ctlcluster)
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "gfmd_faults"
URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
ENV = {**os.environ, "DATABASE_URL": URL, "DEBUG": "0", "SECRET_KEY": "fault-test-only",
       "SECURE_SSL_REDIRECT": "False", "SESSION_COOKIE_SECURE": "False", "ALLOWED_HOSTS": "127.0.0.1",
       "DJANGO_SETTINGS_MODULE": "gfmd_tracker.settings"}
PYTHON = sys.executable


def run(*args, **kwargs):
    return subprocess.run(args, check=True, cwd=ROOT, env=ENV, capture_output=True, text=True, **kwargs)


def cluster():
    version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]
    return version, "main"


def postgres(action):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *cluster(), action], check=True)


def postgres_ready():
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


def get(port, path, cookie):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


def main():
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DATABASE}"],
                   check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {DATABASE}"], check=True)
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v0")
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0")
    run(PYTHON, "manage.py", "seed_gfmd")
    cookie = run(PYTHON, "manage.py", "shell", "-c", (
        "from django.contrib.auth import get_user_model;"
        "from django.contrib.auth.models import Group;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "from gfmd_tracker.roles import setup_roles; setup_roles();"
        "u = get_user_model().objects.create_user('fault-viewer', password='x');"
        "u.groups.add(Group.objects.get(name='viewer'));"
        "s = SessionStore(); s['_auth_user_id'] = str(u.pk);"
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend';"
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )).stdout.strip().splitlines()[-1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([PYTHON, "-m", "gunicorn", "gfmd_tracker.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", "2", "--threads", "2", "--log-level", "error"],
                              cwd=ROOT, env=ENV, start_new_session=True)
    failures = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        pages = ["/recommendations/", "/reports/matrix/", "/recommendations/2010/1.1/1/", "/healthz"]
        for page in pages:
            status, _ = get(port, page, cookie)
            if status != 200:
                failures.append(f"before the outage {page} answered {status}")
        postgres("stop")
        outage = []
        for page in pages * 2:
            status, body = get(port, page, cookie)
            outage.append(status)
            if status != 503:
                failures.append(f"during the outage {page} answered {status}, not 503")
            if "Traceback" in body or "OperationalError" in body or "psycopg" in body:
                failures.append(f"during the outage {page} showed technical details")
        print(f"during the outage: {len(outage)} requests, statuses {sorted(set(outage))}")
        stopped_at = time.monotonic()
        postgres("start")
        while not postgres_ready():
            time.sleep(0.2)
        recovered = None
        for _ in range(60):
            if all(get(port, page, cookie)[0] == 200 for page in pages):
                recovered = time.monotonic() - stopped_at
                break
            time.sleep(0.5)
        if recovered is None:
            failures.append("the app did not recover within 30 s of PostgreSQL starting again")
        else:
            print(f"recovered by itself {recovered:.1f} s after PostgreSQL was started again (no app restart)")
    finally:
        if not postgres_ready():
            postgres("start")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    for failure in failures:
        print("FAILED:", failure)
    print("fault test:", "passed" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
