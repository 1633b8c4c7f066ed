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
def translated(obj, field, link=True, href=None, length=None, prefix=""):
    """`{% translated item "title" %}`: the text in the reader's language, in its language's `lang`, and, when it is
    an editor's translation, marked so, the mark linked to the English original: on the record's page (`link`
    True: its `#original`; a record whose address is a place on another page, a session's, shows its original
    there), at a given address (`link`, a string), or nowhere (`link=False`: a theme, a roundtable).
    `href`: the text is a link to it (a list's row), and the mark follows the link (no link in a link); `prefix`:
    what the link says first (an item's code). `length`: the text cut to that many characters.
    `{% translated … as name %}` keeps it for a sentence."""
    return _render(content.shown(obj, field), href=href, url=_original_url(obj, link), length=length, prefix=prefix)


@register.simple_tag
def item_link(item, length=None, anchor="", href=None):
    """`{% item_link item %}`: a record's name linked to its page (`href`, else its own address, and `anchor`, a place
    on it: "#actions"): "2.1/3 Title", a project's title, a theme's name; the title in the reader's language and
    marked as `translated` marks it. An action's own title is not the report's: never translated."""
    href = (href or item.get_absolute_url()) + anchor
    if not content.translatable(item):
        return _render(content.Shown(str(item), content.ORIGINAL, str(item)), href=href, length=length)
    field = "title" if hasattr(type(item), "title") else "name"
    prefix = f"{item.session.code}/{item.number}" if getattr(item, "number", None) and item.session_id else ""
    return translated(item, field, href=href, length=length, prefix=prefix)


def _render(shown_, *, href=None, url=None, length=None, prefix=""):
    return get_template("partials/content.html").render({
        "shown": shown_, "href": href, "url": url, "prefix": prefix,
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
