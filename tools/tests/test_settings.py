"""The development tools are installed for the tests and `make bench`, never in production."""

import os
import subprocess
import sys

from django.conf import settings


def command_names(settings_module):
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, SECRET_KEY="x" * 60 + "-production-like-key")
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"], env=env, capture_output=True, text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_production_settings_offer_neither_the_generator_nor_the_benchmark():
    names = command_names("gfmd_tracker.settings")
    assert {"seed_gfmd", "setup_roles", "create_demo_users"} <= names
    assert {"bench", "generate_scale_data"} & names == set()


def test_the_tools_settings_offer_both():
    assert {"bench", "generate_scale_data", "seed_gfmd"} <= command_names("tools.settings")


def test_production_settings_never_import_the_tools_package():
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(DJANGO_SETTINGS_MODULE="gfmd_tracker.settings", SECRET_KEY="x" * 60 + "-production-like-key")
    result = subprocess.run(
        [sys.executable, "-c", "import sys, django; django.setup(); import gfmd_tracker.urls; "
         "print(sorted(name for name in sys.modules if name == 'tools' or name.startswith('tools.')))"],
        env=env, capture_output=True, text=True, cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"
