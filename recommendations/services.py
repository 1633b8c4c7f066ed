"""Everything an update of tracked items writes, for one item or a file of thousands, in a fixed number of
statements; a new effect of an update is added here. The rules are checked before (`TrackedItem.apply_update`)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

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


@transaction.atomic
def record_updates(updates, *, by, at=None, at_precision=Precision.TIME, fields=None, created=False):
    """Write what `updates` of items of one model leave: the items (created, or their `fields` saved
    with a new version; None: not saved) and a history record of each, by `by`; a timeline entry of
    each update with `values`, by `by` at `at` (default: now) known to `at_precision`, and the item's
    latest update and note where that entry is the latest of its timeline; the links each update adds
    and removes; a new data version. Returns the timeline entry of a single update, with its id (none of many)."""
    if not updates:
        return []
    now = timezone.now()
    at = at or now
    items = [update.item for update in updates]
    model = type(items[0])
    logged = [update for update in updates if update.values is not None]
    latest = mark_latest(logged, at, at_precision)
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


def mark_latest(logged, at, at_precision):
    """Set each item's latest update and note where its new entry is the latest of its timeline (of two
    at the same moment, the later written, as the timeline shows them), and its latest public ones where
    the entry is public; returns {id of the item: the columns set}."""
    latest = defaultdict(tuple)
    for update in logged:
        item = update.item
        for columns, counts in ((LATEST, True), (LATEST_PUBLIC, update.public)):
            when = getattr(item, columns[0])
            if counts and (when is None or when <= at):
                for column, value in zip(columns, (at, update.note, at_precision)):
                    setattr(item, column, value)
                latest[id(item)] += columns
    return latest


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
