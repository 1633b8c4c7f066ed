"""Reads across models: the text search of tracked items (the database's part is in `recommendations.db`)."""

import re
from array import array
from dataclasses import dataclass

from django.db.models import QuerySet

from gfmd_tracker.content import reader_language

from . import db, versioning

SEARCH_ID_LIST_LIMIT = 100_000  # ids kept per search, 8 bytes each (array of int64)
TOO_MANY = False  # cached instead of the ids of a search that matches more than that


@dataclass(frozen=True)
class TextSearch:
    """The items a text search found."""

    items: QuerySet  # the queryset searched, narrowed to the matches, as best paged
    ids: array | None = None  # the matches' ids in the list's default order, if listed: the list pages by slicing them
    whole: QuerySet | None = None  # too many to list: the matches as one set, to count, export, aggregate at once

    @property
    def broad(self):
        return self.whole is not None


def search_items(queryset, text, public=False, language=None):
    """The items of `queryset` whose text or one of whose notes matches `text`; for the public
    (`public`), one of whose published notes. An item's text is its English and its translation into
    `language` (by default the page's: `reader_language`), each read as its own language."""
    model, language = queryset.model, language or reader_language()
    if not text.split():
        return TextSearch(queryset)
    in_order = db.matches_in_order(model, text, public, language=language)
    if in_order is None:  # the database cannot list them (SQLite): each row is checked
        return TextSearch(queryset.filter(db.text_condition(model, text, public, language=language)))
    # Read once per search, language and change of the data; the list filters by the ids as one array,
    # which PostgreSQL pages through faster than `id IN (the matches)`.
    ids = versioning.cached(f"search|{model._meta.label}|{public}|{language}|{text}",
                            lambda: _listed(model, text, language, in_order))
    if ids is not TOO_MANY:
        return TextSearch(db.filter_ids(queryset, ids), ids=ids)
    # A word in most items ("migration"): each row is checked as the list's order is walked,
    # rather than listing the matches; all rows at once as one set (docs/performance.md).
    return TextSearch(queryset.filter(db.text_condition(model, text, public, language=language)),
                      whole=queryset.filter(pk__in=db.text_matches(model, text, public, language=language)))


def _listed(model, text, language, in_order):
    """The matches' ids in order, or TOO_MANY (as the estimate has it first, which costs a millisecond)."""
    if (db.estimated_matches(model, text, language=language) or 0) > SEARCH_ID_LIST_LIMIT:
        return TOO_MANY
    ids = array("q", (row[0] for row in in_order[:SEARCH_ID_LIST_LIMIT + 1].iterator(chunk_size=10_000)))
    return TOO_MANY if len(ids) > SEARCH_ID_LIST_LIMIT else ids


# "2.1/6", "2010/2.1/6", "CSD/1": an item's code as the report and the lists write it.
ITEM_CODE = re.compile(r"(?:(?P<year>\d{4})\s*/\s*)?(?P<session>[A-Za-z0-9.]+)\s*/\s*(?P<number>\d{1,4})")


def items_by_code(text, models, user):
    """The items of `models` (numbered within a session) whose code is `text` that `user` may see, or None
    if `text` is not a code."""
    code = ITEM_CODE.fullmatch(text.strip())
    if code is None:
        return None
    lookups = {"session__code__iexact": code["session"], "number": int(code["number"])}
    if code["year"]:
        lookups["session__meeting__year"] = int(code["year"])
    found = []
    for model in models:
        items = model.objects.visible_to(user).select_related("session__meeting").filter(**lookups)
        found += items.order_by("-session__meeting__year")[:20]
    return found
