from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import (
    Actor, FollowUpItem, FollowUpItemUpdate, GoodPractice, Meeting, Recommendation, RecommendationUpdate, Roundtable,
    Session, SessionParticipant, Theme,
)
from .resources import ActorResource, FollowUpItemResource, RecommendationResource


class TimelineInline(admin.TabularInline):
    """The item's timeline, newest first, read-only: entries are appended, never edited."""

    fields = ("created_at", "author", "note", "status_before", "status_after", "owner_before", "owner_after",
              "progress_before", "progress_after", "due_date_before", "due_date_after")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("-created_at", "-id")
    verbose_name_plural = "Timeline (newest first)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "owner_before", "owner_after")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TrackedItemAdmin(ImportExportModelAdmin):
    """Admin for any tracked item: follow-up fields edited here reach the timeline too."""

    list_filter = ("status", "priority", "themes", ("owner", admin.RelatedOnlyFieldListFilter), "due_date")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    filter_horizontal = ("themes", "responsible_actors")
    readonly_fields = ("created_at", "updated_at")
    follow_up_fields = ("status", "owner", "responsible_actors", "due_date", "progress", "priority",
                        ("created_at", "updated_at"))

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            obj.start_timeline(note="Created in the admin.", by=request.user)
            return
        original = type(obj).objects.get(pk=obj.pk)
        changes = {f: getattr(obj, f) for f in obj.tracked_fields if f in form.changed_data}
        for field in changes:
            setattr(obj, field, getattr(original, field))
        super().save_model(request, obj, form, change)
        if changes:
            obj.record_update(by=request.user, note="Changed in the admin.", **changes)


class SessionParticipantInline(admin.TabularInline):
    model = SessionParticipant
    extra = 0
    autocomplete_fields = ("actor",)
    fields = ("role", "actor", "position")


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    fields = ("number", "title", "status", "owner", "due_date", "progress")
    readonly_fields = ("status", "owner", "due_date", "progress")
    show_change_link = True
    ordering = ("number",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


class GoodPracticeInline(admin.StackedInline):
    model = GoodPractice
    extra = 0
    filter_horizontal = ("actors",)


@admin.register(Actor)
class ActorAdmin(ImportExportModelAdmin):
    resource_classes = [ActorResource]
    list_display = ("name", "short_name", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    filter_horizontal = ("members",)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class RoundtableInline(admin.TabularInline):
    model = Roundtable
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("year", "edition", "city", "country", "start_date", "end_date", "chair")
    search_fields = ("city", "title", "theme")
    list_select_related = ("chair_country",)
    autocomplete_fields = ("chair_country",)
    inlines = [RoundtableInline]


@admin.register(Roundtable)
class RoundtableAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "meeting", "coordinator")
    list_filter = ("meeting",)
    list_select_related = ("meeting",)
    search_fields = ("title", "coordinator")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "roundtable", "meeting", "co_chair_names")
    list_filter = ("meeting", "kind", "roundtable")
    list_select_related = ("meeting", "roundtable")
    search_fields = ("code", "title", "actors__name")
    inlines = [SessionParticipantInline, RecommendationInline, GoodPracticeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("participants__actor")

    @admin.display(description="Co-chairs")
    def co_chair_names(self, obj):
        return ", ".join(actor.name for actor in obj.co_chairs)


class RecommendationUpdateInline(TimelineInline):
    model = RecommendationUpdate


@admin.register(Recommendation)
class RecommendationAdmin(TrackedItemAdmin):
    resource_classes = [RecommendationResource]
    list_display = ("session_code", "number", "title", "status", "owner", "due_date", "progress", "priority")
    list_display_links = ("number", "title")
    list_filter = (("session", admin.RelatedOnlyFieldListFilter), "session__meeting") + TrackedItemAdmin.list_filter
    list_select_related = ("session", "owner")
    search_fields = ("title", "text", "session__code")
    autocomplete_fields = ("session", "owner")
    inlines = [RecommendationUpdateInline]
    fieldsets = [
        (None, {"fields": ("session", "number", "title", "text", "themes")}),
        ("Follow-up", {"fields": TrackedItemAdmin.follow_up_fields}),
    ]

    @admin.display(description="Session", ordering="session__position")
    def session_code(self, obj):
        return obj.session.code


class FollowUpItemUpdateInline(TimelineInline):
    model = FollowUpItemUpdate


@admin.register(FollowUpItem)
class FollowUpItemAdmin(RecommendationAdmin):
    resource_classes = [FollowUpItemResource]
    inlines = [FollowUpItemUpdateInline]


@admin.register(GoodPractice)
class GoodPracticeAdmin(admin.ModelAdmin):
    list_display = ("text_start", "session", "actor_names")
    list_filter = (("session", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("session",)
    search_fields = ("text", "actors__name")
    filter_horizontal = ("actors",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("actors")

    @admin.display(description="Practice")
    def text_start(self, obj):
        return obj.text[:100]

    @admin.display(description="Actors")
    def actor_names(self, obj):
        return ", ".join(a.name for a in obj.actors.all())


class TimelineAdmin(admin.ModelAdmin):
    """Every timeline entry of one kind of item, for audits; read-only."""

    list_display = ("created_at", "item", "author", "status_before", "status_after", "note")
    list_filter = ("status_after", "created_at")
    list_select_related = ("item__session", "author")
    search_fields = ("note",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(RecommendationUpdate, TimelineAdmin)
admin.site.register(FollowUpItemUpdate, TimelineAdmin)
