from django.apps import AppConfig


class GfmdTrackerConfig(AppConfig):
    """The project package as an app: shared templates, static files and cross-app commands."""

    name = "gfmd_tracker"
    verbose_name = "GFMD Tracker"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .languages import remember_at_login
        from .security import mark_active_at_login

        user_logged_in.connect(mark_active_at_login, dispatch_uid="gfmd-mark-active-at-login")
        user_logged_in.connect(remember_at_login, dispatch_uid="gfmd-remember-language-at-login")
