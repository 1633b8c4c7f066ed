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
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy

from recommendations.dates import shown
from recommendations.models import Action, Freshness, Status, tracked_kinds

from .compose import LISTED, languages_of
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


def day_shown(day, precision="day"):
    """A day as the pages show it (`dates.shown`) in the active language."""
    return shown_in(day, precision, translation.get_language())


@lru_cache(maxsize=8192)
def shown_in(day, precision, language):
    """`day_shown`, formatted once a run and language however many items share it."""
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


# An item's name starts with its kind, a noun of its own: capitalising the verbose name would not do in every language.
NOUNS = {
    "recommendations.recommendation": pgettext_lazy("an item's name", "Recommendation"),
    "recommendations.followupitem": pgettext_lazy("an item's name", "Follow-up item"),
    "partnerships.project": pgettext_lazy("an item's name", "Project"),
    "recommendations.action": pgettext_lazy("an item's name", "Action"),
}


def item_name(model, row):
    """ "Recommendation 2010/2.1/3: Title", "Project: Title", "Action 2010/2.1/3/a1: Title", in the active
    language (the title is the report's own, never translated)."""
    noun = str(NOUNS.get(model._meta.label_lower) or model._meta.verbose_name.capitalize())
    if row["key"] == row["title"]:
        return gettext("%(kind)s: %(title)s") % {"kind": noun, "title": row["title"]}
    if not row["title"]:
        return f"{noun} {row['key']}"
    return gettext("%(kind)s %(key)s: %(title)s") % {"kind": noun, "key": row["key"], "title": row["title"]}


def in_chunks(queryset, model, fields, order):
    """The rows of `queryset` in `order` as dicts of `fields` with their model, key, path and the day of their
    latest update in the site's time zone ("updated_on", None if never), read in chunks. Their words are built
    later, only for the items listed, in their recipient's language."""
    rows = queryset.order_by(*order).values(*FIELDS, *naming_fields(model), *fields).iterator(chunk_size=CHUNK)
    zone = timezone.get_current_timezone()  # once: asked per row, it was a tenth of a large run
    while chunk := list(islice(rows, CHUNK)):
        for row in name_rows(model, chunk):
            row["model"] = model
            row["updated_on"] = row["last_update_at"] and row["last_update_at"].astimezone(zone).date()
            yield row


# --- the words of each reminder (plain text: a subject and a few sentences), in the active language

def days(n):
    return ngettext("%(count)s day", "%(count)s days", n) % {"count": n}


def state(row):
    return gettext("Its status: %(status)s, progress %(progress)s %%.") % {
        "status": Status(row["status"]).label, "progress": row["progress"]}


def name_of(row):
    return item_name(row["model"], row)


def due_soon_words(row, today):
    left = (row["due_date"] - today).days
    when = (pgettext("due", "today") if left == 0 else pgettext("due", "tomorrow") if left == 1
            else pgettext("due", "in %(days)s") % {"days": days(left)})
    words = {"name": name_of(row), "when": when, "due": day_shown(row["due_date"], row["due_date_precision"])}
    return (gettext("Due %(when)s: %(name)s") % words,
            " ".join((gettext("%(name)s is due %(when)s (%(due)s).") % words, state(row),
                      gettext("Report on it, or move its due date with a reason."))))


def was_due(row, today):
    """The first sentence of an overdue item's words."""
    return gettext("%(name)s was due %(due)s: %(late)s ago.") % {
        "name": name_of(row), "due": day_shown(row["due_date"], row["due_date_precision"]),
        "late": days((today - row["due_date"]).days)}


def overdue_words(row, today):
    return (gettext("Overdue: %(name)s") % {"name": name_of(row)},
            " ".join((was_due(row, today), state(row),
                      gettext("Report on it: close it, or move its due date with a reason."))))


def stale_words(row, today):
    name, ask = name_of(row), gettext("Report on it: what happened, or that nothing did.")
    if row["updated_on"] is None:
        return (gettext("Never reported: %(name)s") % {"name": name},
                " ".join((gettext("Nobody has reported on %(name)s.") % {"name": name}, state(row), ask)))
    quiet = days((today - row["updated_on"]).days)
    return (gettext("No report for %(days)s: %(name)s") % {"days": quiet, "name": name},
            " ".join((gettext("The latest update of %(name)s was %(days)s ago (%(day)s).") % {
                "name": name, "days": quiet, "day": day_shown(row["updated_on"])}, state(row), ask)))


def owner_of(row):
    name = " ".join(part for part in (row["owner__first_name"], row["owner__last_name"]) if part)
    owner = f"{name} ({row['owner__username']})" if name else row["owner__username"]
    return owner if row["owner__is_active"] else gettext("%(owner)s, whose account is inactive") % {"owner": owner}


def escalation_words(row, today):
    if row["owner_id"] is None:
        ask = (gettext("It has no owner."), state(row),
               gettext("Give it an owner, or move its due date with a reason."))
    else:
        ask = (gettext("Its owner: %(owner)s.") % {"owner": owner_of(row)}, state(row),
               gettext("Ask its owner for a report, hand it over, or move its due date with a reason."))
    late = days((today - row["due_date"]).days)
    return (gettext("Overdue %(days)s: %(name)s") % {"days": late, "name": name_of(row)},
            " ".join((was_due(row, today), *ask)))


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
    """What a run tells: per (recipient id, kind), how many new items, and the first LISTED (their words are built
    by `notes`, in their recipient's language)."""

    def __init__(self, now):
        self.now, self.today = now, timezone.localdate(now)
        self.counts, self.listed, self.first = Counter(), defaultdict(list), {}

    def add(self, rule, candidates):
        """Counts the new ones of `candidates` ((recipient id, key, row)); keeps the rows of those listed."""
        for recipient, key, row in new_reminders(candidates, self.now):
            told = (recipient, rule.kind)
            self.counts[told] += 1
            self.first.setdefault(told, key)
            if len(self.listed[told]) < LISTED:
                self.listed[told].append((rule, row))

    def notes(self):
        """One note per recipient and kind, in the recipient's language (read once, for all of them), keyed by the
        run and its first item (new in the ledger: so no earlier notification has the key, even of a run at the
        same moment)."""
        languages = languages_of({recipient for recipient, _ in self.counts})
        for (recipient, kind), count in sorted(self.counts.items()):
            with translation.override(languages[recipient]):
                items = [self.words(rule, row) for rule, row in self.listed[recipient, kind]]
                if count == 1:
                    subject, text, url = items[0]["subject"], items[0]["text"], items[0]["url"]
                else:
                    subject, text, url = summary(kind, count)
            key = f"{kind}:{self.now.isoformat()}:{self.first[recipient, kind]}"
            yield kind, Note(recipient, key, subject, text, url, tuple(items), count)

    def words(self, rule, row):
        subject, text = rule.words(row, self.today)
        return {"subject": subject, "text": text, "url": row["path"]}


def summary(kind, count):
    """(subject, text, path) of a notification of `count` items of `kind` (2 or more); its page: the person's own
    items ("My items", overdue first), or for the editors the overdue recommendations (as the weekly report's)."""
    if kind == Kind.ESCALATION:
        words = {"days": days(settings.ESCALATE_AFTER_DAYS), "count": count}
        # Translators: count is 2 or more.
        return (gettext("Overdue %(days)s or more: %(count)s items") % words,
                gettext("%(count)s items are overdue by %(days)s or more. Ask their owners for a report, give them "
                        "an owner, or move their due dates with a reason.") % words,
                f"{reverse('recommendations:list')}?overdue=on")
    words = {"days": days(max(settings.REMINDER_DAYS)), "count": count}
    subject, text = {  # Translators: count is 2 or more.
        Kind.DUE_SOON: (gettext("Due soon: %(count)s of your items"),
                        gettext("%(count)s of your items are due within %(days)s. Report on them, or move their due "
                                "dates with a reason.")),
        Kind.OVERDUE: (gettext("Overdue: %(count)s of your items"),
                       gettext("%(count)s of your items are overdue. Report on them: close them, or move their due "
                               "dates with a reason.")),
        Kind.STALE: (gettext("No recent report: %(count)s of your items"),
                     gettext("%(count)s of your items have no recent report. Report on them: what happened, or that "
                             "nothing did.")),
    }[kind]
    return subject % words, text % words, reverse("my_items")


def make_reminders(now=None):
    """Tells every reminder and escalation due at `now` not told before: one notification per person and kind of
    what is new in the ledger, in one transaction with the ledger's rows. Returns how many notifications."""
    now = now or timezone.now()
    session_path.cache_clear()  # a session renamed since the last run (a long-lived process: the tests)
    shown_in.cache_clear()
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
