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

Each item reminded is a row of the ledger (`Reminder`, keyed as "overdue:recommendation:45:2026-06-01"), written
by `services.new_reminders`, which says which are new: only those are told. A run tells each person ONE
notification per kind (due soon, overdue, stale, escalation) of its new items: how many, and the words of the first
LISTED (most urgent first within each kind of item), e.g. "Overdue: 120 of your items"; one item alone is told in
its own words. All of it is one transaction: a crash tells and records nothing, a second run nothing new.

Set-based: per kind of item and rule, one query over the matching rows (`values`, iterated in chunks), the ledger
written in batches (PostgreSQL: one INSERT … RETURNING a batch), the words built only for the items listed: memory
stays flat however many items."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from recommendations.dates import shown
from recommendations.models import Action, Freshness, Status, tracked_kinds

from .compose import LISTED
from .models import Kind
from .services import Note, new_reminders, notify

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


def in_chunks(queryset, model, fields, order):
    """The rows of `queryset` in `order` as dicts of `fields` with their key, name, path and the day of their latest
    update in the site's time zone ("updated_on", None if never), read in chunks."""
    rows = queryset.order_by(*order).values(*FIELDS, *naming_fields(model), *fields).iterator(chunk_size=CHUNK)
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
    order: tuple  # the most urgent first: a notification lists the first LISTED


BY_DUE_DATE, BY_LATEST_UPDATE = ("due_date", "pk"), (F("last_update_at").asc(nulls_first=True), "pk")


def owner_rules(model, now):
    """The rules whose notes go to an item's owner."""
    today, thresholds = timezone.localdate(now), model.objects.thresholds()
    rules, nearest = [], 0
    for window in settings.REMINDER_DAYS:  # ascending: an item is in the nearest window it falls in
        span = (today + datetime.timedelta(days=nearest), today + datetime.timedelta(days=window))
        rules.append(Rule(Kind.DUE_SOON, f"due_soon:{window}", Q(due_date__range=span), due_soon_words, due_day,
                          BY_DUE_DATE))
        nearest = window + 1
    stale = (model.objects.freshness_q(Freshness.STALE, now, thresholds)
             | model.objects.freshness_q(Freshness.INACTIVE, now, thresholds))
    return [*rules, Rule(Kind.OVERDUE, "overdue", Q(due_date__lt=today), overdue_words, due_day, BY_DUE_DATE),
            Rule(Kind.STALE, "stale", stale, stale_words, update_day, BY_LATEST_UPDATE)]


def escalation_rule(now):
    since = timezone.localdate(now) - datetime.timedelta(days=settings.ESCALATE_AFTER_DAYS)
    return Rule(Kind.ESCALATION, "escalation", Q(due_date__lte=since), escalation_words, due_day, BY_DUE_DATE)


def permission(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def to_owners(model, rule, now):
    """(owner id, key, row) of each open item of `model` under `rule` whose owner is active and reads such items."""
    readers = get_user_model().objects.with_perm(permission(model, "view"), backend=MODEL_BACKEND)
    items = model.objects.open().filter(rule.condition, owner__in=readers.values("pk"))
    label = model._meta.model_name
    for row in in_chunks(items, model, (), rule.order):
        yield row["owner_id"], f"{rule.prefix}:{label}:{row['pk']}:{rule.once_per(row)}", row


def to_editors(model, rule, now):
    """(editor id, key, row) of each open item of `model` under `rule`, owned or not, for each active editor of such
    items."""
    editors = list(get_user_model().objects.with_perm(permission(model, "change"), backend=MODEL_BACKEND)
                   .order_by("pk").values_list("pk", flat=True))
    if not editors:
        return
    items = model.objects.open().filter(rule.condition)
    label = model._meta.model_name
    for row in in_chunks(items, model, OWNER_FIELDS, rule.order):
        key = f"{rule.prefix}:{label}:{row['pk']}:{rule.once_per(row)}"
        for editor in editors:
            yield editor, key, row


# --- one notification per person and kind a run

class Told:
    """What a run tells: per (recipient id, kind), how many new items, and the words of the first LISTED."""

    def __init__(self, now):
        self.now, self.today = now, timezone.localdate(now)
        self.counts, self.listed, self.first = Counter(), defaultdict(list), {}

    def add(self, rule, candidates):
        """Counts the new ones of `candidates` ((recipient id, key, row)); words only for those listed."""
        for recipient, key, row in new_reminders(candidates, self.now):
            told = (recipient, rule.kind)
            self.counts[told] += 1
            self.first.setdefault(told, key)
            if len(self.listed[told]) < LISTED:
                subject, text = rule.words(row, self.today)
                self.listed[told].append({"subject": subject, "text": text, "url": row["path"]})

    def notes(self):
        """One note per recipient and kind, keyed by the run and its first item (new in the ledger: so no earlier
        notification has the key, even of a run at the same moment)."""
        for (recipient, kind), count in sorted(self.counts.items()):
            items = self.listed[recipient, kind]
            if count == 1:
                subject, text, url = items[0]["subject"], items[0]["text"], items[0]["url"]
            else:
                subject, text, url = summary(kind, count)
            key = f"{kind}:{self.now.isoformat()}:{self.first[recipient, kind]}"
            yield kind, Note(recipient, key, subject, text, url, tuple(items), count)


def summary(kind, count):
    """(subject, text, path) of a notification of `count` items of `kind`; its page: the person's own items
    ("My items", overdue first), or for the editors the overdue recommendations (as the weekly report's)."""
    if kind == Kind.ESCALATION:
        late = settings.ESCALATE_AFTER_DAYS
        return (f"Overdue {days(late)} or more: {count} items",
                f"{count} items are overdue by {days(late)} or more. Ask their owners for a report, give them an "
                "owner, or move their due dates with a reason.", f"{reverse('recommendations:list')}?overdue=on")
    subject, text = {
        Kind.DUE_SOON: ("Due soon", f"are due within {days(max(settings.REMINDER_DAYS))}. Report on them, or move "
                                    "their due dates with a reason."),
        Kind.OVERDUE: ("Overdue", "are overdue. Report on them: close them, or move their due dates with a reason."),
        Kind.STALE: ("No recent report", "have no recent report. Report on them: what happened, or that nothing "
                                         "did."),
    }[kind]
    return f"{subject}: {count} of your items", f"{count} of your items {text}", reverse("my_items")


def make_reminders(now=None):
    """Tells every reminder and escalation due at `now` not told before: one notification per person and kind of
    what is new in the ledger, in one transaction with the ledger's rows. Returns how many notifications."""
    now = now or timezone.now()
    session_path.cache_clear()  # a session renamed since the last run (a long-lived process: the tests)
    day_shown.cache_clear()
    told, escalation = Told(now), escalation_rule(now)
    with transaction.atomic():
        for model in item_kinds():
            for rule in owner_rules(model, now):
                told.add(rule, to_owners(model, rule, now))
            told.add(escalation, to_editors(model, escalation, now))
        notes = defaultdict(list)
        for kind, note in told.notes():
            notes[kind].append(note)
        for kind, of_kind in notes.items():
            notify(kind, of_kind)
    return sum(map(len, notes.values()))
