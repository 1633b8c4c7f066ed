"""How the API writes each record: natural keys as identifiers ("2010/3.1/3", a session "2010/2.1", an actor's
name, a theme's slug; a project its id, as its page's address), dates at their precision as the spreadsheets
write them ("2013", "2011-01", "2011-01-05"), links to the record's own address and its page.

What the public reads is decided where the pages decide it: the views hand over rows `visible_to` the reader,
and a serializer given `public` in its context leaves out its `internal` fields (the owner, who wrote an entry, its id,
the version) and reads the latest PUBLIC update and note."""

import functools
from urllib.parse import quote

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gfmd_tracker.content import TRANSLATED, translations
from partnerships.models import Project, ProjectPartner
from recommendations import dates
from recommendations.models import Action, FollowUpItem, Freshness, Recommendation, Status, Verification

DATE_AT_PRECISION = ("A date as precise as it is known: a day 2013-01-31, a month 2013-01 or a year 2013 "
                     "(an exact moment in ISO 8601).")


def moment(value, precision):
    """A date or a moment at its precision: "2013", "2011-01", "2011-01-05", or ISO 8601 when known exactly."""
    if value is None:
        return None
    if precision in (dates.Precision.TIME, "") and hasattr(value, "hour"):
        return serializers.DateTimeField().to_representation(value)
    return dates.written(value, precision)


# Each kind of tracked item's list in the API and on the site: an item's address is its list's and its key, as the
# URLconfs write them (api/urls.py, recommendations/urls.py, partnerships/urls.py). reverse() for each row took a
# third of the time a list of 100 is written in; a test holds these addresses to reverse()'s.
LISTS = {"recommendation": ("api:recommendation-list", "recommendations:list"),
         "follow_up_item": ("api:follow_up_item-list", "recommendations:follow_up_list"),
         "project": ("api:project-list", "partnerships:list")}


@functools.cache
def _reversed(name):
    return reverse(name)


def item_path(item, suffix="", page=False):
    """The API's address of a tracked item (`suffix` "updates/": of its timeline); with `page`, its page's."""
    if isinstance(item, Action):  # by its key, under its item (loaded with it)
        listed = _reversed("api:action-list")
        return item.get_absolute_url() if page else f"{listed}{quote(item.lineage_key())}/{suffix}"
    kind = "project" if isinstance(item, Project) else item.url_name
    if kind == "project":
        key = item.pk
    else:
        key = f"{item.session.meeting.year}/{quote(item.session.code)}/{item.number}"
    return f"{_reversed(LISTS[kind][page])}{key}/{suffix}"


def item_key(item):
    """A tracked item's identifier: "2010/3.1/3", or a project's id."""
    return item.pk if isinstance(item, Project) else item.lineage_key()


class Serializer(serializers.ModelSerializer):
    """Leaves out its `internal` fields for the public (context `public`)."""

    internal = ()

    def get_fields(self):
        fields = super().get_fields()
        if self.context.get("public"):
            for name in self.internal:
                fields.pop(name, None)
        return fields

    def link(self, path) -> str:
        """The absolute address of `path` (the scheme and host read once for all the rows)."""
        if "origin" not in self.context:
            request = self.context.get("request")
            self.context["origin"] = request.build_absolute_uri("/")[:-1] if request else ""
        return self.context["origin"] + path


def names(related, field) -> list[str]:
    return [getattr(record, field) for record in related]


TRANSLATIONS_HELP = ("Editors' translations of its texts by language, e.g. {\"fr\": {\"title\": ...}, \"es\": {}}; a "
                     "field only where one was written. Its other fields are the report's English, the official text.")


@functools.cache
def translations_field_class(name, fields):
    """A record's `translations` ({language: {field: text}}: `content.translations`), described field by field in
    the schema as `<name>Translations` (one class per name: the schema's components are named after them)."""
    language = type(f"{name}Translation", (serializers.Serializer,),
                    {field: serializers.CharField(required=False) for field in fields})
    schema = type(f"{name}Translations", (serializers.Serializer,), {code: language() for code in TRANSLATED})

    @extend_schema_field(schema)
    class TranslationsField(serializers.Field):
        def __init__(self, **kwargs):
            super().__init__(source="*", read_only=True, help_text=TRANSLATIONS_HELP, **kwargs)

        def to_representation(self, record):
            return translations(record)

    return TranslationsField


def translations_field(name, *fields):
    return translations_field_class(name, fields)()


class LatestUpdate(serializers.Serializer):
    at = serializers.CharField(help_text=DATE_AT_PRECISION)
    precision = serializers.ChoiceField(choices=dates.Precision.choices)
    note = serializers.CharField()


class Rollup(serializers.Serializer):
    reported = serializers.IntegerField(help_text="Its actions with a report.")
    total = serializers.IntegerField(help_text="Its actions.")
    progress = serializers.IntegerField(allow_null=True, help_text="The weighted progress of its reported actions, "
                                                                   "per cent; null (unknown) when none is reported.")


class TrackedItemSerializer(Serializer):
    """What every tracked item shares: the follow-up fields."""

    internal = ("owner", "public", "version")

    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    updates_url = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField(help_text="Their slugs.")
    responsible_actors = serializers.SerializerMethodField(help_text="Their names.")
    status = serializers.SerializerMethodField(help_text="With as_of, the status as it stood at the end of that day.")
    due_date = serializers.SerializerMethodField(help_text=DATE_AT_PRECISION)
    last_update = serializers.SerializerMethodField(
        help_text="The latest timeline entry's date and note (for the public: the latest public one).")
    owner = serializers.SlugRelatedField(read_only=True, slug_field="username", help_text="Signed in only.")
    public = serializers.BooleanField(source="is_public", read_only=True, help_text="Signed in only.")
    version = serializers.IntegerField(read_only=True, help_text="Signed in only: send it back with an update "
                                                                 "(If-Match or version).")
    verification = serializers.ChoiceField(choices=Verification.choices, read_only=True,
                                           help_text="A closure awaiting verification, or verified; empty: none.")
    freshness = serializers.SerializerMethodField(help_text="Days since its latest update against its meeting's "
                                                            "thresholds; null for a closed item.")
    rollup = serializers.SerializerMethodField(help_text="Its actions: how many reported, how many in all, their "
                                                         "weighted progress over the reported ones.")

    tracked = ("themes", "responsible_actors", "status", "verification", "progress", "priority", "due_date",
               "due_date_precision", "freshness", "last_update", "owner", "public", "version")

    # The views read the related records into lists (`views.item_queryset`): faster than a manager per row.
    def get_themes(self, item) -> list[str]:
        return names(item.theme_list, "slug")

    def get_responsible_actors(self, item) -> list[str]:
        return names(item.actor_list, "name")

    def get_url(self, item) -> str:
        return self.link(item_path(item))

    def get_web_url(self, item) -> str:
        return self.link(item_path(item, page=True))

    def get_updates_url(self, item) -> str:
        return self.link(item_path(item, "updates/"))

    @extend_schema_field(serializers.ChoiceField(choices=Status.choices))
    def get_status(self, item):
        return getattr(item, "report_status", item.status)

    @extend_schema_field(OpenApiTypes.STR)
    def get_due_date(self, item):
        return moment(item.due_date, item.due_date_precision)

    @extend_schema_field(serializers.ChoiceField(choices=Freshness.choices, allow_null=True))
    def get_freshness(self, item):
        state = item.freshness
        return state.value if state else None

    @extend_schema_field(Rollup)
    def get_rollup(self, item):
        return {"reported": item.actions_reported, "total": item.actions_count, "progress": item.actions_progress}

    @extend_schema_field(LatestUpdate(allow_null=True))
    def get_last_update(self, item):
        prefix = "last_public" if self.context.get("public") else "last"
        at = getattr(item, f"{prefix}_update_at")
        if at is None:
            return None
        precision = getattr(item, f"{prefix}_update_precision")
        return {"at": moment(at, precision), "precision": precision, "note": getattr(item, f"{prefix}_note")}


class NumberedItemSerializer(TrackedItemSerializer):
    """A recommendation or a follow-up item, numbered in its session."""

    key = serializers.SerializerMethodField(help_text="year/session/number, as in spreadsheets: 2010/3.1/3.")
    meeting = serializers.IntegerField(source="session.meeting.year", read_only=True)
    session = serializers.CharField(source="session.code", read_only=True)
    translations = translations_field("Item", "title", "text")

    class Meta:
        fields = ("key", "url", "web_url", "updates_url", "meeting", "session", "number", "title", "text",
                  *TrackedItemSerializer.tracked, "rollup", "translations")

    def get_key(self, item) -> str:
        return f"{item.session.meeting.year}/{item.session.code}/{item.number}"


class RecommendationSerializer(NumberedItemSerializer):
    projects = serializers.SerializerMethodField(help_text="The PfP projects that implement it (their ids).")

    class Meta(NumberedItemSerializer.Meta):
        model = Recommendation
        fields = (*NumberedItemSerializer.Meta.fields, "projects")

    def get_projects(self, item) -> list[int]:
        return names(item.project_list, "pk")


class FollowUpItemSerializer(NumberedItemSerializer):
    class Meta(NumberedItemSerializer.Meta):
        model = FollowUpItem


class PartnerRole(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.name", read_only=True)

    class Meta:
        model = ProjectPartner
        fields = ("actor", "role")


class ProjectSerializer(TrackedItemSerializer):
    meeting = serializers.IntegerField(source="session.meeting.year", read_only=True, allow_null=True)
    session = serializers.CharField(source="session.code", read_only=True, allow_null=True)
    recommendations = serializers.SerializerMethodField(help_text="The GFMD outcomes it implements (their keys).")
    partners = PartnerRole(source="partner_list", many=True, read_only=True)
    translations = translations_field("Project", "title", "description")

    class Meta:
        model = Project
        fields = ("id", "url", "web_url", "updates_url", "title", "description", "origin", "meeting", "session",
                  "stage", "recommendations", "partners", *TrackedItemSerializer.tracked, "rollup", "translations")

    def get_recommendations(self, project) -> list[str]:
        return [rec.lineage_key() for rec in project.recommendation_list]


class TimelineEntrySerializer(Serializer):
    """One entry of an item's timeline: when (at its precision), what was said, what changed."""

    internal = ("id", "public", "author", "owner_before", "owner_after")  # ids count internal entries too

    at = serializers.SerializerMethodField(help_text=DATE_AT_PRECISION)
    precision = serializers.CharField(source="created_at_precision", read_only=True)
    due_date_before = serializers.SerializerMethodField(help_text=DATE_AT_PRECISION)
    due_date_after = serializers.SerializerMethodField(help_text=DATE_AT_PRECISION)
    public = serializers.BooleanField(source="is_public", read_only=True, help_text="Signed in only.")
    author = serializers.SlugRelatedField(read_only=True, slug_field="username", help_text="Signed in only.")
    owner_before = serializers.SlugRelatedField(read_only=True, slug_field="username", help_text="Signed in only.")
    owner_after = serializers.SlugRelatedField(read_only=True, slug_field="username", help_text="Signed in only.")

    class Meta:
        fields = ("id", "at", "precision", "note", "evidence_url", "status_before", "status_after", "progress_before",
                  "progress_after", "due_date_before", "due_date_after", "public", "author", "owner_before",
                  "owner_after")

    @extend_schema_field(OpenApiTypes.STR)
    def get_at(self, entry):
        return moment(entry.created_at, entry.created_at_precision)

    @extend_schema_field(OpenApiTypes.STR)
    def get_due_date_before(self, entry):
        return moment(entry.due_date_before, entry.due_date_precision_before)

    @extend_schema_field(OpenApiTypes.STR)
    def get_due_date_after(self, entry):
        return moment(entry.due_date_after, entry.due_date_precision_after)


def timeline_serializer(model):
    """The entries' serializer of a timeline model (a project's has the stage too)."""
    extra = ("stage_before", "stage_after") if hasattr(model, "stage_after") else ()
    meta = type("Meta", (TimelineEntrySerializer.Meta,), {"model": model,
                                                          "fields": (*TimelineEntrySerializer.Meta.fields, *extra)})
    return type(f"{model.__name__}Serializer", (TimelineEntrySerializer,), {"Meta": meta})
