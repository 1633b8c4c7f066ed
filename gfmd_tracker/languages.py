"""The language of a page (README, "Languages"): the signed-in person's profile, then the switcher's cookie,
then the browser's Accept-Language (Django's LocaleMiddleware does the last two).

The profile's language (`Profile.language`, blank: the browser's) is read once, at login, into the session,
so that a page costs no query for it; saving the profile or switching while signed in writes both. Another
session of the same person takes a change at its next login.

`set_language` is Django's view (django.views.i18n) behind two checks of ours: a language the site does not
offer changes nothing (Django's own would store any language it has a catalogue for), and a signed-in person's
switch is CSRF-checked. The public's switch is not: its pages carry no token, so that they stay cacheable by
anyone, and changing an anonymous visitor's language is all a forged switch could do.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from .models import Profile

OFFERED = dict(settings.LANGUAGES)
SESSION_KEY = "gfmd_language"


def preferred(user):
    """The language `user` chose on their profile; "" for their browser's."""
    return Profile.objects.filter(user=user).values_list("language", flat=True).first() or ""


def remember_at_login(sender, request, user, **kwargs):
    """At login (Django's user_logged_in), the profile's language into the session."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = preferred(user)


def save_preferred(request, language):
    """Makes `language` ("" for the browser's) the signed-in person's, on their profile and in this session."""
    Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    request.session[SESSION_KEY] = language


class ProfileLanguageMiddleware:
    """After LocaleMiddleware and the authentication: a signed-in person's pages in their profile's language.
    Only a request with a session cookie is looked at (the public's feeds keep varying on nothing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            language = request.session.get(SESSION_KEY)
            if language in OFFERED:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:  # the switcher's choice: a cache must tell them apart
            patch_vary_headers(response, ["Cookie"])
        return response


def _switch(request):
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
    if language not in OFFERED:
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    elif request.user.is_authenticated:
        save_preferred(request, language)
    return response


@csrf_exempt
@require_POST
def set_language(request):
    """The header's switcher: back to `next` (a page of this site only, else the home page) in the chosen
    language."""
    if request.user.is_authenticated:
        return csrf_protect(_switch)(request)
    return _switch(request)
