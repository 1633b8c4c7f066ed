"""E-mail settings come from the environment: EMAIL_URL (django-environ), with a console under DEBUG and a
local mail server otherwise."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

NAMES = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
         "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL", "SITE_URL"]
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_settings(**environment):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "EMAIL_URL", *NAMES)}
    env.update(DJANGO_SETTINGS_MODULE="gfmd_tracker.settings", SECRET_KEY="x" * 60 + "-production-like-key",
               **environment)
    code = ("import json, django; django.setup(); from django.conf import settings; "
            f"print(json.dumps({{name: getattr(settings, name) for name in {NAMES!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                            cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("environment, expected", [
    ({"EMAIL_URL": "smtp+tls://mailer:s%40cret@mail.example.org:587"},
     {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 587, "EMAIL_HOST_USER": "mailer",
      "EMAIL_HOST_PASSWORD": "s@cret", "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False}),
    ({}, {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "localhost", "EMAIL_PORT": 25, "EMAIL_HOST_USER": "",
          "EMAIL_HOST_PASSWORD": "", "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False}),
    ({"DEBUG": "1"}, {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
])
def test_the_mail_server_comes_from_email_url(environment, expected):
    found = email_settings(**environment)
    assert {name: found[name] for name in expected} == expected


def test_the_sender_the_links_and_the_timeout_have_defaults_and_can_be_set():
    assert {name: email_settings()[name] for name in ("DEFAULT_FROM_EMAIL", "SITE_URL", "EMAIL_TIMEOUT")} == {
        "DEFAULT_FROM_EMAIL": "GFMD Tracker <noreply@localhost>", "SITE_URL": "http://127.0.0.1:8000",
        "EMAIL_TIMEOUT": 10}
    found = email_settings(DEFAULT_FROM_EMAIL="Tracker <tracker@gfmd.example>", SITE_URL="https://t.example/",
                           EMAIL_TIMEOUT="30")
    assert (found["DEFAULT_FROM_EMAIL"], found["SITE_URL"], found["EMAIL_TIMEOUT"]) == (
        "Tracker <tracker@gfmd.example>", "https://t.example", 30)
