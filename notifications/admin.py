from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import DigestRecipient, Notification, Preference, SentMessage, readers


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What each person was told, and whether e-mail carried it: read only (services.notify writes them)."""

    list_display = ["subject", "recipient", "kind", "created_at", "read_at", "email_state", "sent_at"]
    list_filter = ["kind", "email_state"]
    search_fields = ["subject", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    """The record of what was e-mailed (append-only)."""

    list_display = ["subject", "recipient", "sent_at", "notification_count", "message_id"]
    search_fields = ["subject", "recipient__username", "recipient__email", "message_id"]
    list_select_related = ["recipient"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]


EDITS_ITEMS = "recommendations.change_recommendation"


@admin.register(DigestRecipient)
class DigestRecipientAdmin(admin.ModelAdmin):
    """Who gets the weekly report for the Steering Group: chosen by an editor (added and removed, never changed)."""

    list_display = ["user", "email", "added_by", "added_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user", "added_by"]
    fields = ["user"]

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, recipient):
        return recipient.user.email

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":  # those the report may go to (clean() says so of anyone else)
            kwargs["queryset"] = readers().order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)

    # Editors choose them: their role holds no permission of this app, so the editing permission decides.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm(EDITS_ITEMS)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False
