"""The weekly report for the Steering Group (issue #21): made by `send_reminders` once a week (the ISO week is in
its keys) for each `DigestRecipient` still active and in a role that reads the items, and e-mailed with their
other notifications (as their preference for the kind says: weekly by default).

It is four notifications, one per section, each with its page: the headline figures with their coverage
(`FollowUpQuerySet.coverage_terms`, per kind of item), the status changes of the last seven days (the "What
changed" report's `changes_by_kind`), the due dates moved later in those days (timeline entries with
`slipped_days`), and what is overdue (how many, and the most overdue). The period is the seven days before the day
it is made (Monday to Sunday for a report made on a Monday). The words come from the templates
notifications/email/weekly/*.txt. Nothing of a timeline's notes or reasons is in it: keys, titles, statuses,
dates and counts only."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from recommendations.coverage import RECENT_DAYS, Coverage
from recommendations.dates import shown
from recommendations.models import CLOSED, Action
from recommendations.reports import changes_by_kind

from .compose import languages_of
from .models import DigestRecipient, Kind, Notification
from .reminders import item_kinds, item_name
from .services import Note, notify

SHOWN = 10  # items listed per kind and section; the section's page has them all
SECTIONS = ("figures", "changes", "slipped", "overdue")  # in this order; a recipient with the last has them all


def week_key(today):
    year, week, _ = today.isocalendar()
    return f"weekly_digest:{year}-W{week:02d}"


def kind_label(model):
    return getattr(model, "kind_label", None) or model._meta.verbose_name_plural.capitalize()


def linkable(model):
    """The items of `model` with what their names and addresses need, in a few queries."""
    return Action.objects.with_parents() if model is Action else model.lineage_queryset()


def listed(item, **extra):
    """An item as a section lists it: its name and the address of its page."""
    name = item_name(type(item), {"key": item.lineage_key(), "title": item.title})
    return {"name": name, "link": settings.SITE_URL + item.get_absolute_url(), **extra}


# --- the sections' contents, counted in the database

def figures(now):
    """Per kind of item: its coverage, how many open and how many overdue (one query per kind)."""
    found = []
    for model in item_kinds():
        counts = model.objects.aggregate(
            **model.objects.coverage_terms(days=RECENT_DAYS, now=now),
            open=Count("pk", filter=~Q(status__in=CLOSED)),
            overdue=Count("pk", filter=model.objects.overdue_q(timezone.localdate(now))))
        found.append({"coverage": Coverage.of(counts, kind_label(model)), "open": counts["open"],
                      "overdue": counts["overdue"]})
    return found


def changes(start, end):
    """Per kind the report names: how many status changes, from → to, and the latest SHOWN of them."""
    found = []
    for label, entries, summary in changes_by_kind(start, end, shown=SHOWN):
        found.append({"label": label, "count": sum(n for *_, n in summary), "summary": summary, "items": [
            listed(entry.item, before=entry.get_status_before_display(), after=entry.get_status_after_display(),
                   day=shown(entry.created_at, entry.created_at_precision)) for entry in entries]})
    return found


def slipped(start, end):
    """Per kind of item: how many due dates moved later in the period, and the latest SHOWN moves."""
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    until = timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
    found = []
    for model in item_kinds():
        entries = model._meta.get_field("updates").related_model.objects.filter(
            slipped_days__isnull=False, created_at__range=(since, until)).order_by("-created_at", "-pk")
        latest = list(entries.values_list("item_id", "slipped_days", "due_date_after", "due_date_precision_after")
                      [:SHOWN])
        items = linkable(model).in_bulk({row[0] for row in latest})
        found.append({"label": kind_label(model), "count": entries.count(), "items": [
            listed(items[pk], days=later, due=shown(due, precision)) for pk, later, due, precision in latest]})
    return found


def overdue(now):
    """Per kind of item: how many are overdue, and the SHOWN most overdue."""
    today, found = timezone.localdate(now), []
    for model in item_kinds():
        items = linkable(model).overdue(today).order_by("due_date", "pk")
        found.append({"label": kind_label(model), "count": items.count(), "items": [
            listed(item, due=shown(item.due_date, item.due_date_precision), days=(today - item.due_date).days)
            for item in items[:SHOWN]]})
    return found


# --- the notes

def section_notes(now):
    """(section, subject, text, path) of each section of the week's report, in the active language."""
    today = timezone.localdate(now)
    start, end = today - datetime.timedelta(days=7), today - datetime.timedelta(days=1)
    year, week, _ = today.isocalendar()
    period = {"start": start, "end": end, "week": week, "year": year, "site_url": settings.SITE_URL,
              "day": today}
    found = {"figures": figures(now), "changes": changes(start, end), "slipped": slipped(start, end),
             "overdue": overdue(now)}
    paths = {"figures": reverse("home"),
             "changes": f"{reverse('recommendations:changes')}?{urlencode({'start': start, 'end': end})}",
             "slipped": reverse("recommendations:slipped"),
             "overdue": f"{reverse('recommendations:list')}?overdue=on"}
    counts = {name: sum(kind.get("count", 0) for kind in found[name]) for name in ("changes", "slipped", "overdue")}
    subjects = {
        "figures": gettext("Week %(week)s of %(year)s: the headline figures") % {"week": week, "year": year},
        "changes": ngettext("Week %(week)s: %(count)s status change", "Week %(week)s: %(count)s status changes",
                            counts["changes"]) % {"week": week, "count": counts["changes"]},
        "slipped": ngettext("Week %(week)s: %(count)s due date moved later",
                            "Week %(week)s: %(count)s due dates moved later",
                            counts["slipped"]) % {"week": week, "count": counts["slipped"]},
        "overdue": ngettext("Week %(week)s: %(count)s item overdue", "Week %(week)s: %(count)s items overdue",
                            counts["overdue"]) % {"week": week, "count": counts["overdue"]},
    }
    for name in SECTIONS:
        text = render_to_string(f"notifications/email/weekly/{name}.txt",
                                {**period, "kinds": found[name], "count": counts.get(name)})
        yield name, subjects[name], text.strip(), paths[name]


def make_weekly_digest(now=None):
    """Stores this week's report for each recipient who has not had it yet; returns how many recipients."""
    now = now or timezone.now()
    key = week_key(timezone.localdate(now))
    done = Notification.objects.filter(key=f"{key}:{SECTIONS[-1]}").values("recipient")
    recipients = list(DigestRecipient.objects.receiving().exclude(user__in=done).order_by("user_id")
                      .values_list("user_id", flat=True))
    if not recipients:
        return 0
    languages, sections = languages_of(recipients), {}
    for language in sorted(set(languages.values())):  # the report's figures are read once per language
        with translation.override(language):
            sections[language] = list(section_notes(now))
    notify(Kind.WEEKLY_DIGEST, (Note(user_id, f"{key}:{name}", subject, text, path) for user_id in recipients
                                for name, subject, text, path in sections[languages[user_id]]))
    return len(recipients)
