"""The report's content in the reader's language, marked (gfmd_tracker/content.py)."""

from django import template

from .. import content

register = template.Library()


@register.filter
def shown(obj, field):
    """`{{ item|shown:"title" }}`: the text a reader reads (a `content.Shown`; prints as its text)."""
    return content.shown(obj, field)


@register.inclusion_tag("partials/content.html")
def translated(obj, field, link=True):
    """`{% translated item "title" %}`: the text in the reader's language, in its language's `lang`, and, when it is
    an editor's translation, marked so, linked to the English original on the record's page (`link`)."""
    url = getattr(obj, "get_absolute_url", None) if link else None
    return {"shown": content.shown(obj, field), "url": url() if url else None}
