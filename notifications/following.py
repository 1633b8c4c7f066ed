"""Following (issue #21): what an update of tracked items tells their followers, and the owners who follow their
items. Both are effects of an update, called by `recommendations.services.record_updates` (the one write path)
for a batch of updates of one model, in a fixed number of statements whatever its size (an import of 10,000 rows):

- `follow_owners`: whoever an update makes an item's owner follows it (one INSERT … ON CONFLICT DO NOTHING).
- `notify_followers`: a notification (kind item_changed) of each logged update to the followers of its item, of
  the item's responsible actors and of its themes, once each and never to the update's author, keyed by its
  timeline entry (a second run makes none). The note, and the owner's name, reach only those who may read
  internal notes (`readers_among`: active, with the view permission of the timeline's kind); the others read what
  the public reads (a public note of a published item, the changes but the owner), and nothing of an item the
  public does not see (unpublished, or an action under an unpublished item).

Saved views are not followed here, per update, but when notifications are made: `saved_views.saved_view_notes`."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .compose import languages_of
from .models import Follow, Kind
from .services import Note, notify

# An item's links whose followers hear of its changes too.
FOLLOWED_LINKS = ("responsible_actors", "themes")


def follow_owners(model, updates, *, created=False):
    """The owner each update sets (an update that changes it, the opening entry of an owned item, an item created
    with its owner) follows the item."""
    pairs = {(update.item.owner_id, update.item.pk) for update in updates
             if update.item.owner_id and (created or "owner_after" in (update.values or {}))}
    if not pairs:
        return
    content_type = content_types(model)[model]
    Follow.objects.bulk_create([Follow(user_id=user_id, target_type=content_type, target_id=item_id)
                                for user_id, item_id in pairs], ignore_conflicts=True)


def notify_followers(model, logged, entries, *, by, at):
    """A notification of each of the `logged` updates (`services.Update`s with values, whose timeline entries were
    written by `by` at `at`; `entries`: the entry of a single update) to its item's followers (`followers_of`)."""
    if not logged:
        return
    followers = followers_of(model, {update.item.pk for update in logged}, by)
    if not followers:
        return
    entry_model = model._meta.get_field("updates").related_model
    entry_ids = entry_ids_of(entry_model, logged, entries, by, at)
    everyone = set().union(*followers.values())
    readers = readers_among(entry_model, everyone)
    public = public_among(model, followers) if everyone - readers else set()
    items = with_addresses(model, followers)
    told = Told(followers, readers, public, languages_of(everyone))
    notify(Kind.ITEM_CHANGED, notes(entry_model, zip(logged, entry_ids), items, told))


def followers_of(model, item_ids, by):
    """{item id: {user ids}}: the active followers of each item, of its responsible actors and of its themes, but
    `by`. Three queries: the links to followed actors, to followed themes, and the follows."""
    types = content_types(model)
    item_type = types[model]
    wanted = Q(target_type=item_type, target_id__in=item_ids)
    links = {}  # {content type id: {target id: {item ids}}}
    for name in FOLLOWED_LINKS:
        target_type = types[model._meta.get_field(name).related_model]
        links[target_type.pk] = followed_links(model, name, target_type, item_ids)
        if links[target_type.pk]:
            wanted |= Q(target_type=target_type, target_id__in=list(links[target_type.pk]))
    follows = Follow.objects.filter(wanted, user__is_active=True)
    if by is not None:
        follows = follows.exclude(user=by)
    followers = defaultdict(set)
    for user_id, type_id, target_id in follows.values_list("user_id", "target_type_id", "target_id"):
        for item_id in ([target_id] if type_id == item_type.pk else links[type_id][target_id]):
            followers[item_id].add(user_id)
    return followers


def content_types(model):
    """{model: content type} of `model` and of its followed links' models: one query the first time, then cached."""
    return ContentType.objects.get_for_models(
        model, *(model._meta.get_field(name).related_model for name in FOLLOWED_LINKS))


def followed_links(model, name, target_type, item_ids):
    """{target id: {item ids}} of the items' links by the many-to-many field `name` to targets someone follows."""
    field = model._meta.get_field(name)
    item_column, target_column = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    followed = Follow.objects.filter(target_type=target_type).values("target_id")
    rows = field.remote_field.through.objects.filter(**{f"{item_column}__in": item_ids,
                                                        f"{target_column}__in": followed})
    links = defaultdict(set)
    for item_id, target_id in rows.values_list(item_column, target_column):
        links[target_id].add(item_id)
    return links


def entry_ids_of(entry_model, logged, entries, by, at):
    """The id of each logged update's timeline entry (None: not found). Many entries are written without reading
    their ids back (`log_updates`): they are the newest by `by` at `at`, read in one query."""
    if entries:
        return [entry.pk for entry in entries]
    newest = (entry_model.objects.filter(created_at=at, author=by).order_by("-pk")
              .values_list("pk", "item_id")[:len(logged)])
    by_item = defaultdict(list)
    for entry_id, item_id in sorted(newest):  # in the order written: an item's second update, its second entry
        by_item[item_id].append(entry_id)
    return [by_item[update.item.pk].pop(0) if by_item[update.item.pk] else None for update in logged]


def readers_among(entry_model, user_ids):
    """Those of `user_ids` who may read internal notes of this kind of timeline: active, and given its view
    permission (by a role or directly), or superusers."""
    permission = f"{entry_model._meta.app_label}.view_{entry_model._meta.model_name}"
    users = get_user_model().objects.with_perm(permission, backend="django.contrib.auth.backends.ModelBackend")
    return set(users.filter(pk__in=user_ids).values_list("pk", flat=True))


def public_among(model, item_ids):
    """Those of `item_ids` the public sees (an action: published, under a published item): the only ones whose
    changes reach followers who may not read internal notes."""
    return set(model.objects.visible_to(AnonymousUser()).filter(pk__in=list(item_ids)).values_list("pk", flat=True))


def addressed(model):
    """The items of `model` with what their names and addresses need (an action's item, a recommendation's
    session and meeting)."""
    if hasattr(model.objects, "with_parents"):
        return model.objects.with_parents()
    return model.lineage_queryset() if hasattr(model, "lineage_queryset") else model.objects.all()


def with_addresses(model, item_ids):
    """{id: item}, `addressed`."""
    return addressed(model).in_bulk(list(item_ids))


@dataclass(frozen=True)
class Told:
    """Who hears of each item's updates: `followers` ({item id: {user ids}}), those of them who may read internal
    notes (`readers`), the items the public sees (`public`), and everyone's language ({user id: language})."""

    followers: dict
    readers: set
    public: set
    languages: dict


def notes(entry_model, updates, items, told):
    """A `Note` per follower of each update: its words in the follower's language and as that follower may read
    them (written once per update and language for readers of internal notes, once for the others, and for them
    only of an item the public sees)."""
    for update, entry_id in updates:
        item = items.get(update.item.pk)
        if entry_id is None or item is None:
            continue
        entry = entry_model(pk=entry_id, item=item, note=update.note, is_public=update.public, **update.values)
        key = f"{Kind.ITEM_CHANGED}:{entry_model._meta.label_lower}:{entry_id}"
        words = {}
        for recipient in sorted(told.followers[update.item.pk]):
            reader = recipient in told.readers
            if not reader and update.item.pk not in told.public:
                continue
            language = told.languages[recipient]
            if (reader, language) not in words:
                with translation.override(language):
                    words[reader, language] = (gettext("Changed: %(item)s") % {"item": item})[:200], change_text(
                        entry, item, reader)
            subject, text = words[reader, language]
            yield Note(recipient, key, subject, text, item.get_absolute_url())


def change_text(entry, item, reader):
    """What changed in words, and the note where the recipient may read it (`reader`: internal notes too)."""
    note_is_public = entry.is_public and item.is_public
    return render_to_string("notifications/following/item_changed.txt", {
        "changes": entry.changes(public=not reader), "closure_step": entry.closure_step,
        "note": entry.note if reader or note_is_public else "", "note_withheld": not (reader or note_is_public),
    }).strip()
