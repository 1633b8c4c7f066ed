import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from gfmd_tracker.admin_lists import SelectionMixin
from gfmd_tracker.spreadsheets import CheckedImportMixin

from . import services, versioning
from .filters import RecommendationFilterSet
from .forms import NOTE_MAX_LENGTH
from .imports.resources import ActorResource, FollowUpItemResource, RecommendationResource
from .models import (
    Actor,
    EditConflict,
    FollowUpItem,
    FollowUpItemUpdate,
    GoodPractice,
    Meeting,
    Recommendation,
    RecommendationUpdate,
    Roundtable,
    Session,
    SessionParticipant,
    Status,
    Theme,
)


class LatestEntriesFormSet(BaseInlineFormSet):
    """The item's latest timeline entries only: an item may have hundreds."""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            self._queryset = super().get_queryset()[:TIMELINE_INLINE_ENTRIES]
        return self._queryset


TIMELINE_INLINE_ENTRIES = 20


class TimelineInline(admin.TabularInline):
    """The item's latest timeline entries, newest first, read-only: entries are appended,
    never edited. All of them are in the timeline entries' own list (admin), filtered by item."""

    fields = ("created_at", "author", "note", "evidence_url", "status_before", "status_after",
              "owner_before", "owner_after",
              "progress_before", "progress_after", "due_date_before", "due_date_after")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("-created_at", "-id")
    formset = LatestEntriesFormSet
    verbose_name_plural = f"Timeline (the latest {TIMELINE_INLINE_ENTRIES}, newest first)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "owner_before", "owner_after")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EstimatedCountPaginator(Paginator):
    """Counting a table of millions of rows takes longer than showing a page of it: without
    filters, on PostgreSQL, take the planner's estimate (kept fresh by autovacuum). With
    filters, the count is kept until the data changes, as the user lists' counts are (a
    search for a word in most items took a second to count, on every page)."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                               [self.object_list.model._meta.db_table])
                estimate = cursor.fetchone()[0]
            if estimate > 100_000:
                return estimate
        if query is None:
            return super().count
        return versioning.cached_count(self.object_list)


class SessionListFilter(admin.SimpleListFilter):
    """Sessions of the meeting chosen in the meeting filter (or of the only meeting):
    thousands of sessions would not fit a sidebar."""

    title = "session"
    parameter_name = "session__id__exact"

    def lookups(self, request, model_admin):
        meeting = request.GET.get("session__meeting__id__exact", "")
        sessions = Session.objects.order_by("position")
        if meeting.isdecimal():
            sessions = sessions.filter(meeting_id=meeting)
        elif meeting or Meeting.objects.count() > 1:  # not a meeting's id, or no meeting chosen of several
            return []
        return [(str(s.pk), f"{s.code} {s.title[:60]}") for s in sessions]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not self.value().isdecimal():  # the changelist then says the filter is wrong, as Django's own do
            raise IncorrectLookupParameters(f"Not a session's id: {self.value()!r}")
        return queryset.filter(session_id=self.value())


class HistoryAdmin(SimpleHistoryAdmin):
    """The History button's pages (django-simple-history): the list of versions and one past
    version. An address naming no record or version by a valid id is 404, as Django's own
    history page answers it, not a server error."""

    @staticmethod
    def check_id(model, value):
        try:
            model._meta.pk.to_python(value)
        except ValidationError:
            raise Http404(f"No {model._meta.verbose_name} has the id {value!r}.") from None

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        self.check_id(self.model, object_id)
        return super().get_history_queryset(request, history_manager, pk_name, object_id)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.check_id(self.model, object_id)
        self.check_id(getattr(self.model, self.model._meta.simple_history_manager_attribute).model, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        """A past version that cannot be reverted to is shown as Django shows a record to a
        user who may only view it: every field as text, without the related-object icons and
        without the form's own boxes (the timeline note, the expected version)."""
        if context.get("revert_disabled") and "adminform" in context:
            adminform = context["adminform"]
            form_only = set(adminform.form.declared_fields) - {f.name for f in self.model._meta.get_fields()}
            fieldsets = [(name, {**options, "fields": without(options["fields"], form_only)})
                         for name, options in adminform.fieldsets]
            context["adminform"] = admin.helpers.AdminForm(
                adminform.form, fieldsets, {}, readonly_fields=flatten_fieldsets(fieldsets), model_admin=self)
        return super().render_history_view(request, template, context, **kwargs)


def without(lines, names):
    """A fieldset's lines (names, or tuples of names shown side by side) without `names`."""
    kept = [tuple(n for n in line if n not in names) if isinstance(line, (list, tuple)) else line
            for line in lines if line not in names]
    return [line for line in kept if line]


class TrackedItemForm(forms.ModelForm):
    """Admin form of a tracked item: refuses a save based on an outdated version and
    checks status changes against the workflow rules before anything is saved."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    update_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Note for the timeline",
        max_length=NOTE_MAX_LENGTH,
        help_text="Why the follow-up changed. Required when an item becomes stalled, not pursued or implemented.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        owner = self.fields.get("owner")
        if owner is not None:
            owner.queryset = self.instance.owner_choices()

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        # Locked until the request's transaction ends, so a concurrent save waits and then sees the new version.
        current = type(self.instance).objects.select_for_update().get(pk=self.instance.pk)
        if cleaned.get("expected_version") != current.version:
            raise ValidationError(str(EditConflict(current)), code="conflict")
        status = cleaned.get("status")
        if "status" in self.changed_data and status:
            try:
                current.check_transition(status, by=self.user, note=cleaned.get("update_note", ""))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    self.add_error("update_note" if field == "note" else field, errors)
            except PermissionDenied as error:
                self.add_error("status", str(error))
        return cleaned


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Written to each item's timeline.",
                           max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = model.possible_owners().order_by("username")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX_LENGTH,
        help_text="Written to each item's timeline; for stalled or not pursued it is the reason.",
    )


class TrackedItemAdmin(SelectionMixin, CheckedImportMixin, HistoryAdmin, ImportExportModelAdmin):
    """Admin for any tracked item: follow-up fields edited here reach the timeline too."""

    form = TrackedItemForm
    list_filter = ("status", "priority", "themes", "due_date")
    list_select_related = ("owner",)
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ("owner",)
    filter_horizontal = ("themes", "responsible_actors")
    readonly_fields = ("created_at", "updated_at")
    follow_up_fields = ("status", "owner", "responsible_actors", "due_date", "progress", "priority",
                        "update_note", "expected_version", ("created_at", "updated_at"))
    actions = ["assign_owner", "change_status"]
    search_filterset = None  # the user list's FilterSet, whose full-text search the admin shares
    search_help_text = ("Words in the texts or timeline notes (all of them, as in the recommendations list), "
                        "or an exact session code or owner's username.")

    def get_search_results(self, request, queryset, search_term):
        """On PostgreSQL, the same indexed full-text search as the user lists (a substring
        search over hundreds of thousands of texts took seconds), plus exact matches of the
        short fields; elsewhere Django's substring search over `search_fields`."""
        term = search_term.strip()
        if connection.vendor != "postgresql" or not term or self.search_filterset is None:
            return super().get_search_results(request, queryset, search_term)
        model = queryset.model
        search = self.search_filterset(queryset=model.objects.all())
        exact = models.Q(owner__username__iexact=term)
        exists = get_user_model().objects.filter(username__iexact=term).exists()
        if any(f.name == "session" for f in model._meta.fields):
            exact |= models.Q(session__code__iexact=term)
            exists = exists or Session.objects.filter(code__iexact=term).exists()
        # The small tables decide (usually nothing is exact), not the items joined to them
        # (measured: docs/performance.md).
        if exists:
            matches = search.filter_text(model.objects.all(), "q", term)
            return queryset.filter(models.Q(pk__in=matches.values("pk")) | exact), False
        # The search's own condition on the list, not `id IN (the matches)`: the database then
        # walks the list's order checking rows against the matches (docs/performance.md).
        return search.filter_text(queryset, "q", term), False

    # The change history is read-only: a revert would set status, owner or progress without
    # the workflow's checks and without a timeline entry. `revert_disabled` hides the button
    # (django-simple-history's hook); a posted revert form is refused here.
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("An item's history is read-only; log an update to change it.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class FormWithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return FormWithUser

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("update_note", "").strip()
        if not change:
            super().save_model(request, obj, form, change)
            obj.start_timeline(note=note or "Created in the admin.", by=request.user)
            return
        # One save, through the update path: the tracked fields by record_update (a timeline entry),
        # the form's other fields with them; those alone are saved with no timeline entry.
        changes = {f: getattr(obj, f) for f in obj.tracked_fields if f in form.changed_data}
        edited = self.edited_fields(obj, form, changes)
        if changes:
            obj.record_update(by=request.user, note=note or "Changed in the admin.", edited=edited, **changes)
        else:
            services.record_updates([services.Update(obj)], by=request.user, fields=edited)

    @staticmethod
    def edited_fields(obj, form, changes):
        """The record's own fields the form changed, other than the tracked ones."""
        saved = {f.name for f in obj._meta.concrete_fields if f.editable and not f.primary_key}
        return [f for f in form.changed_data if f in saved and f not in changes]

    # --- bulk actions: each item goes through record_update; one refusal cancels them all

    def apply_to_each(self, request, queryset, note, **changes):
        refused = []
        with transaction.atomic():
            for item in queryset:
                try:
                    item.record_update(by=request.user, note=note, **changes)
                except (ValidationError, PermissionDenied) as error:
                    messages_ = getattr(error, "messages", None) or [str(error)]
                    refused.append(f"{item}: {' '.join(messages_)}")
            if refused:
                transaction.set_rollback(True)
        if refused:
            self.message_user(request, "Nothing was changed. " + " | ".join(refused), messages.ERROR)
        else:
            self.message_user(request, f"Updated {len(queryset)} item(s); each timeline has the note.",
                              messages.SUCCESS)

    def bulk_form_response(self, request, queryset, form_class, action, title, apply):
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            apply(form.cleaned_data)
            return None
        return TemplateResponse(request, "admin/recommendations/bulk_update.html", {
            **self.admin_site.each_context(request), "title": title, "form": form, "items": queryset,
            "action": action, "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    @admin.action(description="Assign an owner to the selected items", permissions=["change"])
    def assign_owner(self, request, queryset):
        return self.bulk_form_response(
            request, queryset, functools.partial(OwnerForm, model=self.model), "assign_owner", "Assign an owner",
            lambda data: self.apply_to_each(request, queryset, data["note"], owner=data["owner"]),
        )

    @admin.action(description="Change the status of the selected items", permissions=["change"])
    def change_status(self, request, queryset):
        return self.bulk_form_response(
            request, queryset, StatusForm, "change_status", "Change status",
            lambda data: self.apply_to_each(request, queryset, data["note"], status=data["status"]),
        )


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
class ActorAdmin(SelectionMixin, CheckedImportMixin, HistoryAdmin, ImportExportModelAdmin):
    resource_classes = [ActorResource]
    list_display = ("name", "short_name", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    filter_horizontal = ("members",)


@admin.register(Theme)
class ThemeAdmin(SelectionMixin, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class RoundtableInline(admin.TabularInline):
    model = Roundtable
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SelectionMixin, admin.ModelAdmin):
    list_display = ("year", "edition", "city", "country", "start_date", "end_date", "chair")
    search_fields = ("city", "title", "theme")
    list_select_related = ("chair_country",)
    autocomplete_fields = ("chair_country",)
    inlines = [RoundtableInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Recommendation.objects.filter(session__meeting=obj).renumber()  # the year is part of the order


@admin.register(Roundtable)
class RoundtableAdmin(SelectionMixin, admin.ModelAdmin):
    list_display = ("number", "title", "meeting", "coordinator")
    list_filter = ("meeting",)
    list_select_related = ("meeting",)
    search_fields = ("title", "coordinator")


@admin.register(Session)
class SessionAdmin(SelectionMixin, HistoryAdmin):
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

    @admin.display(description="Co-chairs")
    def co_chair_names(self, obj):
        return ", ".join(actor.name for actor in obj.co_chairs)


class RecommendationUpdateInline(TimelineInline):
    model = RecommendationUpdate


@admin.register(Recommendation)
class RecommendationAdmin(TrackedItemAdmin):
    resource_classes = [RecommendationResource]
    search_filterset = RecommendationFilterSet
    list_display = ("session_code", "number", "title", "status", "owner", "due_date", "progress", "priority")
    list_display_links = ("number", "title")
    list_filter = ("session__meeting", SessionListFilter) + TrackedItemAdmin.list_filter
    list_select_related = ("session", "owner")
    search_fields = ("title", "text", "session__code", "owner__username")
    autocomplete_fields = ("session", "owner")
    inlines = [RecommendationUpdateInline]
    fieldsets = [
        (None, {"fields": ("session", "number", "title", "text", "themes")}),
        ("Follow-up", {"fields": TrackedItemAdmin.follow_up_fields}),
    ]

    @admin.display(description="Session", ordering="ordinal")
    def session_code(self, obj):
        return obj.session.code

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if hasattr(type(obj).objects, "renumber"):
            type(obj).objects.filter(pk=obj.pk).renumber()


class FollowUpItemUpdateInline(TimelineInline):
    model = FollowUpItemUpdate


@admin.register(FollowUpItem)
class FollowUpItemAdmin(RecommendationAdmin):
    resource_classes = [FollowUpItemResource]
    inlines = [FollowUpItemUpdateInline]


@admin.register(GoodPractice)
class GoodPracticeAdmin(SelectionMixin, admin.ModelAdmin):
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


class TimelineAdmin(SelectionMixin, admin.ModelAdmin):
    """Every timeline entry of one kind of item, for audits; read-only."""

    list_display = ("created_at", "item", "author", "status_before", "status_after", "note")
    list_filter = ("status_after", "created_at")
    list_select_related = ("item__session", "author")
    search_fields = ("note",)
    search_help_text = "Words in the notes (all of them)."

    def get_search_results(self, request, queryset, search_term):
        """On PostgreSQL, the notes' full-text index (a substring search over 1.5 million notes
        took seconds); elsewhere Django's substring search."""
        if connection.vendor != "postgresql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(search_term, search_type="websearch", config="english")
        return queryset.annotate(document=SearchVector("note", config="english")).filter(document=query), False
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(RecommendationUpdate, TimelineAdmin)
admin.site.register(FollowUpItemUpdate, TimelineAdmin)
