from django.apps import AppConfig


class GfmdTrackerConfig(AppConfig):
    """The project package as an app: shared templates, static files and cross-app commands."""

    name = "gfmd_tracker"
    verbose_name = "GFMD Tracker"
