"""Spreadsheet import/export (django-import-export). Rows point at other records by what people
read (meeting year, session code, actor name, theme slug, username), never by database id; every
bad cell gets a message that says what is wrong. A tracked item's changes go through the update
path (`recommendations.imports.tracked`), so an import leaves the same effects as a user's update."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export import fields

from gfmd_tracker.content import translation_names

from ..models import Actor, FollowUpItem, MeetingContribution, Recommendation, Session
from .base import BaseResource
from .tracked import FOLLOW_UP_STATE, TrackedItemResource
from .widgets import (
    ChoiceWidget,
    CountryWidget,
    LookupWidget,
    MeetingWidget,
    MeetingYearField,
    NamedManyWidget,
    SessionWidget,
    WholeNumberWidget,
    whole_number,
)


class RecommendationResource(TrackedItemResource):
    meeting = MeetingYearField()
    session = fields.Field(attribute="session", widget=SessionWidget())
    number = fields.Field(attribute="number",
                          widget=WholeNumberWidget(pgettext_lazy("a sentence's subject", "The number"), 1, 32767))

    class Meta(TrackedItemResource.Meta):
        model = Recommendation
        import_id_fields = ("meeting", "session", "number")
        fields = (
            "meeting", "session", "number", "title", "text", *translation_names("title", "text"), "themes", "status",
            "owner", "responsible_actors",
            "due_date", "progress", "priority", *FOLLOW_UP_STATE, "public", "note",
        )

    def row_key(self, row):
        year, number = whole_number(row.get("meeting")), whole_number(row.get("number"))
        if not isinstance(year, int) or not isinstance(number, int):
            return None  # the field widgets say what is wrong with the row
        return (year, str(row.get("session") or "").strip(), number)

    def describe_key(self, key):
        return gettext("meeting %(meeting)s, session %(session)s, number %(number)s") % {
            "meeting": key[0], "session": key[1], "number": key[2]}

    def preload(self, keys):
        years, codes = {k[0] for k in keys}, {k[1] for k in keys}
        sessions = Session.objects.select_related("meeting").filter(meeting__year__in=years, code__in=codes).in_bulk()
        for session in sessions.values():
            self.fields["session"].widget.remember(session)
        found = {}
        ids = sorted(sessions)
        model = self._meta.model
        for start in range(0, len(ids), 500):
            queryset = model.objects.order_by().filter(
                session_id__in=ids[start:start + 500], number__in={k[2] for k in keys}
            ).defer(*self.not_read)
            for item in self.locked(queryset):
                session = sessions[item.session_id]
                key = (session.meeting.year, session.code, item.number)
                if key in keys:
                    found[key] = item
        # Each record's session and owner, shared: not a copy of them per row from a join.
        owners = get_user_model().objects.in_bulk({item.owner_id for item in found.values()} - {None})
        session_field, owner_field = model._meta.get_field("session"), model._meta.get_field("owner")
        for item in found.values():
            session_field.set_cached_value(item, sessions[item.session_id])
            owner_field.set_cached_value(item, owners.get(item.owner_id))
        return found


class FollowUpItemResource(RecommendationResource):
    class Meta(RecommendationResource.Meta):
        model = FollowUpItem


class ActorResource(BaseResource):
    """Actors by name. Members are linked after every row is in, so a group may list
    actors that come later in the same file."""

    kind = fields.Field(attribute="kind", widget=ChoiceWidget(Actor.Kind.choices, "Kind"))
    country = fields.Field(attribute="country", widget=CountryWidget())
    members = fields.Field(attribute="members",
                           widget=NamedManyWidget(Actor, field="name", unknown=_("Unknown member(s): %(names)s.")))

    class Meta(BaseResource.Meta):
        model = Actor
        import_id_fields = ("name",)
        fields = ("name", "short_name", "kind", "country", "members", "notes")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members")

    def before_import(self, dataset, **kwargs):
        self.pending_members = []
        super().before_import(dataset, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name == "members":
            if is_m2m and field.column_name in row:
                self.pending_members.append((instance, row))
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        widget = self.fields["members"].widget
        for instance, row in self.pending_members:
            try:
                instance.members.set(widget.clean(row["members"], row))
            except ValueError as error:
                raise ValueError(gettext("Actor '%(name)s': %(error)s")
                                 % {"name": instance.name, "error": error}) from None
        super().after_import(dataset, result, **kwargs)


class MeetingContributionResource(BaseResource):
    """Who gave or did what for a meeting: one row per meeting year, actor name, role and the report's line
    (an actor may stand on two rows of the annex), with what in the report's words."""

    meeting = fields.Field(attribute="meeting", widget=MeetingWidget())
    actor = fields.Field(attribute="actor", widget=LookupWidget(Actor, field="name",
                                                                unknown=_("Unknown actor '%(value)s'.")))
    role = fields.Field(attribute="role", widget=ChoiceWidget(MeetingContribution.Role.choices, "Role"))
    source_line = fields.Field(attribute="source_line",
                               widget=WholeNumberWidget(pgettext_lazy("a sentence's subject", "The report's line"), 1,
                                                        2_147_483_647, required=False))

    class Meta(BaseResource.Meta):
        model = MeetingContribution
        import_id_fields = ("meeting", "actor", "role", "source_line")
        fields = ("meeting", "actor", "role", "description", "source_line")

    def get_queryset(self):
        return super().get_queryset().select_related("meeting", "actor")
