"""Spreadsheet import/export of PfP projects and their partners (natural keys, see recommendations.imports)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from gfmd_tracker.content import translation_names
from recommendations.imports.base import BaseResource
from recommendations.imports.tracked import FOLLOW_UP_STATE, TrackedItemResource
from recommendations.imports.widgets import ChoiceWidget, LinksField, LookupWidget, MeetingYearField, SessionWidget
from recommendations.models import Actor, Recommendation

from .models import Project, ProjectPartner, Stage


class RecommendationRefsWidget(widgets.ManyToManyWidget):
    """Recommendations as "2010/1.1/8" (meeting year / session code / number), separated by ';'."""

    def __init__(self, **kwargs):
        super().__init__(Recommendation, separator=";", **kwargs)

    def related_queryset(self):
        return Recommendation.objects.select_related("session__meeting")

    def clean(self, value, row=None, **kwargs):
        refs = [r.strip() for r in str(value or "").split(self.separator) if r.strip()]
        found, bad = [], []
        for ref in refs:
            try:
                found.append(Recommendation.objects.get_by_natural_key(*ref.split("/")))
            except (TypeError, ValueError, Recommendation.DoesNotExist):
                bad.append(ref)
        if bad:
            raise ValueError(gettext("Unknown recommendation(s): %(names)s (write them as year/session/number, e.g. "
                                     "2010/1.1/8).") % {"names": ", ".join(bad)})
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(f"{r.session.meeting.year}/{r.session.code}/{r.number}" for r in value.all())


class ProjectResource(TrackedItemResource):
    meeting = MeetingYearField()
    session = fields.Field(attribute="session", widget=SessionWidget())
    stage = fields.Field(attribute="stage", widget=ChoiceWidget(Stage.choices, "Stage"))
    recommendations = LinksField(attribute="recommendations", widget=RecommendationRefsWidget())

    class Meta(TrackedItemResource.Meta):
        model = Project
        import_id_fields = ("title",)
        fields = (
            "title", "description", *translation_names("title", "description"), "origin", "meeting", "session",
            "stage", "recommendations", "themes", "status", "owner", "responsible_actors", "due_date", "progress",
            "priority", *FOLLOW_UP_STATE, "public", "note",
        )

    def row_key(self, row):
        title = row.get("title")
        return str(title) if title not in (None, "") else None

    def describe_key(self, key):
        return gettext("title '%(title)s'") % {"title": key}

    def preload(self, keys):
        queryset = self.get_queryset().prefetch_related(None).filter(title__in=keys)
        return {project.title: project for project in self.locked(queryset)}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("recommendations__session__meeting")


class ProjectPartnerResource(BaseResource):
    project = fields.Field(attribute="project", widget=LookupWidget(Project, field="title",
                                                                    unknown=_("Unknown project '%(value)s'.")))
    actor = fields.Field(attribute="actor", widget=LookupWidget(Actor, field="name",
                                                                unknown=_("Unknown actor '%(value)s'.")))
    role = fields.Field(attribute="role", widget=ChoiceWidget(ProjectPartner.Role.choices, "Role"))

    class Meta(BaseResource.Meta):
        model = ProjectPartner
        import_id_fields = ("project", "actor", "role")
        fields = ("project", "actor", "role", "note")

    def get_queryset(self):
        return super().get_queryset().select_related("project", "actor")
