"""The Forum's records as the API writes them (the tracked items: serializers.py): meetings by year, sessions by
"year/code", actors by name, themes by slug; partners and lineage links name both their ends by those keys."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnerships.models import ProjectPartner
from recommendations.models import Actor, Lineage, Meeting, Session, SessionParticipant, Theme, kind_name

from .serializers import Serializer, item_key, item_path, translations_field


class MeetingSerializer(Serializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    country = serializers.CharField(source="country.code", read_only=True, help_text="ISO 3166 code.")
    chair_country = serializers.SlugRelatedField(read_only=True, slug_field="name")
    next_chair_country = serializers.SlugRelatedField(read_only=True, slug_field="name")
    sessions = serializers.SerializerMethodField(help_text="Its sessions' keys, in the meeting's order.")

    class Meta:
        model = Meeting
        fields = ("year", "url", "web_url", "edition", "title", "theme", "city", "country", "start_date", "end_date",
                  "chair", "chair_country", "next_chair", "next_chair_country", "handover", "sessions")

    def get_url(self, meeting) -> str:
        return self.link(reverse("api:meeting", args=[meeting.year]))

    def get_web_url(self, meeting) -> str:
        return self.link(meeting.get_absolute_url())

    def get_sessions(self, meeting) -> list[str]:
        return [f"{meeting.year}/{session.code}" for session in meeting.sessions.all()]


class SessionSerializer(Serializer):
    key = serializers.SerializerMethodField(help_text="year/code: 2010/2.1.")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    meeting = serializers.IntegerField(source="meeting.year", read_only=True)
    roundtable = serializers.IntegerField(source="roundtable.number", read_only=True, allow_null=True)
    co_chairs = serializers.SerializerMethodField()
    team_members = serializers.SerializerMethodField()
    international_organizations = serializers.SerializerMethodField()
    translations = translations_field("Session", "title", "outcomes_intro")

    class Meta:
        model = Session
        fields = ("key", "url", "web_url", "meeting", "code", "title", "kind", "roundtable", "chaired_by",
                  "rapporteurs", "outcomes_intro", "co_chairs", "team_members", "international_organizations",
                  "translations")

    def get_key(self, session) -> str:
        return f"{session.meeting.year}/{session.code}"

    def get_url(self, session) -> str:
        return self.link(reverse("api:session", args=[session.meeting.year, session.code]))

    def get_web_url(self, session) -> str:
        return self.link(session.get_absolute_url())

    def names(self, session, role):
        return [actor.name for actor in session.participants_in_role(role)]

    def get_co_chairs(self, session) -> list[str]:
        return self.names(session, SessionParticipant.Role.CO_CHAIR)

    def get_team_members(self, session) -> list[str]:
        return self.names(session, SessionParticipant.Role.TEAM_MEMBER)

    def get_international_organizations(self, session) -> list[str]:
        return self.names(session, SessionParticipant.Role.INTERNATIONAL_ORGANIZATION)


class ActorSerializer(Serializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    country = serializers.CharField(source="country.code", read_only=True, help_text="ISO 3166 code, or empty.")
    members = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Actor
        fields = ("name", "url", "web_url", "short_name", "kind", "country", "members", "notes")

    def get_url(self, actor) -> str:
        return self.link(reverse("api:actor", args=[actor.name]))

    def get_web_url(self, actor) -> str:
        return self.link(reverse("recommendations:actor", args=[actor.pk]))


class ThemeSerializer(Serializer):
    url = serializers.SerializerMethodField()
    translations = translations_field("Theme", "name", "description")

    class Meta:
        model = Theme
        fields = ("slug", "url", "name", "description", "translations")

    def get_url(self, theme) -> str:
        return self.link(reverse("api:theme", args=[theme.slug]))


class PartnerSerializer(Serializer):
    project = serializers.IntegerField(source="project_id", read_only=True, help_text="The project's id.")
    project_url = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor.name", read_only=True)

    class Meta:
        model = ProjectPartner
        fields = ("project", "project_url", "actor", "role")

    def get_project_url(self, partner) -> str:
        return self.link(item_path(partner.project))


class End(serializers.Serializer):
    kind = serializers.CharField(help_text="recommendation, follow-up item or project.")
    key = serializers.CharField(help_text="2010/3.1/3, or a project's id.")
    url = serializers.CharField()


class Reference(serializers.Serializer):
    source = serializers.CharField(help_text="Who or where, as the report names it.")
    part = serializers.CharField(help_text="The session, if the report names one.")
    words = serializers.CharField(help_text="The report's words for it.")


class LineageSerializer(Serializer):
    item = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField(help_text="A tracked item, or null for a named reference.")
    reference = serializers.SerializerMethodField(help_text="A named reference, or null for a tracked item.")

    class Meta:
        model = Lineage
        fields = ("kind", "item", "target", "reference", "sentence", "line")

    def end(self, item):
        return {"kind": kind_name(item), "key": str(item_key(item)), "url": self.link(item_path(item))}

    @extend_schema_field(End)
    def get_item(self, link):
        return self.end(link.item)

    @extend_schema_field(End(allow_null=True))
    def get_target(self, link):
        return self.end(link.target) if link.target_type_id else None

    @extend_schema_field(Reference(allow_null=True))
    def get_reference(self, link):
        if link.target_type_id:
            return None
        return {"source": link.reference_source, "part": link.reference_part, "words": link.reference_words}
