from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column heading that sorts the list by `key`, and reverses on a second click."""
    request = context["request"]
    current = request.GET.get("sort", "")
    target = f"-{key}" if current == key else key
    query = request.GET.copy()
    query["sort"] = target
    query.pop("page", None)
    arrow = " ▲" if current == key else " ▼" if current == f"-{key}" else ""
    state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
    return format_html('<a href="?{}" aria-sort="{}">{}{}</a>', query.urlencode(), state, label, arrow)
