from html import escape  # the standard library's (see recommendation_rows)
from urllib.parse import quote

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

from recommendations import versioning
from recommendations.models import Recommendation, Status, Theme

register = template.Library()

PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted in a path


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A column heading (<th>) whose link sorts the list by `key`, and reverses on a second
    click; the heading says how the column is sorted (aria-sort), for screen readers."""
    request = context["request"]
    current = request.GET.get("sort", "")
    target = f"-{key}" if current == key else key
    query = request.GET.copy()
    query["sort"] = target
    query.pop("page", None)
    arrow = " ▲" if current == key else " ▼" if current == f"-{key}" else ""
    state = "ascending" if current == key else "descending" if current == f"-{key}" else None
    return format_html('<th scope="col"{}><a href="?{}">{}{}</a></th>',
                       format_html(' aria-sort="{}"', state) if state else "", query.urlencode(), label, arrow)


# A list shows the same seven badges over and over.
STATUS_BADGES = {value: format_html('<span class="badge status-{}">{}</span>', value, label)
                 for value, label in Status.choices}


@register.simple_tag
def status_badge(item):
    """The item's status as a coloured badge, and "Overdue" when it is."""
    badge = STATUS_BADGES.get(item.status)
    if badge is None:
        badge = format_html('<span class="badge status-{}">{}</span>', item.status, item.get_status_display())
    if item.is_overdue:
        badge += mark_safe(' <span class="badge overdue">Overdue</span>')
    return badge


@register.simple_tag
def progress_bar(item):
    """A bar drawn in SVG: its width is an attribute, not an inline style, so the page's
    Content-Security-Policy can forbid inline styles."""
    return _progress_bar(item.progress)


def _progress_bar(progress):
    progress = int(progress)  # a number: nothing to escape
    return mark_safe(
        '<svg class="progress" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        f'aria-label="Progress {progress} per cent"><rect class="track" width="100" height="10"/>'
        f'<rect class="bar" width="{progress}" height="10"/></svg> <span class="progress-text">{progress}%</span>'
    )


@register.simple_tag
def timeline_entries(entries):
    """The entries of a timeline page as <li> items, built in Python: an item page shows 25 of
    them, and a template loop with filters per entry cost more than the rest of the page."""
    out = []
    for entry in entries:
        when = timezone.localtime(entry.created_at)
        author = entry.author
        who = (author.get_full_name() or author.username) if author else "GFMD Tracker"
        parts = [
            format_html('<li>\n      <p class="meta"><time datetime="{}">{}</time> · {}</p>\n'
                        '      <p class="note">{}</p>', when.isoformat(), dateformat.format(when, "j M Y, H:i"),
                        who, linebreaksbr(entry.note, autoescape=True)),
        ]
        changes = entry.changes()
        if changes:
            items = []
            for label, before, after in changes:
                was = format_html("{} → ", before) if before not in (None, "") else ""
                now = "—" if after in (None, "") else after
                items.append(format_html("<li>{}: {}<strong>{}</strong></li>", capfirst(label), was, now))
            parts.append(format_html('\n      <ul class="changes">{}</ul>', mark_safe("".join(items))))
        if entry.evidence_url:
            parts.append(format_html('\n      <p><a href="{}" rel="noopener noreferrer">Evidence</a></p>',
                                     entry.evidence_url))
        parts.append("\n    </li>")
        out.append("".join(parts))
    return mark_safe("\n    ".join(out))


@register.simple_tag
def recommendation_rows(page):
    """The rows of a page of the recommendations list, built in Python: 50 rows of nine
    cells through the template engine cost more than the rest of the list page. Texts are
    escaped by the standard library's `html.escape`, which is what Django's `escape` does to
    a string, without its checks for lazy and safe strings on each of 500 cells."""
    out = []
    links = {}  # the link of each meeting's items up to the session code: one reverse() per meeting
    items = list(page)
    theme_names = _theme_names(items)
    for item in items:
        session = item.session
        themes = "".join(f'<span class="tag">{escape(name)}</span> ' for name in theme_names.get(item.pk, ()))
        out.append(
            f"<tr>\n          <td>{escape(session.code)}</td>\n          <td>{item.number}</td>\n"
            f'          <td><a href="{escape(_item_link(item, session, links))}">{escape(item.title)}</a>\n'
            f'            <div class="themes">{themes}</div></td>\n'
            f"          <td>{status_badge(item)}</td>\n          <td>{_progress_bar(item.progress)}</td>\n"
            f"          <td>{escape(item.owner.username) if item.owner_id else '—'}</td>\n"
            f"          <td>{_day(item.due_date)}</td>\n          <td>{_day(item.last_update_at)}</td>\n        </tr>"
        )
    return mark_safe("\n      ".join(out))


def _theme_names(items):
    """Each item's theme names in the themes' order (by name), from one query of (item, theme)
    ids and the names of the few themes (cached per data version). A prefetch built a Theme and
    a related manager for each row, a tenth of the list page's time."""

    def read_themes():
        return list(Theme.objects.values_list("pk", "name"))  # in the model's order

    themes = versioning.cached("theme-names", read_themes)
    pairs = Recommendation.themes.through.objects.filter(
        recommendation_id__in=[item.pk for item in items]).values_list("recommendation_id", "theme_id")
    linked = {}
    for item_id, theme_id in pairs:
        linked.setdefault(item_id, set()).add(theme_id)
    return {item_id: [name for pk, name in themes if pk in ids] for item_id, ids in linked.items()}


def _item_link(item, session, links):
    """`item.get_absolute_url()` (…/<year>/<code>/<number>/) with one reverse() per meeting:
    the code is quoted as reverse() quotes a path."""
    code = quote(session.code, safe=PATH_SAFE)
    start = links.get(session.meeting_id)
    if start is None:
        url = item.get_absolute_url()
        tail = f"/{code}/{item.number}/"
        if url.endswith(tail):
            links[session.meeting_id] = url.removesuffix(tail)
        return url
    return f"{start}/{code}/{item.number}/"


def _day(value):
    """A date or a moment as the lists show it ("3 Nov 2010", in local time), or a dash: what
    `dateformat.format(value, "j M Y")` gives, at a tenth of its cost (50 rows show 100 dates)."""
    if value is None:
        return "—"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value.day} {_month_names()[value.month]} {value.year}"


_MONTH_NAMES = {}


def _month_names():
    """The short month names in the active language ("Nov"), translated once per language."""
    language = get_language()
    names = _MONTH_NAMES.get(language)
    if names is None:
        names = _MONTH_NAMES[language] = {month: str(name).title() for month, name in MONTHS_3.items()}
    return names


@register.filter
def roles(user):
    """The user's roles (group names) for the page header, without a query per page."""
    from gfmd_tracker.auth import role_names

    return role_names(user)


@register.filter
def minutes(delta):
    """A timedelta as a number of whole minutes (at least 1)."""
    return max(1, int(delta.total_seconds() // 60)) if delta else ""
