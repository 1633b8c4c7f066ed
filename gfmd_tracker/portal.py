"""The public portal: the signed-in views' own addresses, open to anyone without an account.

What the public sees is decided by the data's own rules, written once: `visible_to(user)` on items and
timelines (recommendations/models/tracking.py) and `exports.Table.public()` for downloads; a view asks
`is_public(request)` and passes it on. Here: who gets which answer, the HTTP caching of anonymous pages
(ETag from the data version and the address, 304, `Cache-Control: public`) and of the feeds (the public's for
everybody), and the rate limit of anonymous downloads (django-ratelimit, on Django's cache).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import condition
from django_ratelimit.core import get_usage

from recommendations import versioning

from .security import client_ip


def is_public(request):
    """Whether the request is the public's: nobody signed in (or refused before anyone was looked for, a
    bad Host header). The one seam every view passes on."""
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def context(request):
    """`public` in every template: the reader is the public (what a page leaves out for it)."""
    return {"public": is_public(request)}


def page_etag(request, *args, **kwargs):
    """An anonymous page is the same until the data change (the data version), for its address and its
    language, on one day (overdue and stale items, "this month" move with the date)."""
    seed = f"{versioning.current()}|{timezone.localdate()}|{get_language()}|{request.get_full_path()}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def portal_page(permission=None, etag=page_etag):
    """A page open to the public. Signed in, the user needs `permission` (as before the portal) and the
    answer is never stored by a shared cache; anonymous, it is cacheable by anyone for PUBLIC_MAX_AGE
    seconds, with an ETag (`etag(request, …)`: a page that shows more than the data, say so there), and a
    conditional request is answered 304. Either way it varies on the cookie, so a proxy never gives one
    reader's page to another."""
    def decorator(view):
        conditional = condition(etag_func=etag)(view)

        @wraps(view)
        def page(request, *args, **kwargs):
            public = is_public(request)
            if not public and permission and not request.user.has_perm(permission):
                raise PermissionDenied
            if not public or CookieStorage.cookie_name in request.COOKIES:  # signed in, or a message waits: its own
                response = view(request, *args, **kwargs)
                add_never_cache_headers(response)
            else:
                response = conditional(request, *args, **kwargs)
                if response.status_code in (200, 304):
                    patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
            return response
        return page
    return decorator


def feed_language(request):
    """A feed's language: the one its reader's Accept-Language asks for, English by default. Never the switcher's
    cookie nor a profile's, so that a feed is the same for everybody who asks in one language and a shared cache
    keeps one copy per language (`Vary: Accept-Language`, which LocaleMiddleware adds)."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def public_feed(view):
    """A feed: the public's answer for everybody (a feed reader has no session, and a signed-in reader gets the
    same feed: the view reads as nobody signed in), in the language its reader's Accept-Language asks for
    (`feed_language`, at the same address), so cacheable by anyone for PUBLIC_MAX_AGE seconds, with an ETag as
    the public's pages have (the language in it), and a conditional request answered 304. It varies on nothing
    else."""
    conditional = condition(etag_func=page_etag)(view)

    @wraps(view)
    def feed(request, *args, **kwargs):
        request.user = AnonymousUser()  # before anything reads the session: nothing here depends on it
        language = feed_language(request)
        with translation.override(language):
            response = conditional(request, *args, **kwargs)
        response["Content-Language"] = language
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
        else:  # a refused address (bad filters) is never revalidated into a 304
            response.headers.pop("ETag", None)
        return response
    return feed


def anonymous_rate_limit(group, rate_setting):
    """Anonymous requests of a `group` (downloads) counted per client address in Django's cache; over the
    rate that the setting `rate_setting` names ("30/m"), a 429 page saying when to come back."""
    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if is_public(request):
                usage = get_usage(request, group=group, key=lambda group, request: client_ip(request),
                                  rate=getattr(settings, rate_setting), increment=True)
                if usage is not None and usage["should_limit"]:
                    return too_many_requests(request, max(1, usage["time_left"]))
            return view(request, *args, **kwargs)
        return limited
    return decorator


def too_many_requests(request, retry_after):
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response
