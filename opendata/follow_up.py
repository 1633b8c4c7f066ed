"""The open data's follow-up: recommendations, follow-up items and PfP projects as the public's downloads write
them (`exports.Table.public()`: no owner, the latest public update and note), their partners and concerns,
their public timelines and their lineage. Only what the public portal shows: published items (`visible_to`
an anonymous user), their published timeline entries, and lineage between published items
(`Lineage.objects.public()`)."""

from django.contrib.auth.models import AnonymousUser

from partnerships.models import Project, ProjectConcern, ProjectPartner, ProjectUpdate, Stage
from partnerships.views import project_table
from recommendations.exports import VERIFICATION_LABELS, cell
from recommendations.models import (
    DEFAULT_AGEING_DAYS,
    DEFAULT_STALE_DAYS,
    FollowUpItem,
    FollowUpItemUpdate,
    Freshness,
    Lineage,
    Priority,
    Recommendation,
    RecommendationUpdate,
    Status,
    kind_name,
)
from recommendations.views.lists import recommendation_table

from .forum import ACTOR, MEETING, SESSION
from .schema import MOMENT, Field, Resource, at_precision, integer, label, names, text, translations

THE_PUBLIC = AnonymousUser()  # what the portal shows to anyone: the one rule, `visible_to`
PROJECT = "The project's title (projects.title)."


def follow_up_state_fields():
    """What an item's follow-up says of itself (issue #20), as the downloads write it (`FOLLOW_UP_STATE_COLUMNS`)."""
    return [
        Field("freshness", "string", f"How fresh its follow-up is when the package was built: the days since its "
              f"latest update against its meeting's thresholds (by default ageing after {DEFAULT_AGEING_DAYS} days, "
              f"stale after {DEFAULT_STALE_DAYS}, inactive after two years); empty for a closed item.",
              constraints={"enum": [str(label) for label in Freshness.labels]}),
        Field("verification", "string", "A closure (implemented or not pursued) awaiting verification by a second "
              "editor, or verified; empty where none is claimed or verification is not required.",
              constraints={"enum": list(VERIFICATION_LABELS.values())}),
        integer("actions_reported", "How many of its actions someone reported on."),
        integer("actions_total", "How many actions it has (actions.csv lists the published ones)."),
        integer("rolled_up_progress", "The weighted progress of its reported actions, per cent; empty (unknown) when "
                                      "none is reported, never 0 for nothing known."),
    ]


def follow_up_fields():
    """The follow-up columns every tracked item ends with, as the public's downloads write them."""
    return [
        names("themes", "The themes it is tagged with: themes' slugs (themes.slug).", "themes", ("slug",)),
        label("status", "Where it stands.", Status.choices),
        names("responsible_actors", "The governments and organizations doing the work: actors' names "
                                    "(actors.name).", "responsible_actors"),
        at_precision("due_date", "When it is due, as precisely as known: a year (2013), a month (2013-01) or a day "
                                 "(2013-01-31); empty if no date is set.", "due_date", "due_date_precision"),
        integer("progress", "Progress, per cent (0 to 100)."),
        label("priority", "Its priority, if one is set.", Priority.choices),
        *follow_up_state_fields(),
        Field("last_public_update", "string", "When its timeline last grew by a public entry, as precisely as "
              "known (2011-01; 2026-11-26 14:05, in the site's time zone).", constraints={"pattern": MOMENT}),
        Field("last_public_note", "string", "The note of that entry."),
    ]


def numbered_fields(what):
    return [integer("meeting", MEETING), text("session", SESSION),
            integer("number", f"Its number within the session, as the report prints it: with meeting and session, "
                              f"the {what}'s identifier."),
            text("title", "A short title for lists."), text("text", "The text, verbatim from the report."),
            *translations("title", "text"), *follow_up_fields()]


RECOMMENDATIONS = Resource(
    "recommendations", "Recommendations", "The numbered outcomes and recommendations of each session, verbatim, "
    "with their follow-up: the same columns as the public's download of the recommendations list.",
    numbered_fields("recommendation"),
    source=lambda: recommendation_table(Recommendation.objects.visible_to(THE_PUBLIC)).public(),
    primary_key=("meeting", "session", "number"),
    foreign_keys=((("meeting", "session"), "sessions", ("meeting", "code")),),
)

FOLLOW_UP_ITEMS = Resource(
    "follow-up-items", "Follow-up items", "Other follow-up the report asks for (the Civil Society Days' priority "
    "subjects and calls, the Platform for Partnerships' commitments, the Future of the Forum's decisions), numbered "
    "within their session like recommendations.",
    numbered_fields("item"),
    source=lambda: recommendation_table(FollowUpItem.objects.visible_to(THE_PUBLIC)).public(),
    primary_key=("meeting", "session", "number"),
    foreign_keys=((("meeting", "session"), "sessions", ("meeting", "code")),),
)

PROJECTS = Resource(
    "projects", "PfP projects", "The projects of the Platform for Partnerships, with their follow-up: the same "
    "columns as the public's download of the projects list.",
    [text("title", "Its title: its identifier."), text("description", "What it is, verbatim from the report where "
                                                                      "the report describes it."),
     *translations("title", "description"), text("origin", "Where the proposal comes from."),
     integer("meeting", MEETING),
     text("session", f"The session where it was presented: {SESSION}"),
     label("stage", "Its stage in the project life cycle.", Stage.choices),
     names("recommendations", "The published recommendations it serves (its lineage's \"implements\"), each as "
                              "meeting/session/number (recommendations).", "recommendations"),
     *follow_up_fields()],
    source=lambda: project_table(Project.objects.visible_to(THE_PUBLIC)).public(),
    primary_key=("title",),
    foreign_keys=((("meeting", "session"), "sessions", ("meeting", "code")),),
)

PROJECT_PARTNERS = Resource(
    "project-partners", "Project partners", "The partners of each project and their roles.",
    [text("project", PROJECT, "project__title"), text("actor", ACTOR, "actor__name"),
     label("role", "The partner's role.", ProjectPartner.Role.choices)],
    queryset=lambda: ProjectPartner.objects.filter(project__in=Project.objects.visible_to(THE_PUBLIC)).order_by(
        "project__title", "role", "actor__name"),
    primary_key=("project", "actor", "role"),
    foreign_keys=((("project",), "projects", ("title",)), (("actor",), "actors", ("name",))),
)

PROJECT_CONCERNS = Resource(
    "project-concerns", "Project concerns", "The concerns and suggestions delegates raised about each project.",
    [text("project", PROJECT, "project__title"),
     label("kind", "A concern or a suggestion.", ProjectConcern.Kind.choices),
     integer("position", "Its place in the project's list."), text("text", "What was raised.")],
    queryset=lambda: ProjectConcern.objects.filter(project__in=Project.objects.visible_to(THE_PUBLIC)).order_by(
        "project__title", "position", "pk"),
    foreign_keys=((("project",), "projects", ("title",)),),
)


def change(name, what, choices=None, path=None):
    """The before and after of a change an entry records (empty when it changed nothing there)."""
    made = label if choices else integer
    return [made(f"{name}_{side}", f"{what} {side} this update; empty if it did not change it.",
                 *([choices] if choices else []), path=f"{path or name}_{side}") for side in ("before", "after")]


def entry_fields():
    due = ("The due date {} this update, as precisely as known (2013, 2013-01, 2013-01-31); empty if it did not "
           "change it.")
    return [
        at_precision("date", "When it happened, as precisely as known: 2011-01 (an event the report dates to a "
                             "month), 2010-11-11 12:00 (an exact time, in the site's time zone).", "created_at",
                     "created_at_precision", MOMENT),
        text("note", "What was said: the note, published by staff."),
        text("evidence_url", "A link to evidence of what was done, if any."),
        *change("status", "The status", Status.choices), *change("progress", "Progress (per cent)"),
        *(at_precision(f"due_date_{side}", due.format(side), f"due_date_{side}", f"due_date_precision_{side}")
          for side in ("before", "after")),
    ]


def timeline(name, kind, model, key, resource, reference, extra=()):
    """The public timeline entries of a kind of item: published entries of published items, oldest first."""
    return Resource(
        name, f"{kind.capitalize()} timelines", f"The public entries of the {kind}s' timelines (those staff "
        "published, and each item's first entry: the report's own words), oldest first. Who wrote an entry, and "
        "changes of owner, are internal and left out.",
        [*key, *entry_fields(), *extra],
        queryset=lambda: model.objects.visible_to(THE_PUBLIC).order_by("created_at", "pk"),
        foreign_keys=(([f.name for f in key], resource, reference),),
    )


NUMBERED_KEY = [integer("meeting", MEETING, "item__session__meeting__year"),
                text("session", SESSION, "item__session__code"),
                integer("number", "The item's number within its session.", "item__number")]
RECOMMENDATION_TIMELINE = timeline("recommendation-timeline", "recommendation", RecommendationUpdate, NUMBERED_KEY,
                                   "recommendations", ("meeting", "session", "number"))
FOLLOW_UP_ITEM_TIMELINE = timeline("follow-up-item-timeline", "follow-up item", FollowUpItemUpdate, NUMBERED_KEY,
                                   "follow-up-items", ("meeting", "session", "number"))
PROJECT_TIMELINE = timeline("project-timeline", "project", ProjectUpdate, [text("project", PROJECT, "item__title")],
                            "projects", ("title",), extra=change("stage", "The stage", Stage.choices))


class LineageRows:
    """Lineage links as the lineage spreadsheet writes them (an item by its kind and key, "2010/3.1/3" or a
    title), between published items or to named references only; the same rows() as an `exports.Table`."""

    HEADERS = ["kind", "item_kind", "item", "target_kind", "target", "reference_source", "reference_part",
               "reference_words", "sentence", "line"]

    def rows(self):
        yield self.HEADERS
        for link in Lineage.objects.public().with_ends().order_by("line", "pk").iterator(chunk_size=500):
            ends = [(kind_name(end), end.lineage_key()) if end is not None else ("", "")
                    for end in (link.item, link.target)]
            yield [cell(value) for value in (link.get_kind_display(), *ends[0], *ends[1], link.reference_source,
                                             link.reference_part, link.reference_words, link.sentence, link.line)]


ITEM_KINDS = "recommendation (in recommendations), follow-up item (in follow-up-items) or project (in projects)"
ITEM_KEY = ("The item: a recommendation or follow-up item as meeting/session/number (2010/3.1/3), a project by "
            "its title.")
LINEAGE = Resource(
    "lineage", "Lineage links", "Where a tracked item comes from, as the report states it: it originates from, "
    "reiterates, builds on or forms part of another tracked item, or a named reference (an earlier meeting's "
    "outcome or a GFMD body's agenda that the report names). Each quotes its sentence with its line. Only links "
    "between published items.",
    [label("kind", "How the item relates to the target.", Lineage.Kind.choices),
     Field("item_kind", "string", f"The kind of the item: {ITEM_KINDS}."),
     Field("item", "string", ITEM_KEY),
     Field("target_kind", "string", f"The kind of the target item: {ITEM_KINDS}; empty for a named reference."),
     Field("target", "string", "The target item, written as item is; empty for a named reference."),
     text("reference_source", "A named reference: who or where, as the report names it."),
     text("reference_part", "A named reference: the session, as the report names it; empty where it names none."),
     text("reference_words", "A named reference: the report's words for the earlier outcome."),
     text("sentence", "The report's sentence that states the link, verbatim."),
     integer("line", "The line of the report (fixtures/gfmd2010/report.txt) the sentence is on.")],
    source=LineageRows,
)

RESOURCES = [RECOMMENDATIONS, FOLLOW_UP_ITEMS, PROJECTS, PROJECT_PARTNERS, PROJECT_CONCERNS, RECOMMENDATION_TIMELINE,
             FOLLOW_UP_ITEM_TIMELINE, PROJECT_TIMELINE, LINEAGE]
