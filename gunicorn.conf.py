"""gunicorn's settings for GFMD Tracker; gunicorn reads this file from the directory it starts
in. Each setting can be overridden on the command line (e.g. --workers 4) or, where noted,
by an environment variable (or the .env file the Django settings read)."""

import os
from pathlib import Path

import environ

env = environ.Env()
environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)

# Requests spend part of their time waiting for PostgreSQL: two processes per core, each with
# a few threads, keep the cores busy (WEB_CONCURRENCY and GUNICORN_THREADS override).
workers = env.int("WEB_CONCURRENCY", default=2 * (os.cpu_count() or 1))
threads = env.int("GUNICORN_THREADS", default=4)
# Django is imported once, before the workers are forked: they start faster and share memory.
preload_app = True
# Behind a proxy (BEHIND_PROXY=True) only the proxy on this host can connect, by default: a client
# reaching gunicorn directly could put any address in X-Forwarded-For. GUNICORN_BIND overrides
# (with TRUSTED_PROXIES naming a proxy on another host).
bind = env("GUNICORN_BIND", default="127.0.0.1:8000" if env.bool("BEHIND_PROXY", default=False) else "0.0.0.0:8000")
