import datetime

from django import template
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext

from recommendations import dates

from ..roles import LABELS

register = template.Library()


@register.inclusion_tag("partials/sort_header.html", takes_context=True)
def sort_header(context, key, label):
    """A column heading (<th>) whose link sorts the list by `key`, and reverses on a second
    click; the heading says how the column is sorted (aria-sort), for screen readers."""
    query = context["request"].GET.copy()
    current = query.get("sort", "")
    query["sort"] = f"-{key}" if current == key else key
    query.pop("page", None)
    return {
        "query": query.urlencode(), "label": label,
        "arrow": " ▲" if current == key else " ▼" if current == f"-{key}" else "",
        "state": "ascending" if current == key else "descending" if current == f"-{key}" else None,
    }


@register.inclusion_tag("partials/status_badge.html")
def status_badge(item):
    """The item's status as a coloured badge, and "Overdue" when it is."""
    return {"item": item}


@register.inclusion_tag("partials/freshness.html")
def freshness(item, now=None):
    """How fresh an open item's follow-up is (current, ageing, stale, inactive: `FollowUpState.freshness_on`),
    as a light with its words, never colour alone; nothing for a closed item. Needs the item's meeting loaded
    (`meeting_path`) to avoid a query per row."""
    state = item.freshness_on(now)
    days = (timezone.localdate(now) - timezone.localdate(item.last_update_at)).days if item.last_update_at else None
    return {"state": state, "label": state.label if state else "", "days": days}


@register.inclusion_tag("partials/rollup.html")
def rollup(item):
    """What an item's actions say of it: "1 of 2 actions reported", and their rolled-up progress over the
    reported ones where it is the item's progress (or "unknown"); nothing without actions."""
    return {"item": item}


@register.inclusion_tag("partials/coverage.html")
def coverage(figures, days=90, noun=None):
    """A set of items' coverage (`FollowUpQuerySet.coverage`): how much is known, and how it is computed;
    `noun`: what they are, translated (_("Actions")); items by default."""
    return {"c": figures, "days": days, "noun": noun or pgettext("coverage", "Items")}


@register.inclusion_tag("partials/progress_bar.html")
def progress_bar(item):
    """A bar drawn in SVG: its width is an attribute, not an inline style, so the page's
    Content-Security-Policy can forbid inline styles. An item whose progress is rolled up from its actions
    shows that progress, as its page does ("unknown" while none of them is reported)."""
    progress = item.actions_progress if getattr(item, "progress_from_actions", False) else item.progress
    return {"progress": None if progress is None else int(progress)}


@register.filter
def roles(user):
    """The user's roles (group names) for the page header: one query."""
    return user.groups.order_by("name").values_list("name", flat=True) if user.is_authenticated else []


@register.filter
def role_label(role):
    """A role (a group's name) as the reader's language calls it: "Staff", "Personnel de suivi"."""
    return LABELS.get(role, role.capitalize())


@register.filter
def minutes(delta):
    """A timedelta as a number of whole minutes (at least 1)."""
    return max(1, int(delta.total_seconds() // 60)) if delta else ""


@register.filter
def may_take(item, user):
    """Whether `user` may take this item (nobody owns it, and their role may own it)."""
    return item.may_take(user)


@register.filter
def may_log(item, user):
    """Whether `user` may log updates on this item (staff, editors, administrators)."""
    return item.can_log_update(user)


@register.filter
def may_change(item, user):
    """Whether `user` may change this item's status, owner and progress (its owner, an editor)."""
    return item.can_change_follow_up(user)


@register.filter
def changes_shown(entry, public):
    """What a timeline entry changed, as the reader may see it (the public: not the owner)."""
    return entry.changes(public=bool(public))


@register.filter
def lineage_shown(item, public):
    """An item's lineage both ways as the reader may see it (the public: no link to an unpublished item)."""
    return item.lineage_both_ways(public=bool(public))


@register.filter
def at_precision(value, precision):
    """A date or a moment as precisely as it is known, the one way every page shows one: "2013",
    "January 2011", "5 Jan 2011", or "5 Jan 2011, 14:05" for a moment known exactly (`dates.shown`)."""
    return dates.shown(value, precision)


@register.filter
def shown(value):
    """A timeline entry's value before or after, as the pages show it: a date "30 Jun 2027" (the
    site's DATE_FORMAT), progress "20%", a label or a user as text."""
    if isinstance(value, datetime.date):
        return date_format(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return percent(value)
    return value


@register.filter
def percent(value):
    """A whole percentage as the reader's language writes it: "42%", in French "42 %" (a narrow no-break
    space), in Spanish "42 %" (a no-break space): the translators' "%(number)s%%" of the context "percentage".
    `value` is a number of percent (42, 41.6, "42"); nothing for None."""
    number = floatformat(value, 0) if value not in (None, "") else ""
    if number == "":
        return ""
    return pgettext("percentage", "%(number)s%%") % {"number": number}
