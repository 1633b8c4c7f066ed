from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag
def status_badge(item):
    """The item's status as a coloured badge, and "Overdue" when it is."""
    badge = format_html('<span class="badge status-{}">{}</span>', item.status, item.get_status_display())
    if item.is_overdue:
        badge += mark_safe(' <span class="badge overdue">Overdue</span>')
    return badge


@register.simple_tag
def progress_bar(item):
    return format_html(
        '<span class="progress" role="img" aria-label="Progress {} per cent"><span class="bar" style="width: {}%">'
        '</span></span> <span class="progress-text">{}%</span>', item.progress, item.progress, item.progress,
    )
