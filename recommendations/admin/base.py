"""What the tracker's admin pages share: read-only history and timeline lists, counts fast on big tables."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from gfmd_tracker.admin_lists import SelectionMixin

from .. import dates, db, services, versioning
from ..models import Action, Meeting, Session


class ReadOnlyMixin:
    """Timeline entries are appended by the update path, never added, edited or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LatestEntriesFormSet(BaseInlineFormSet):
    """The item's latest timeline entries only: an item may have hundreds."""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            self._queryset = super().get_queryset()[:TIMELINE_INLINE_ENTRIES]
        return self._queryset


TIMELINE_INLINE_ENTRIES = 20


def local_time(value, precision=dates.Precision.TIME):
    """A time as every admin page shows it: the site's DATE_FORMAT and TIME_FORMAT (settings); one the
    report dates to a month or a year, as the pages show it ("January 2011")."""
    if value is None:
        return ""
    if precision != dates.Precision.TIME:
        return dates.shown(value, precision)
    value = timezone.localtime(value)
    return f"{date_format(value, 'DATE_FORMAT')}, {time_format(value, 'TIME_FORMAT')}"


class TimelineInline(ReadOnlyMixin, admin.TabularInline):
    """The item's latest timeline entries, newest first; all of them are in the timeline's own admin list.
    Each row without the entry's name over it (its date and the note cut short: the note is in the row)."""

    fields = ("written", "author", "is_public", "note", "evidence_url", "status_before", "status_after",
              "owner_before", "owner_after",
              "progress_before", "progress_after", "due_before", "due_after")
    readonly_fields = fields
    extra = 0
    max_num = 0
    ordering = ("-created_at", "-id")
    formset = LatestEntriesFormSet
    verbose_name_plural = lazy(lambda: gettext("Timeline (the latest %(count)s, newest first)")
                               % {"count": TIMELINE_INLINE_ENTRIES}, str)()
    classes = ["timeline-inline"]

    class Media:
        css = {"all": ("gfmd_tracker/admin.css",)}

    @admin.display(description=_("Time"))
    def written(self, entry):
        return local_time(entry.created_at, entry.created_at_precision)

    @admin.display(description=_("Due date before"))
    def due_before(self, entry):
        return dates.shown(entry.due_date_before, entry.due_date_precision_before) or None

    @admin.display(description=_("Due date after"))
    def due_after(self, entry):
        return dates.shown(entry.due_date_after, entry.due_date_precision_after) or None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "owner_before", "owner_after")


class ActionsInline(ReadOnlyMixin, GenericTabularInline):
    """An item's actions, read-only, each linked to its own change page."""

    model = Action
    ct_field, ct_fk_field = "parent_type", "parent_id"
    fields = ("number", "title", "status", "verification", "owner", "due", "progress", "is_public")
    readonly_fields = fields
    extra = 0
    max_num = 0
    show_change_link = True
    verbose_name_plural = _("Actions (add them on the item's page; each opens on its own change page)")

    @admin.display(description=_("Due date"))
    def due(self, obj):
        return dates.shown(obj.due_date, obj.due_date_precision) or None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


class EstimatedCountPaginator(Paginator):
    """Counting millions of rows takes longer than showing a page: without filters, the database's
    estimate where it has one (PostgreSQL's statistics); with filters, a count kept until the data
    changes (a search for a word in most items took a second to count, on every page)."""

    @cached_property
    def count(self):
        if not self.object_list.query.where:
            estimate = db.estimated_count(self.object_list.model)
            if estimate is not None and estimate > 100_000:
                return estimate
        return versioning.cached_count(self.object_list)


class SessionListFilter(admin.SimpleListFilter):
    """Sessions of the chosen (or only) meeting that have items of the list, by code and whole title:
    thousands of sessions would not fit a sidebar."""

    title = _("session")
    parameter_name = "session__id__exact"

    def lookups(self, request, model_admin):
        meeting = request.GET.get("session__meeting__id__exact", "")
        items = model_admin.model.objects.filter(session=OuterRef("pk"))
        sessions = Session.objects.filter(Exists(items)).order_by("position")
        if meeting.isdecimal():
            sessions = sessions.filter(meeting_id=meeting)
        elif meeting or Meeting.objects.count() > 1:  # not a meeting's id, or no meeting chosen of several
            return []
        return [(str(s.pk), f"{s.code} {s.title}") for s in sessions]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not self.value().isdecimal():  # the changelist then says the filter is wrong, as Django's own do
            raise IncorrectLookupParameters(gettext("Not a session's id: %(value)r") % {"value": self.value()})
        return queryset.filter(session_id=self.value())


class HistoryAdmin(SimpleHistoryAdmin):
    """The History pages (django-simple-history). An address naming no record or version by a valid
    id is 404, as Django's own history page answers it, not a server error."""

    object_history_list_template = "admin/gfmd_tracker/object_history_list.html"  # no inline style (the CSP)

    @staticmethod
    def check_id(model, value):
        try:
            model._meta.pk.to_python(value)
        except ValidationError:
            raise Http404(gettext("No %(kind)s has the id %(value)r.") % {"kind": model._meta.verbose_name,
                                                                        "value": value}) from None

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        self.check_id(self.model, object_id)
        return super().get_history_queryset(request, history_manager, pk_name, object_id)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.check_id(self.model, object_id)
        self.check_id(getattr(self.model, self.model._meta.simple_history_manager_attribute).model, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        """A past version that cannot be reverted to is shown as to a user who may only view it: every
        field as text, without related-object icons or the form's own boxes (note, expected version)."""
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


class TimelineAdmin(ReadOnlyMixin, SelectionMixin, HistoryAdmin):
    """Every timeline entry of one kind of item, for audits. An entry's text never changes; editors publish
    or unpublish it (the actions below), and its History shows who did, when."""

    list_display = ("written", "item", "author", "is_public", "status_before", "status_after", "note")
    list_filter = ("is_public", "status_after", "created_at")
    list_select_related = ("item__session", "author")
    search_fields = ("note",)
    search_help_text = _("Words in the notes (all of them).")
    actions = ["publish", "unpublish"]

    def has_publish_permission(self, request):
        """Editors: those who may change the items (the entries themselves are append-only)."""
        item = self.model._meta.get_field("item").related_model._meta
        return request.user.has_perm(f"{item.app_label}.change_{item.model_name}")

    def set_public(self, request, queryset, public):
        changed = services.set_entries_public(list(queryset.select_related(None)), public=public, by=request.user)
        message = (ngettext("%(count)s timeline entry published: shown to the public (each change is in the entry's "
                            "History); the others already were.",
                            "%(count)s timeline entries published: shown to the public (each change is in the entry's "
                            "History); the others already were.", len(changed)) if public else
                   ngettext("%(count)s timeline entry unpublished: internal again (each change is in the entry's "
                            "History); the others already were.",
                            "%(count)s timeline entries unpublished: internal again (each change is in the entry's "
                            "History); the others already were.", len(changed)))
        self.message_user(request, message % {"count": len(changed)}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected entries (notes shown to the public)"), permissions=["publish"])
    def publish(self, request, queryset):
        self.set_public(request, queryset, True)

    @admin.action(description=_("Unpublish the selected entries (internal again)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self.set_public(request, queryset, False)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        return db.filter_notes(queryset, search_term), False

    paginator = EstimatedCountPaginator
    show_full_result_count = False

    @admin.display(description=_("Time"), ordering="created_at")
    def written(self, entry):
        return local_time(entry.created_at, entry.created_at_precision)
