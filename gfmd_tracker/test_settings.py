"""Settings for the test suite: the production settings with test-only defaults, and the
development tools (`tools`: the data generator and the benchmark) installed.

DATABASE_URL still decides the database, so `make test` runs on SQLite by default
and on PostgreSQL when DATABASE_URL is set.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")

from .settings import *  # noqa: E402,F403

INSTALLED_APPS = [*INSTALLED_APPS, "tools"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files from the apps' folders; no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
