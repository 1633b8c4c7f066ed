"""gunicorn's settings for GFMD Tracker; gunicorn reads this file from the directory it starts
in. Each setting can be overridden on the command line (e.g. --workers 4) or, where noted,
by an environment variable."""

import os

# Requests spend part of their time waiting for PostgreSQL: two processes per core, each with
# a few threads, keep the cores busy (WEB_CONCURRENCY and GUNICORN_THREADS override).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Django is imported once, before the workers are forked: they start faster and share memory.
preload_app = True
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
