"""Reminders (issue #21, `manage.py send_reminders`): the notifications a run makes about the open items with an
owner, of every kind (recommendations, follow-up items, PfP projects, actions):

- due soon: due within one of REMINDER_DAYS (30 and 7 days; today counts as within 7): to the owner, once per
  window and due date (the key holds the due date: a moved due date reminds again);
- overdue: due before today: to the owner, once per due date;
- stale: stale or inactive by its meeting's thresholds (`FollowUpQuerySet.freshness_q`): to the owner, once per
  latest update (a report, then silence again, reminds again);
- escalation: overdue by ESCALATE_AFTER_DAYS days or more: to every active editor (who may change that kind of
  item), naming the item and its owner, or saying it has none, once per item and due date.

An owner is reminded while active and in a role that reads the item; an inactive owner's items still escalate.
A note says the item's key, title, status, progress, due date and latest update day (and its owner, to editors):
nothing of its timeline's notes, so nothing internal reaches anyone.

Set-based: per kind of item and rule, one query over the matching rows (`values`, iterated in chunks), the words of
each chunk built in Python (an action's item: one query per chunk and kind of item), stored by `services.notify`
in batches: memory stays flat, and a second run makes nothing (the keys)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from recommendations.dates import shown
from recommendations.models import Action, Freshness, Status, tracked_kinds

from .models import Kind
from .services import Note, notify

CHUNK = 2000
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
FIELDS = ("pk", "owner_id", "status", "progress", "due_date", "due_date_precision", "last_update_at", "title")
OWNER_FIELDS = ("owner__username", "owner__first_name", "owner__last_name", "owner__is_active")


def item_kinds():
    """Every kind of tracked item: those the report names (`tracked_kinds`), then actions."""
    return [*tracked_kinds().values(), Action]


# --- an item's key, name and address from its row: no query but an action's item's (one per chunk)

def naming_fields(model):
    if model is Action:
        return ("parent_type_id", "parent_id", "number")
    if getattr(model, "url_name", None):  # numbered within a session: its page's address is its natural key
        return ("session__meeting__year", "session__code", "number")
    return ()


def name_rows(model, rows):
    """Sets "key" (the item's natural key as the site writes it: 2010/2.1/3, a project's title, 2010/2.1/3/a1) and
    "path" (its page) of each row (dicts of `naming_fields` and pk, title). Returns the rows."""
    if model is Action:
        parents = parent_names(rows)
        for row in rows:
            key, path = parents[row["parent_type_id"], row["parent_id"]]
            row["key"], row["path"] = f"{key}/a{row['number']}", f"{path}actions/a{row['number']}/"
    elif naming_fields(model):
        for row in rows:
            year, code, number = row["session__meeting__year"], row["session__code"], row["number"]
            row["key"] = f"{year}/{code}/{number}"
            row["path"] = f"{session_path(model.url_name, year, code)}{number}/"
    else:
        for row in rows:  # a project: its title names it, its id is its address
            row["key"], row["path"] = row["title"], model(pk=row["pk"]).get_absolute_url()
    return rows


@lru_cache(maxsize=1024)
def session_path(url_name, year, code):
    """The address of a session's items without their number (reversed once a session, not once an item: the
    number is the address's last part)."""
    return reverse(f"recommendations:{url_name}", args=(year, code, 0)).removesuffix("0/")


@lru_cache(maxsize=8192)
def day_shown(day, precision="day"):
    """A day as the pages show it (`dates.shown`), formatted once a run however many items share it."""
    return shown(day, precision)


def parent_names(rows):
    """{(content type id, id): (key, path)} of the items of these actions' rows: one query per kind of item."""
    wanted = defaultdict(set)
    for row in rows:
        wanted[row["parent_type_id"]].add(row["parent_id"])
    found = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        parents = model.objects.filter(pk__in=ids).values("pk", "title", *naming_fields(model))
        found.update({(type_id, p["pk"]): (p["key"], p["path"]) for p in name_rows(model, list(parents))})
    return found


def item_name(model, row):
    """ "Recommendation 2010/2.1/3: Title", "Project: Title", "Action 2010/2.1/3/a1: Title"."""
    noun = model._meta.verbose_name.capitalize()
    if row["key"] == row["title"]:
        return f"{noun}: {row['title']}"
    return f"{noun} {row['key']}: {row['title']}" if row["title"] else f"{noun} {row['key']}"


def in_chunks(queryset, model, fields):
    """The rows of `queryset` as dicts of `fields` with their key, name, path and the day of their latest update
    in the site's time zone ("updated_on", None if never), read in chunks."""
    rows = queryset.order_by().values(*FIELDS, *naming_fields(model), *fields).iterator(chunk_size=CHUNK)
    zone = timezone.get_current_timezone()  # once: asked per row, it was a tenth of a large run
    while chunk := list(islice(rows, CHUNK)):
        for row in name_rows(model, chunk):
            row["name"] = item_name(model, row)
            row["updated_on"] = row["last_update_at"] and row["last_update_at"].astimezone(zone).date()
            yield row


# --- the words of each reminder (plain text: a subject and a few sentences)

def days(n):
    return f"{n} day" if n == 1 else f"{n} days"


def state(row):
    return f"Its status: {Status(row['status']).label}, progress {row['progress']} %."


def due_soon_words(row, today):
    left = (row["due_date"] - today).days
    when = "today" if left == 0 else "tomorrow" if left == 1 else f"in {days(left)}"
    due = day_shown(row["due_date"], row["due_date_precision"])
    return (f"Due {when}: {row['name']}",
            f"{row['name']} is due {when} ({due}). {state(row)} Report on it, or move its due date with a reason.")


def overdue_words(row, today):
    late = (today - row["due_date"]).days
    due = day_shown(row["due_date"], row["due_date_precision"])
    return (f"Overdue: {row['name']}",
            f"{row['name']} was due {due}: {days(late)} ago. {state(row)} Report on it: close it, or move its due "
            "date with a reason.")


def stale_words(row, today):
    if row["updated_on"] is None:
        return (f"Never reported: {row['name']}",
                f"Nobody has reported on {row['name']}. {state(row)} Report on it: what happened, or that nothing did.")
    quiet = (today - row["updated_on"]).days
    return (f"No report for {days(quiet)}: {row['name']}",
            f"The latest update of {row['name']} was {days(quiet)} ago "
            f"({day_shown(row['updated_on'])}). {state(row)} Report on it: what happened, "
            "or that nothing did.")


def owner_of(row):
    name = " ".join(part for part in (row["owner__first_name"], row["owner__last_name"]) if part)
    owner = f"{name} ({row['owner__username']})" if name else row["owner__username"]
    return owner if row["owner__is_active"] else f"{owner}, whose account is inactive"


def escalation_words(row, today):
    late = (today - row["due_date"]).days
    due = day_shown(row["due_date"], row["due_date_precision"])
    if row["owner_id"] is None:
        ask = f"It has no owner. {state(row)} Give it an owner, or move its due date with a reason."
    else:
        ask = (f"Its owner: {owner_of(row)}. {state(row)} Ask its owner for a report, hand it over, or move its due "
               "date with a reason.")
    return f"Overdue {days(late)}: {row['name']}", f"{row['name']} was due {due}: {days(late)} ago. {ask}"


def due_day(row):
    return row["due_date"].isoformat()


def update_day(row):
    return row["updated_on"].isoformat() if row["updated_on"] else "never"


# --- the rules: which items, whom, once per what

@dataclass(frozen=True)
class Rule:
    kind: str  # of notification (models.Kind)
    prefix: str  # the key's start: "due_soon:7", "overdue", …
    condition: Q
    words: object  # (row, today) -> (subject, text)
    once_per: object  # row -> the key's last part (the due date, the latest update's day)


def owner_rules(model, now):
    """The rules whose notes go to an item's owner."""
    today, thresholds = timezone.localdate(now), model.objects.thresholds()
    rules, nearest = [], 0
    for window in settings.REMINDER_DAYS:  # ascending: an item is in the nearest window it falls in
        span = (today + datetime.timedelta(days=nearest), today + datetime.timedelta(days=window))
        rules.append(Rule(Kind.DUE_SOON, f"due_soon:{window}", Q(due_date__range=span), due_soon_words, due_day))
        nearest = window + 1
    stale = (model.objects.freshness_q(Freshness.STALE, now, thresholds)
             | model.objects.freshness_q(Freshness.INACTIVE, now, thresholds))
    return [*rules, Rule(Kind.OVERDUE, "overdue", Q(due_date__lt=today), overdue_words, due_day),
            Rule(Kind.STALE, "stale", stale, stale_words, update_day)]


def escalation_rule(now):
    since = timezone.localdate(now) - datetime.timedelta(days=settings.ESCALATE_AFTER_DAYS)
    return Rule(Kind.ESCALATION, "escalation", Q(due_date__lte=since), escalation_words, due_day)


def permission(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def notes_to_owners(model, rule, now):
    """A note per open item of `model` under `rule`, to its owner if active and reading such items."""
    readers = get_user_model().objects.with_perm(permission(model, "view"), backend=MODEL_BACKEND)
    items = model.objects.open().filter(rule.condition, owner__in=readers.values("pk"))
    today, label = timezone.localdate(now), model._meta.model_name
    for row in in_chunks(items, model, ()):
        subject, text = rule.words(row, today)
        yield Note(row["owner_id"], f"{rule.prefix}:{label}:{row['pk']}:{rule.once_per(row)}", subject, text,
                   row["path"])


def notes_to_editors(model, rule, now):
    """A note per open item of `model` under `rule`, owned or not, to each active editor of such items."""
    editors = list(get_user_model().objects.with_perm(permission(model, "change"), backend=MODEL_BACKEND)
                   .order_by("pk").values_list("pk", flat=True))
    if not editors:
        return
    items = model.objects.open().filter(rule.condition)
    today, label = timezone.localdate(now), model._meta.model_name
    for row in in_chunks(items, model, OWNER_FIELDS):
        subject, text = rule.words(row, today)
        key = f"{rule.prefix}:{label}:{row['pk']}:{rule.once_per(row)}"
        for editor in editors:
            yield Note(editor, key, subject, text, row["path"])


def make_reminders(now=None):
    """Stores every reminder and escalation due at `now` that was not made before (`notify` skips a key made)."""
    now = now or timezone.now()
    session_path.cache_clear()  # a session renamed since the last run (a long-lived process: the tests)
    day_shown.cache_clear()
    for model in item_kinds():
        for rule in owner_rules(model, now):
            notify(rule.kind, notes_to_owners(model, rule, now))
        notify(Kind.ESCALATION, notes_to_editors(model, escalation_rule(now), now))
