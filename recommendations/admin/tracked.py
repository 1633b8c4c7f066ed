"""The admin of the tracked items: every save, bulk action and import goes through the update path."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from gfmd_tracker.admin_lists import SelectionMixin
from gfmd_tracker.roles import is_administrator
from gfmd_tracker.spreadsheets import CheckedImportMixin

from .. import dates, selectors, services
from ..forms import NOTE_MAX_LENGTH
from ..imports.resources import FollowUpItemResource, RecommendationResource
from ..models import (
    ClosureReason,
    EditConflict,
    FollowUpItem,
    FollowUpItemUpdate,
    Recommendation,
    RecommendationUpdate,
    SeedRecord,
    Session,
    Status,
    Verification,
)
from .base import (
    ActionsInline,
    EstimatedCountPaginator,
    HistoryAdmin,
    SessionListFilter,
    TimelineAdmin,
    TimelineInline,
    local_time,
)
from .lineage import LineageInline
from .translations import TranslationsMixin


class TrackedItemForm(forms.ModelForm):
    """Refuses a save based on an outdated version; checks status changes against the workflow rules."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    update_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Note for the timeline"),
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Why the follow-up changed. Required when an item becomes stalled, not pursued or implemented."),
    )
    # What the follow-up rules ask with a closure and a moved due date (TrackedItem.apply_update).
    evidence_url = forms.URLField(required=False, label=_("Evidence link"), max_length=500, assume_scheme="https",
                                  help_text=_("Required when the item becomes implemented."))
    closure_reason = forms.ChoiceField(choices=[("", "—"), *ClosureReason.choices], required=False,
                                       label=_("Why not pursued"))
    due_date_reason = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH, label=_("Why the due date moves"),
                                      help_text=_("Required when a due date already set changes."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        owner = self.fields.get("owner")
        if owner is not None:
            owner.queryset = self.instance.owner_choices()
        if "title" in self.fields:  # a title is a sentence: as wide as the text box under it
            self.fields["title"].widget.attrs["class"] = "vLargeTextField"

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
        if not self.errors:
            self.check_rules(current, cleaned)
        return cleaned

    def check_rules(self, current, cleaned):
        """The follow-up rules of the whole change (a closure's evidence or reason, a moved due date's reason),
        said on the form's fields rather than refused by the save."""
        changes = {f: cleaned.get(f) for f in current.tracked_fields if f in self.changed_data}
        if "due_date" in changes and "due_date_precision" in cleaned:
            changes["due_date_precision"] = cleaned["due_date_precision"]
        try:
            current.apply_update(by=self.user, note=cleaned.get("update_note") or "Changed in the admin.",
                                 changes=current.changed_values(changes), permission_checked=True,
                                 evidence=bool(cleaned.get("evidence_url")),
                                 closure_reason=cleaned.get("closure_reason", ""),
                                 due_date_reason=cleaned.get("due_date_reason", ""))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        except PermissionDenied as error:
            self.add_error(None, str(error))


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("Owner"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Note"),
                           help_text=_("Written to each item's timeline."), max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = model.possible_owners().order_by("username")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label=_("Status"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX_LENGTH, label=_("Note"),
                           help_text=_("Written to each item's timeline; for stalled or not pursued it is the reason."))


class VerifyForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX_LENGTH, label=_("Note"),
                           help_text=_("Written to each item's timeline with the verification."))


class TrackedItemAdmin(SelectionMixin, CheckedImportMixin, HistoryAdmin, ImportExportModelAdmin):
    """Admin for any tracked item: follow-up fields edited here reach the timeline too."""

    form = TrackedItemForm
    list_filter = ("status", "priority", "is_public", "themes", "due_date")
    list_select_related = ("owner",)
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ("owner",)
    filter_horizontal = ("themes", "responsible_actors")
    readonly_fields = ("created", "updated", "verification", "rollup")
    follow_up_fields = ("status", "owner", "responsible_actors", ("due_date", "due_date_precision"), "progress",
                        "priority", "update_note", "evidence_url", "closure_reason", "due_date_reason",
                        "expected_version", ("created", "updated"))
    # Items seeded from the report hold its verbatim text: only an administrator deletes one. Seeded
    # means seed_gfmd made or found it: it is linked from a `seed_record` (that model, its field).
    seed_record = (SeedRecord, None)  # None: the field named after the item's model
    # An item's own follow-up fields besides those (an action has no actions to roll up).
    item_fields = ("verification", "progress_from_actions", "rollup")
    actions = ["assign_owner", "change_status", "verify_closures", "publish", "unpublish"]
    search_help_text = _("Words in the texts or timeline notes (all of them, as in the recommendations list), "
                         "or an exact session code or owner's username.")

    def get_inlines(self, request, obj):
        """A new item has no actions: its add form lists none."""
        inlines = super().get_inlines(request, obj)
        return [inline for inline in inlines if obj is not None or inline is not ActionsInline]

    def get_search_results(self, request, queryset, search_term):
        """The same text search as the user lists (full-text on PostgreSQL: a substring search
        over hundreds of thousands of texts took seconds), plus exact matches of the short fields."""
        term = search_term.strip()
        if not term:
            return super().get_search_results(request, queryset, search_term)
        model = queryset.model
        exact = models.Q(owner__username__iexact=term)
        exists = get_user_model().objects.filter(username__iexact=term).exists()
        if any(f.name == "session" for f in model._meta.fields):
            exact |= models.Q(session__code__iexact=term)
            exists = exists or Session.objects.filter(code__iexact=term).exists()
        # The small tables decide (usually nothing is exact), not the items joined to them
        # (measured: docs/performance.md).
        if exists:
            matches = selectors.search_items(model.objects.all(), term).items
            return queryset.filter(models.Q(pk__in=matches.values("pk")) | exact), False
        # The search's own condition on the list, not `id IN (the matches)`: the database then
        # walks the list's order checking rows against the matches (docs/performance.md).
        return selectors.search_items(queryset, term).items, False

    # The change history is read-only: a revert would set status, owner or progress without
    # the workflow's checks and without a timeline entry. `revert_disabled` hides the button
    # (django-simple-history's hook); a posted revert form is refused here.
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(gettext("An item's history is read-only; log an update to change it."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("Created"))
    def created(self, obj):
        return local_time(obj.created_at)

    @admin.display(description=_("Due date"), ordering="due_date")
    def due(self, obj):
        return dates.shown(obj.due_date, obj.due_date_precision) or None

    @admin.display(description=_("Updated"))
    def updated(self, obj):
        return local_time(obj.updated_at)

    @admin.display(description=_("Actions"))
    def rollup(self, obj):
        """What its actions' roll-up is built from, and their progress over the reported ones."""
        if not obj.actions_count:
            return gettext("No actions.")
        known = (pgettext("progress", "unknown") if obj.actions_progress is None
                 else pgettext("percentage", "%(number)s%%") % {"number": obj.actions_progress})
        return gettext("%(summary)s; progress over the reported ones: %(progress)s.") % {
            "summary": obj.rollup_summary, "progress": known}

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and obj.pk is not None and not is_administrator(request.user):
            model, field = self.seed_record
            return not model.objects.filter(**{field or obj._meta.model_name: obj}).exists()
        return allowed

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class FormWithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return FormWithUser

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("update_note", "").strip()
        # The default notes are stored in the timeline: the record's words (English), not the editor's language.
        if not change:
            super().save_model(request, obj, form, change)
            obj.start_timeline(note=note or "Created in the admin.", by=request.user)
            return
        # One save, through the update path: the tracked fields by record_update (a timeline entry),
        # the form's other fields with them; those alone are saved with no timeline entry.
        changes = {f: getattr(obj, f) for f in obj.tracked_fields if f in form.changed_data}
        if "due_date" in changes:  # with the precision the form gives it, not the default day
            changes["due_date_precision"] = obj.due_date_precision
        edited = self.edited_fields(obj, form, changes)
        if changes:
            obj.record_update(by=request.user, note=note or "Changed in the admin.", edited=edited,
                              evidence_url=form.cleaned_data.get("evidence_url", ""),
                              closure_reason=form.cleaned_data.get("closure_reason", ""),
                              due_date_reason=form.cleaned_data.get("due_date_reason", ""), **changes)
        else:
            services.record_updates([services.Update(obj)], by=request.user, fields=edited)

    @staticmethod
    def edited_fields(obj, form, changes):
        """The record's own fields the form changed, other than the tracked ones."""
        saved = {f.name for f in obj._meta.concrete_fields if f.editable and not f.primary_key}
        return [f for f in form.changed_data if f in saved and f not in changes]

    # --- bulk actions: each item goes through record_update; one refusal cancels them all

    def apply_to_each(self, request, queryset, note, **changes):
        refused = services.update_each(queryset, by=request.user, note=note, **changes)
        if refused:
            refusals = " | ".join(f"{item}: {reason}" for item, reason in refused)
            self.message_user(request, gettext("Nothing was changed. %(problems)s") % {"problems": refusals},
                              messages.ERROR)
        else:
            count = len(queryset)
            self.message_user(request, ngettext("Updated %(count)s item; each timeline has the note.",
                                                "Updated %(count)s items; each timeline has the note.", count)
                              % {"count": count}, messages.SUCCESS)

    def bulk_update(self, request, queryset, action, title, form_class, verification=None, **form_kwargs):
        """A bulk action's form; once it is valid, its changes and note go to each item (with `verification`)."""
        form = form_class(request.POST if "apply" in request.POST else None, **form_kwargs)
        if form.is_valid():
            changes = dict(form.cleaned_data, **({"verification": verification} if verification else {}))
            self.apply_to_each(request, queryset, changes.pop("note"), **changes)
            return None
        return TemplateResponse(request, "admin/recommendations/bulk_update.html", {
            **self.admin_site.each_context(request), "title": title, "form": form, "items": queryset,
            "action": action, "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    @admin.action(description=_("Assign an owner to the selected items"), permissions=["change"])
    def assign_owner(self, request, queryset):
        return self.bulk_update(request, queryset, "assign_owner", gettext("Assign an owner"), OwnerForm,
                                model=self.model)

    @admin.action(description=_("Change the status of the selected items"), permissions=["change"])
    def change_status(self, request, queryset):
        return self.bulk_update(request, queryset, "change_status", gettext("Change status"), StatusForm)

    @admin.action(description=_("Verify selected closures"), permissions=["change"])
    def verify_closures(self, request, queryset):
        """Each closure verified by `record_update` and its rules (awaiting verification, a second person)."""
        return self.bulk_update(request, queryset, "verify_closures", gettext("Verify closures"), VerifyForm,
                                verification=Verification.VERIFIED)

    def set_public(self, request, queryset, public):
        changed = services.set_items_public(list(queryset), public=public, by=request.user)
        count = len(changed)
        message = (ngettext("%(count)s item published: the public sees it; the others already were.",
                            "%(count)s items published: the public sees them; the others already were.", count)
                   if public else
                   ngettext("%(count)s item unpublished: only those who sign in see it; the others already were.",
                            "%(count)s items unpublished: only those who sign in see them; the others already were.",
                            count))
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected items"), permissions=["change"])
    def publish(self, request, queryset):
        self.set_public(request, queryset, True)

    @admin.action(description=_("Unpublish the selected items (hidden from the public)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self.set_public(request, queryset, False)


class RecommendationUpdateInline(TimelineInline):
    model = RecommendationUpdate


@admin.register(Recommendation)
class RecommendationAdmin(TranslationsMixin, TrackedItemAdmin):
    resource_classes = [RecommendationResource]
    list_display = ("session_code", "number", "title", "status", "owner", "due", "progress", "priority",
                    "is_public")
    list_display_links = ("number", "title")
    list_filter = ("session__meeting", SessionListFilter) + TrackedItemAdmin.list_filter
    list_select_related = ("session", "owner")
    search_fields = ("title", "text", "session__code", "owner__username")
    autocomplete_fields = ("session", "owner")
    inlines = [LineageInline, ActionsInline, RecommendationUpdateInline]
    fieldsets = [
        (None, {"fields": ("session", "number", "title", "text", "themes", "is_public")}),
        (_("Follow-up"), {"fields": TrackedItemAdmin.follow_up_fields + TrackedItemAdmin.item_fields}),
    ]

    @admin.display(description=_("Session"), ordering="ordinal")
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
    inlines = [LineageInline, ActionsInline, FollowUpItemUpdateInline]


admin.site.register(RecommendationUpdate, TimelineAdmin)
admin.site.register(FollowUpItemUpdate, TimelineAdmin)
