"""The report's content in the reader's language, marked (gfmd_tracker/content.py)."""

from django import template
from django.template.loader import get_template
from django.utils.text import Truncator

from .. import content

register = template.Library()


@register.filter
def shown(obj, field):
    """`{{ item|shown:"title" }}`: the text a reader reads (a `content.Shown`; prints as its text)."""
    return content.shown(obj, field)


@register.simple_tag
def translated(obj, field, link=True, href=None, length=None):
    """`{% translated item "title" %}`: the text in the reader's language, in its language's `lang`, and, when it is
    an editor's translation, marked so, the mark linked to the English original: on the record's page (`link`
    True: its `#original`; a record whose address is a place on another page, a session's, shows its original
    there), at a given address (`link`, a string), or nowhere (`link=False`: a theme, a roundtable).
    `href`: the text is a link to it (a list's row), and the mark follows the link (no link in a link).
    `length`: the text cut to that many characters. `{% translated … as name %}` keeps it for a sentence."""
    shown_ = content.shown(obj, field)
    return get_template("partials/content.html").render({
        "shown": shown_, "href": href, "url": _original_url(obj, link),
        "text": Truncator(shown_.text).chars(length) if length else shown_.text,
    })


def _original_url(obj, link):
    if isinstance(link, str):
        return link
    address = getattr(obj, "get_absolute_url", None) if link else None
    if address is None:
        return None
    url = address()
    return url if "#" in url else f"{url}#original"


@register.simple_tag
def untranslated_note(objects, *paths):
    """`{% untranslated_note page "title" "session.title" %}`: once above a list, in a language other than the
    report's, when some of its titles show in the English for want of a translation (content.untranslated_among)."""
    if not content.untranslated_among(objects, *paths):
        return ""
    return get_template("partials/untranslated_note.html").render({})
