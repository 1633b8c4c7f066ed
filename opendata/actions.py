"""The open data's actions (issue #20): the published actions of published items, each named by its key as the
actions' spreadsheet names it ("2010/2.1/1/a1", a project's "Title/a1"), and their public timeline entries. The
keys are written by the database (an action's item is any of three kinds), so that PostgreSQL writes these CSV
files itself as it writes the others."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Value, When
from django.db.models.functions import Cast, Concat

from recommendations.exports import LATEST_PUBLIC, VERIFICATION_LABELS, Column, Table, freshness_label
from recommendations.models import Action, ActionUpdate, ClosureReason, Freshness, Status, Verification, kind_name
from recommendations.models.actions import parent_models
from recommendations.views.action_list import item_key

from .follow_up import ITEM_KINDS, change, entry_fields
from .schema import MOMENT, Field, Resource, at_precision, integer, label, names, text

THE_PUBLIC = AnonymousUser()


def action_key(prefix=""):
    return Concat(item_key(prefix), Value("/a"), Cast(f"{prefix}number", CharField()), output_field=CharField())


def item_kind(model):
    return Case(*[When(parent_type=ContentType.objects.get_for_model(kind), then=Value(kind_name(kind)))
                  for kind in parent_models()], default=Value(""), output_field=CharField())


ACTION = "The action: its item's key and its number (2010/2.1/1/a1, a project's Title/a1), as in actions."
ACTION_FIELDS = [
    Field("action", "string", ACTION.replace(", as in actions.", "): its identifier."),
          Column("action", "action_key", expression=lambda model: action_key())),
    Field("item_kind", "string", f"The kind of item it is under: {ITEM_KINDS}.",
          Column("item_kind", "item_kind_label", expression=item_kind)),
    Field("item", "string", "The item it is under: a recommendation or follow-up item as meeting/session/number "
                            "(2010/3.1/3), a project by its title.",
          Column("item", "item_key", expression=lambda model: item_key())),
    integer("number", "Its number among its item's actions (a1, a2, …)."),
    text("title", "What the action is."), text("description", "What it involves, if more is said."),
    integer("weight", "How much it counts in its item's rolled-up progress, 1 to 100, against its other actions."),
    label("status", "Where it stands.", Status.choices),
    names("responsible_actors", "The governments and organizations doing it: actors' names (actors.name).",
          "responsible_actors"),
    at_precision("due_date", "When it is due, as precisely as known: a year (2013), a month (2013-01) or a day "
                             "(2013-01-31); empty if no date is set.", "due_date", "due_date_precision"),
    integer("progress", "Progress, per cent (0 to 100), as last reported; see last_public_update."),
    Field("verification", "string", "A closure awaiting verification by a second editor, or verified; empty where "
                                    "none is claimed.", Column("verification", "verification", VERIFICATION_LABELS),
          {"enum": list(VERIFICATION_LABELS.values())}),
    Field("freshness", "string", "How fresh its follow-up is when the package was built (as the items'); empty for "
                                 "a closed action.", Column("freshness", "freshness_label", expression=freshness_label),
          {"enum": [str(name) for name in Freshness.labels]}),
    Field("last_public_update", "string", "When its timeline last grew by a public entry, as precisely as known.",
          constraints={"pattern": MOMENT}),
    Field("last_public_note", "string", "The note of that entry."),
]


def actions_table():
    rows = Action.objects.visible_to(THE_PUBLIC).order_by("parent_type", "parent_id", "number")
    return Table(rows, [f.column for f in ACTION_FIELDS if f.column], latest=LATEST_PUBLIC, only_public=True)


ACTIONS = Resource(
    "actions", "Actions", "What governments and organisations do about each outcome: the published actions under "
    "published recommendations, follow-up items and projects, each with its status, progress, due date and "
    "weight in its item's rolled-up progress. Owners and internal notes are left out.",
    ACTION_FIELDS, source=actions_table, primary_key=("action",),
)

ACTION_TIMELINE = Resource(
    "action-timeline", "Action timelines", "The public entries of the actions' timelines (those staff published), "
    "oldest first, of the actions in actions. Who wrote an entry, changes of owner and evidence files are internal "
    "and left out.",
    [Field("action", "string", ACTION, Column("action", "action_key", expression=lambda model: action_key("item__"))),
     *entry_fields(),
     *change("verification", "The closure's verification", Verification.choices),
     label("closure_reason", "Why it was closed as not pursued, if it was.", ClosureReason.choices),
     text("due_date_reason", "Why its due date moved, if it did.")],
    queryset=lambda: ActionUpdate.objects.filter(
        is_public=True, item__in=Action.objects.visible_to(THE_PUBLIC)).order_by("created_at", "pk"),
    foreign_keys=((("action",), "actions", ("action",)),),
)

RESOURCES = [ACTIONS, ACTION_TIMELINE]
