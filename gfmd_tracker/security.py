"""Request-level protections: idle sessions end; the client address that login lockouts count by;
health probes answered whatever their Host header."""

import time

from django.conf import settings
from django.utils.functional import empty


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
        response = self.get_response(request)
        # Only where the page looked at the user already: this adds no query of its own (and
        # none at all to a page such as /healthz that must work without the session).
        user = getattr(request, "user", None)
        if getattr(user, "_wrapped", empty) is not empty and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("_active", 0) > settings.SESSION_COOKIE_AGE // 2:
                request.session["_active"] = now
        return response


def mark_active_at_login(sender, request, user, **kwargs):
    """A new session starts active, so the first page after login writes no session."""
    if getattr(request, "session", None) is not None:
        request.session["_active"] = int(time.time())


class HealthCheckMiddleware:
    """Answer /healthz before any later middleware asks for the Host header: a load balancer's
    probe sends the address it dials, which ALLOWED_HOSTS rightly refuses on every other path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            from .views import health

            return health(request)
        return self.get_response(request)
