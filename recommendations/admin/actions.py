"""The admin of actions (models/actions.py): their list and change page, saved through the tracked items' update
path (tracked.py: one save, one history record, one timeline entry), and their timelines (an item's actions on its
own change page: base.ActionsInline). Actions are added on their item's page or by import (`services.add_action`
numbers them under their item); deleted through `services.delete_actions` (the item's roll-up follows)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import services
from ..imports.actions import ActionResource
from ..models import Action, ActionUpdate
from .base import TimelineAdmin, TimelineInline
from .tracked import TrackedItemAdmin


class ActionUpdateInline(TimelineInline):
    model = ActionUpdate


@admin.register(Action)
class ActionAdmin(TrackedItemAdmin):
    resource_classes = [ActionResource]
    list_display = ("key", "title", "status", "verification", "owner", "due", "progress", "freshness_shown",
                    "is_public")
    list_display_links = ("key", "title")
    list_filter = ("status", "verification", "meeting", "is_public", "due_date")
    list_select_related = ("meeting", "owner")
    search_fields = ("title", "description", "owner__username")
    search_help_text = _("Words of the title or description, an owner's username, or an action's key "
                         "(2010/2.1/1/a1).")
    autocomplete_fields = ("owner", "responsible_actors")
    filter_horizontal = ()
    readonly_fields = ("key", "created", "updated", "verification")
    inlines = [ActionUpdateInline]
    fieldsets = [
        (None, {"fields": ("key", "title", "description", "weight", "is_public")}),
        (_("Follow-up"), {"fields": ("verification", *TrackedItemAdmin.follow_up_fields)}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_parents()

    def get_search_results(self, request, queryset, search_term):
        """The words of the texts, or an action by its key."""
        found, duplicates = admin.ModelAdmin.get_search_results(self, request, queryset, search_term)
        try:
            action = Action.get_by_lineage_key(search_term.strip())
        except (ValueError, Action.DoesNotExist):
            return found, duplicates
        return found | queryset.filter(pk=action.pk), duplicates

    @admin.display(description=_("Action"))
    def key(self, obj):
        return obj.lineage_key() if obj.pk else ""

    @admin.display(description=_("Freshness"))
    def freshness_shown(self, obj):
        state = obj.freshness
        return state.label if state else "—"

    # Added under their item (its page, or an import), which numbers them: not here.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def get_deleted_objects(self, objs, request):
        """An action goes with its timeline (`services.delete_actions`), which nobody deletes by hand: the
        timeline's own permission is not asked for."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed - {ActionUpdate._meta.verbose_name}, protected

    def delete_model(self, request, obj):
        services.delete_actions([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        services.delete_actions(queryset, by=request.user)


class ActionTimelineAdmin(TimelineAdmin):
    list_select_related = ("item", "author")


admin.site.register(ActionUpdate, ActionTimelineAdmin)
