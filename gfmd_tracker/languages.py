"""The language of a page (README, "Languages"): the signed-in person's profile, then the switcher's cookie,
then the browser's Accept-Language (Django's LocaleMiddleware does the last two).

`set_language` is Django's view (django.views.i18n) behind two checks of ours: a language the site does not
offer changes nothing (Django's own would store any language it has a catalogue for), and a signed-in person's
switch is CSRF-checked. The public's switch is not: its pages carry no token, so that they stay cacheable by
anyone, and changing an anonymous visitor's language is all a forged switch could do.
"""

from django.conf import settings
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

OFFERED = dict(settings.LANGUAGES)


def _switch(request):
    response = i18n.set_language(request)
    if request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER) not in OFFERED:
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    return response


@csrf_exempt
@require_POST
def set_language(request):
    """The header's switcher: back to `next` (a page of this site only, else the home page) in the chosen
    language."""
    if request.user.is_authenticated:
        return csrf_protect(_switch)(request)
    return _switch(request)
