from django import template

from notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/partials/bell.html", takes_context=True)
def bell(context):
    """The header's link to the notifications page with the unread count: one COUNT query, signed in only."""
    user = context.get("user")
    signed_in = getattr(user, "is_authenticated", False)
    unread = Notification.objects.filter(recipient=user).unread().count() if signed_in else 0
    return {"user": user, "unread": unread}
