"""How the API writes each record: natural keys as identifiers ("2010/3.1/3", a session "2010/2.1", an actor's
name, a theme's slug; a project its id, as its page's address), dates at their precision as the spreadsheets
write them ("2013", "2011-01", "2011-01-05"), links to the record's own address and its page.

What the public reads is decided where the pages decide it: the views hand over rows `visible_to` the reader,
and a serializer given `public` in its context leaves out its `internal` fields (the owner, who wrote an entry,
the version) and reads the latest PUBLIC update and note."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnerships.models import Project, ProjectPartner
from recommendations import dates
from recommendations.models import FollowUpItem, Recommendation, Status

DATE_AT_PRECISION = ("A date as precise as it is known: a day 2013-01-31, a month 2013-01 or a year 2013 "
                     "(an exact moment in ISO 8601).")


def moment(value, precision):
    """A date or a moment at its precision: "2013", "2011-01", "2011-01-05", or ISO 8601 when known exactly."""
    if value is None:
        return None
    if precision in (dates.Precision.TIME, "") and hasattr(value, "hour"):
        return serializers.DateTimeField().to_representation(value)
    return dates.written(value, precision)


def item_path(item, suffix=""):
    """The API's address of a tracked item (`suffix` "-updates": of its timeline)."""
    if isinstance(item, Project):
        return reverse(f"api:project{suffix}", args=[item.pk])
    return reverse(f"api:{item.url_name}{suffix}", args=item.natural_key())


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
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field(OpenApiTypes.STR)
class KeyField(serializers.RelatedField):
    """A tracked item named by its key ("2010/3.1/3", as spreadsheets write it)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, item):
        return item.lineage_key()


class LatestUpdate(serializers.Serializer):
    at = serializers.CharField(help_text=DATE_AT_PRECISION)
    precision = serializers.ChoiceField(choices=dates.Precision.choices)
    note = serializers.CharField()


class TrackedItemSerializer(Serializer):
    """What every tracked item shares: the follow-up fields."""

    internal = ("owner", "public", "version")

    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    updates_url = serializers.SerializerMethodField()
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    responsible_actors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    status = serializers.SerializerMethodField(help_text="With as_of, the status as it stood at the end of that day.")
    due_date = serializers.SerializerMethodField(help_text=DATE_AT_PRECISION)
    last_update = serializers.SerializerMethodField(
        help_text="The latest timeline entry's date and note (for the public: the latest public one).")
    owner = serializers.SlugRelatedField(read_only=True, slug_field="username", help_text="Signed in only.")
    public = serializers.BooleanField(source="is_public", read_only=True, help_text="Signed in only.")
    version = serializers.IntegerField(read_only=True, help_text="Signed in only: send it back with an update "
                                                                 "(If-Match or version).")

    tracked = ("themes", "responsible_actors", "status", "progress", "priority", "due_date", "due_date_precision",
               "last_update", "owner", "public", "version")

    def get_url(self, item) -> str:
        return self.link(item_path(item))

    def get_web_url(self, item) -> str:
        return self.link(item.get_absolute_url())

    def get_updates_url(self, item) -> str:
        return self.link(item_path(item, "-updates"))

    @extend_schema_field(serializers.ChoiceField(choices=Status.choices))
    def get_status(self, item):
        return getattr(item, "report_status", item.status)

    @extend_schema_field(OpenApiTypes.STR)
    def get_due_date(self, item):
        return moment(item.due_date, item.due_date_precision)

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

    key = serializers.CharField(source="lineage_key", read_only=True, help_text="year/session/number, as in "
                                                                                "spreadsheets: 2010/3.1/3.")
    meeting = serializers.IntegerField(source="session.meeting.year", read_only=True)
    session = serializers.CharField(source="session.code", read_only=True)

    class Meta:
        fields = ("key", "url", "web_url", "updates_url", "meeting", "session", "number", "title", "text",
                  *TrackedItemSerializer.tracked)


class RecommendationSerializer(NumberedItemSerializer):
    projects = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="The PfP projects that "
                                                  "implement it (their ids).")

    class Meta(NumberedItemSerializer.Meta):
        model = Recommendation
        fields = (*NumberedItemSerializer.Meta.fields, "projects")


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
    recommendations = KeyField(many=True, help_text="The GFMD outcomes it implements (their keys).")
    partners = PartnerRole(source="project_partners", many=True, read_only=True)

    class Meta:
        model = Project
        fields = ("id", "url", "web_url", "updates_url", "title", "description", "origin", "meeting", "session",
                  "stage", "recommendations", "partners", *TrackedItemSerializer.tracked)


class TimelineEntrySerializer(Serializer):
    """One entry of an item's timeline: when (at its precision), what was said, what changed."""

    internal = ("public", "author", "owner_before", "owner_after")

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
