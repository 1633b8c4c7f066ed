"""Request-level protections: addresses with a NUL are refused; idle sessions end; the client
address that login lockouts count by; health probes answered whatever their Host header."""

import ipaddress
import time

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import empty


def client_ip(request):
    """The address a request came from (login lockouts, rate limits): the connection's, unless that is a
    proxy we trust; then, walking CLIENT_IP_HEADER (X-Forwarded-For) back from the end, the first address
    that is not one. Each trusted proxy
    appends the address it saw; whatever stands before that was claimed by the client, who can claim anything."""
    address = request.META.get("REMOTE_ADDR")
    header = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    claimed = request.META.get(header, "").split(",")
    while _trusted(address) and claimed:
        try:
            address = str(ipaddress.ip_address(claimed.pop().strip()))
        except ValueError:  # not an address: the proxy before it is the last one we know
            break
    return address


def _trusted(address):
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(address in proxies for proxies in settings.TRUSTED_PROXIES)


class LoginLockoutHandler(AxesDatabaseHandler):
    """django-axes' handler with a second limit: AXES_USERNAME_FAILURE_LIMIT failures for one username from
    any addresses together (credential stuffing from many addresses) lock that username everywhere."""

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        everywhere = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(n=Sum("failures_since_start"))["n"] or 0
        if everywhere >= settings.AXES_USERNAME_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


class RefuseNulMiddleware(MiddlewareMixin):
    """An address holding a NUL character (%00, in its path or its query) gets a 400 page before any
    view reads it: PostgreSQL refuses text holding one, and the admin's filters and autocomplete and the
    item pages answered it with a server error. (Forms refuse a NUL posted, with a message by the field.)"""

    def process_request(self, request):
        query = request.GET.lists()
        if "\x00" in request.path_info or any("\x00" in key + "".join(values) for key, values in query):
            return HttpResponseBadRequest(render_to_string("400.html", {"nul": True}))


class IdleTimeoutMiddleware(MiddlewareMixin):
    """Keep an active session alive and let an idle one expire after SESSION_COOKIE_AGE: the
    session is saved (and its expiry pushed back) at most once per half of that age."""

    def process_response(self, request, response):
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


class HealthCheckMiddleware(MiddlewareMixin):
    """Answer /healthz before any later middleware asks for the Host header: a load balancer's
    probe sends the address it dials, which ALLOWED_HOSTS rightly refuses on every other path."""

    def process_request(self, request):
        if request.path_info == "/healthz":
            from .views import health

            return health(request)
