"""The admin of the forum's records: meetings (with their contributors and organisers), roundtables, sessions,
actors, themes, good practices."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from gfmd_tracker.admin_lists import SelectionMixin
from gfmd_tracker.content import virtual_fields
from gfmd_tracker.spreadsheets import CheckedImportMixin

from .. import dates
from ..imports.resources import ActorResource, MeetingContributionResource
from ..models import (
    Actor,
    GoodPractice,
    Meeting,
    MeetingContribution,
    Recommendation,
    Roundtable,
    Session,
    SessionParticipant,
    Theme,
)
from ..models.forum import LINE_LESS_TWICE
from .base import HistoryAdmin
from .translations import TranslationsMixin


class SessionParticipantInline(admin.TabularInline):
    model = SessionParticipant
    extra = 0
    autocomplete_fields = ("actor",)
    fields = ("role", "actor", "position")


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    fields = ("number", "title", "status", "owner", "due", "progress")
    readonly_fields = ("status", "owner", "due", "progress")
    show_change_link = True
    ordering = ("number",)

    @admin.display(description=_("Due date"))
    def due(self, obj):
        """At its precision ("2013"), as the items' list in the admin shows it; "-" when there is none."""
        return dates.shown(obj.due_date, obj.due_date_precision) or self.get_empty_value_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


class GoodPracticeInline(admin.StackedInline):
    model = GoodPractice
    extra = 0
    filter_horizontal = ("actors",)


@admin.register(Actor)
class ActorAdmin(SelectionMixin, CheckedImportMixin, HistoryAdmin, ImportExportModelAdmin):
    resource_classes = [ActorResource]
    list_display = ("name", "short_name", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    filter_horizontal = ("members",)


@admin.register(Theme)
class ThemeAdmin(TranslationsMixin, SelectionMixin, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class RoundtableInline(admin.TabularInline):
    model = Roundtable
    extra = 0
    exclude = virtual_fields("title")  # its translations are on its own change page


class ContributionFormSet(BaseInlineFormSet):
    """Two rows of one actor in one role without a report line are refused at the second, as the database would
    refuse it: Django's formsets compare rows only under rules without a condition."""

    def clean(self):
        super().clean()
        without_line = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}  # a saved row's: its initial values (view only)
            if (self.can_delete and self._should_delete_form(form)) or not data.get("actor") or data.get("source_line"):
                continue
            key = (getattr(data["actor"], "pk", data["actor"]), data.get("role"))
            if key in without_line:
                form.add_error(None, LINE_LESS_TWICE)
            without_line.add(key)


class MeetingContributionInline(admin.TabularInline):
    """A meeting's contributions: the saved rows shown (each changed on its own page, by its link), new ones
    added here. An editable saved row's actor box would read its actor once per row (the autocomplete's
    selected option), a hundred queries for the annex's 25 rows; shown, it is read with the row."""

    model = MeetingContribution
    formset = ContributionFormSet
    extra = 0
    autocomplete_fields = ("actor",)
    fields = ("role", "actor", "description", "source_line")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting", "actor")

    def has_change_permission(self, request, obj=None):
        return False  # the saved rows are shown, not edited, here; new rows still are


@admin.register(Meeting)
class MeetingAdmin(SelectionMixin, admin.ModelAdmin):
    list_display = ("year", "edition", "city", "country", "start_date", "end_date", "chair", "next_chair")
    search_fields = ("city", "title", "theme")
    list_select_related = ("chair_country",)
    autocomplete_fields = ("chair_country", "next_chair_country")
    inlines = [RoundtableInline, MeetingContributionInline]
    fieldsets = [
        (None, {"fields": ("year", "edition", "title", "theme", "city", "country", "start_date", "end_date",
                           "chair", "chair_country")}),
        (_("The handover to the next year"), {
            "fields": ("next_chair", "next_chair_line", "next_chair_country", "handover", "handover_line"),
            "description": _("The incoming Chair and what the report says of the next year, in its words, each "
                             "with the report's line. Leave empty where the report is silent."),
        }),
        (_("The follow-up of its items"), {
            "fields": ("closure_verification_required", ("ageing_after_days", "stale_after_days")),
            "description": _("Whether a closure of its items awaits a second editor's verification, and after how "
                             "many days without a report an open item is ageing, then stale (inactive after two "
                             "years whatever these say)."),
        }),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Recommendation.objects.filter(session__meeting=obj).renumber()  # the year is part of the order


@admin.register(MeetingContribution)
class MeetingContributionAdmin(SelectionMixin, CheckedImportMixin, ImportExportModelAdmin):
    """Donors and organisers, one row per meeting, actor, role and report line (an actor may stand on two lines
    of the annex; at most one row has no line); imported and exported by those natural keys (meeting year, actor
    name, role, line) with the report's words."""

    resource_classes = [MeetingContributionResource]
    export_stem = "meeting-contributions"
    list_display = ("actor", "role", "meeting", "description", "source_line")
    list_filter = ("role", "meeting")
    list_select_related = ("meeting", "actor")
    search_fields = ("actor__name", "description")
    autocomplete_fields = ("actor",)


@admin.register(Roundtable)
class RoundtableAdmin(TranslationsMixin, SelectionMixin, admin.ModelAdmin):
    list_display = ("number", "title", "meeting", "coordinator")
    list_filter = ("meeting",)
    list_select_related = ("meeting",)
    search_fields = ("title", "coordinator")


@admin.register(Session)
class SessionAdmin(TranslationsMixin, SelectionMixin, HistoryAdmin):
    list_display = ("code", "title", "kind", "roundtable", "meeting", "co_chair_names")
    list_filter = ("meeting", "kind", "roundtable")
    list_select_related = ("meeting", "roundtable")
    search_fields = ("code", "title", "actors__name")
    inlines = [SessionParticipantInline, RecommendationInline, GoodPracticeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("participants__actor")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.recommendations.renumber()  # the position or meeting may have changed; a revert saves only this

    def save_related(self, request, form, formsets, change):
        # Again after the inline recommendations are saved: their numbers may have changed.
        super().save_related(request, form, formsets, change)
        form.instance.recommendations.renumber()

    @admin.display(description=_("Co-chairs"))
    def co_chair_names(self, obj):
        return ", ".join(actor.name for actor in obj.co_chairs)


@admin.register(GoodPractice)
class GoodPracticeAdmin(SelectionMixin, admin.ModelAdmin):
    list_display = ("text_start", "session", "actor_names")
    list_filter = (("session", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("session",)
    search_fields = ("text", "actors__name")
    filter_horizontal = ("actors",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("actors")

    @admin.display(description=_("Practice"))
    def text_start(self, obj):
        return obj.text[:100]

    @admin.display(description=_("Actors"))
    def actor_names(self, obj):
        return ", ".join(a.name for a in obj.actors.all())
