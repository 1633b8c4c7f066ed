"""The production settings with the development tools installed, for `make bench` and
`manage.py generate_scale_data` (DJANGO_SETTINGS_MODULE=tools.settings)."""

from gfmd_tracker.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tools"]  # noqa: F405
