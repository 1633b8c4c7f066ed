from django.contrib import admin

from .models import Notification, Preference, SentMessage


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
