"""Request-level protections: idle sessions end, a lost database gives a clean page, and
the client address that login lockouts count by."""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def client_ip(request):
    """The address a login attempt came from. Behind a proxy (BEHIND_PROXY=True) that is the
    last address the proxy appended to X-Forwarded-For; anything before it is what the client
    claimed, and a client could claim anything."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


class IdleTimeoutMiddleware:
    """Keep an active session alive and let an idle one expire after SESSION_COOKIE_AGE.

    The session is saved (and its expiry pushed back) at most once per half of that age,
    not on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_active", 0) > settings.SESSION_COOKIE_AGE // 2:
                session["_active"] = now
        return self.get_response(request)


def mark_active_at_login(sender, request, user, **kwargs):
    """A new session starts active, so the first page after login writes no session."""
    if getattr(request, "session", None) is not None:
        request.session["_active"] = int(time.time())


class DatabaseUnavailableMiddleware:
    """A request that finds the database down (restarting, unreachable) gets a plain 503
    page saying so, never a traceback; the next request reconnects by itself
    (CONN_HEALTH_CHECKS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as error:
            return self.unavailable(error)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self.unavailable(exception)
        return None

    @staticmethod
    def unavailable(error):
        log.error("Database unavailable: %s", error)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response

