"""Everything an update of tracked items writes, for one item or a file of thousands, in a fixed number of
statements; a new effect of an update is added here. The rules are checked before (`TrackedItem.apply_update`)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from notifications import following

from . import db, versioning
from .dates import Precision


@dataclass
class Update:
    """One item's update, checked and set on the item (unsaved)."""

    item: object
    note: str = ""
    values: dict | None = None  # the timeline entry's before/after values; None: no entry (an edit of links, a title)
    evidence_url: str = ""
    links: dict = field(default_factory=dict)  # {many-to-many field name: (ids before, ids after)}
    public: bool = False  # the timeline entry is shown to the public (internal by default)
    opening: bool = False  # the entry that opens the item's timeline (`start_timeline`): not a report
    evidence_file: object = None  # an uploaded file of evidence, stored with the entry
    closure_reason: str = ""  # why an item is not pursued (`ClosureReason`)


@transaction.atomic
def record_updates(updates, *, by, at=None, at_precision=Precision.TIME, fields=None, created=False):
    """Write what `updates` of items of one model leave: the items (created, or their `fields` saved
    with a new version; None: not saved) and a history record of each, by `by`; a timeline entry of
    each update with `values`, by `by` at `at` (default: now) known to `at_precision`, and the item's
    latest update and note where that entry is the latest of its timeline; the links each update adds
    and removes; the roll-up of the parents of actions written; a new data version. An entry written with the
    item it opens (`created`) is its opening entry, not a report. Whoever an update makes an item's owner
    follows it, and each entry reaches the followers of its item, actors and themes (notifications.following).
    Returns the timeline entry of a single update, with its id (none of many)."""
    if not updates:
        return []
    now = timezone.now()
    at = at or now
    items = [update.item for update in updates]
    model = type(items[0])
    logged = [update for update in updates if update.values is not None]
    latest = mark_latest(logged, at, at_precision, created)
    if created:
        create(model, items)
    else:
        save(model, items, fields, now, latest)
    if created or fields is not None:
        # Copied from the rows by the database: simple-history's `bulk_history_create` builds each
        # record in Python and sends it back, 2.5 s instead of 0.3 s for 10,000 (medium data).
        db.history(model, [item.pk for item in items], update=not created, user=by, date=now)
    entries = model._meta.get_field("updates").related_model.objects.log_updates(logged, by=by, at=at,
                                                                                 at_precision=at_precision)
    relink(model, updates)
    following.follow_owners(model, updates, created=created)
    following.notify_followers(model, logged, entries, by=by, at=at)
    if model._meta.label_lower == "recommendations.action":
        refresh_parents(items)
    versioning.bump()
    return entries


def refusal_reason(error):
    """What a refused update (ValidationError, PermissionDenied) says, as one line for a person."""
    return " ".join(getattr(error, "messages", None) or [str(error)])


def update_each(items, *, by, note, **changes):
    """The same update of each item (a bulk action), each by its own `record_update` and rules, in one
    transaction: one refusal cancels them all. Returns the refusals, [(item, reason)]; none: all applied."""
    refused = []
    with transaction.atomic():
        for item in items:
            try:
                item.record_update(by=by, note=note, **changes)
            except (ValidationError, PermissionDenied) as error:
                refused.append((item, refusal_reason(error)))
        if refused:
            transaction.set_rollback(True)
    return refused


# The columns of an item's latest update: when, what was said, and how precisely the time is known.
LATEST = ("last_update_at", "last_note", "last_update_precision")
LATEST_PUBLIC = ("last_public_update_at", "last_public_note", "last_public_update_precision")
LATEST_REPORT = ("last_report_at",)


def mark_latest(logged, at, at_precision, created=False):
    """Set each item's latest update and note where its new entry is the latest of its timeline (of two
    at the same moment, the later written, as the timeline shows them), its latest public ones where
    the entry is public, and its latest report where the entry is a report (`is_report`); returns {id of
    the item: the columns set}."""
    latest = defaultdict(tuple)
    for update in logged:
        item = update.item
        report = not created and is_report(update)
        for columns, counts in ((LATEST, True), (LATEST_PUBLIC, update.public), (LATEST_REPORT, report)):
            when = getattr(item, columns[0])
            if counts and (when is None or when <= at):
                for column, value in zip(columns, (at, update.note, at_precision)):
                    setattr(item, column, value)
                latest[id(item)] += columns
    return latest


def is_report(update):
    """Whether an update's entry reports on the item: not the entry that opened it, nor one that only says who
    owns it (taking an item, handing it over): those say nothing of how the follow-up stands."""
    changed = {key.removesuffix("_after") for key in update.values if key.endswith("_after")}
    return not update.opening and changed != {"owner"}


def create(model, items):
    model.objects.bulk_create(items)
    if hasattr(model.objects, "renumber"):  # the report order of recommendations
        model.objects.filter(pk__in=[item.pk for item in items]).renumber()


def save(model, items, fields, now, latest):
    """Each item's `fields` with a new version, and its latest update and note (public ones too) where
    this update wrote them: one statement per set of columns."""
    groups = defaultdict(list)
    for item in items:
        columns = ()
        if fields is not None:
            item.version += 1  # an open edit form of this item is now out of date
            item.updated_at = now
            columns = (*fields, "version", "updated_at")
        columns += latest.get(id(item), ())
        if columns:
            groups[columns].append(item)
    for columns, group in groups.items():
        db.bulk_update(model, group, list(columns))


def relink(model, updates):
    """The links added and removed, one statement each way per many-to-many field."""
    for name in {name for update in updates for name in update.links}:
        relation = model._meta.get_field(name)
        added, removed = [], []
        for update in updates:
            before, after = update.links.get(name, (set(), set()))
            added += [(update.item.pk, pk) for pk in after - before]
            removed += [(update.item.pk, pk) for pk in before - after]
        db.relink(relation.remote_field.through, f"{relation.m2m_field_name()}_id",
                    f"{relation.m2m_reverse_field_name()}_id", added, removed)


# --- what the public sees: publishing timeline entries and items (editors, in the admin)


@transaction.atomic
def set_entries_public(entries, *, public, by):
    """Publish (`public`) or unpublish timeline entries of one kind: each change is a record of the entry's
    change history, by `by`, never a change of its text; each item's latest public note is read again from
    its timeline (`refresh_latest_public`). Returns the entries changed."""
    changed = [entry for entry in entries if entry.is_public != public]
    for entry in changed:
        entry.is_public = public
        entry._history_user = by
        entry._change_reason = "Published: shown to the public." if public else "Unpublished: internal again."
        entry.save(update_fields=["is_public"])
    if changed:
        refresh_latest_public(type(changed[0]).item.field.related_model, {entry.item_id for entry in changed})
        versioning.bump()
    return changed


def refresh_latest_public(model, pks):
    """The latest public update and note of the items `pks`, read from their timelines (after an entry was
    published or unpublished): one statement."""
    latest = model._meta.get_field("updates").related_model.objects.filter(
        item=OuterRef("pk"), is_public=True).order_by("-created_at", "-pk")
    model.objects.filter(pk__in=pks).update(
        last_public_update_at=Subquery(latest.values("created_at")[:1]),
        last_public_update_precision=Coalesce(Subquery(latest.values("created_at_precision")[:1]),
                                              Value(Precision.TIME.value)),
        last_public_note=Coalesce(Subquery(latest.values("note")[:1]), Value("")))


def set_items_public(items, *, public, by):
    """Publish or unpublish whole items (of one model): saved through `record_updates` (a new version, a
    change history record each, a new data version); no timeline entry, since nothing of the follow-up
    changed. Returns the items changed."""
    changed = [item for item in items if item.is_public != public]
    for item in changed:
        item.is_public = public
    record_updates([Update(item) for item in changed], by=by, fields=["is_public"])
    return changed


# --- actions under an item (models/actions.py) and their roll-up


def refresh_parents(actions):
    """The roll-up of the items these actions are under, one statement per kind of parent."""
    parents = defaultdict(set)
    for action in actions:
        parents[action.parent_type_id].add(action.parent_id)
    for type_id, ids in parents.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        # The items locked first, in one order: two people reporting at once on actions of one item write its
        # roll-up one after the other, each from the other's committed report.
        list(model.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk").values_list("pk"))
        refresh_rollups(model, ids)


def refresh_rollups(parent_model, parent_ids):
    """The kept roll-up of the items `parent_ids` of `parent_model`, read from their published actions in one
    UPDATE (an unpublished action is a draft: it counts for nobody, and the public may not learn of it): how many
    actions, how many reported, and the weighted progress of the reported ones, rounded half up
    (NULL when none is reported: unknown, never 0). Rounded by integer arithmetic in the database,
    floor((2·Σ weight×progress + Σ weight) / (2·Σ weight)), the same on every database."""
    action_model = apps.get_model("recommendations", "Action")
    actions = action_model.objects.filter(
        parent_type=ContentType.objects.get_for_model(parent_model), parent_id=OuterRef("pk"), is_public=True,
    ).order_by().values("parent_id")
    reported = actions.filter(last_report_at__isnull=False)
    weighted, weights = Sum(F("weight") * F("progress")), Sum("weight")
    rounded = ExpressionWrapper((2 * weighted + weights) / (2 * weights), output_field=IntegerField())
    parent_model.objects.filter(pk__in=list(parent_ids)).update(
        actions_count=Coalesce(Subquery(actions.annotate(n=Count("pk")).values("n")), 0),
        actions_reported=Coalesce(Subquery(reported.annotate(n=Count("pk")).values("n")), 0),
        actions_progress=Subquery(reported.annotate(p=rounded).values("p")),
    )


@transaction.atomic
def add_action(parent, *, by, title, description="", weight=1, owner=None, due_date=None, responsible_actors=(),
               note=""):
    """A new action under `parent` (a recommendation, a follow-up item or a project), by anyone who may log
    updates on it: numbered next among its actions, under the parent's lock; owned by `owner`, or by `by`
    where `by` may own it; its timeline opened ("Action added: …", with `note`), the parent's roll-up
    refreshed. Returns the action."""
    action_model = apps.get_model("recommendations", "Action")
    if not parent.can_log_update(by):
        raise PermissionDenied(gettext("You may read this item but not add actions to it."))
    type(parent).objects.select_for_update().filter(pk=parent.pk).exists()
    action = action_model(parent=parent, number=action_model.next_number(parent), title=(title or "").strip(),
                          description=description, weight=weight, due_date=due_date, meeting=parent.get_meeting())
    if owner is None and action.can_own(by):
        owner = by
    action.owner = owner
    action.check_owner(owner)
    action.full_clean(exclude=["responsible_actors", "themes"])
    actors = {actor.pk for actor in responsible_actors}
    record_updates([Update(action, links={"responsible_actors": (set(), actors)})], by=by, created=True)
    opening = f"Action added: {action.title}." + (f" {note.strip()}" if (note or "").strip() else "")
    action.start_timeline(note=opening, by=by)
    return action


@transaction.atomic
def delete_actions(actions, *, by):
    """Delete actions (with their timelines), by an editor; each deletion is a change history record by `by`,
    and their parents' roll-up is refreshed. Returns how many were deleted."""
    actions = list(actions)
    if actions and not by.has_perm("recommendations.delete_action"):
        raise PermissionDenied(gettext("Only an editor can delete actions."))
    for action in actions:
        action._history_user = by
        action.delete()
    refresh_parents(actions)
    if actions:
        versioning.bump()
    return len(actions)
