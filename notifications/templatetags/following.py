from django import template

from notifications.models import Follow

register = template.Library()


@register.inclusion_tag("notifications/partials/follow_button.html", takes_context=True)
def follow_button(context, target):
    """Follow or Unfollow `target` (an item, an actor), back to this page: signed in only, one query."""
    user, request = context.get("user"), context.get("request")
    if not getattr(user, "is_authenticated", False):
        return {"shown": False}
    followed = Follow.objects.of(target).filter(user=user).exists()
    return {"shown": True, "kind": target._meta.model_name, "pk": target.pk, "followed": followed,
            "next": request.get_full_path() if request else "", "csrf_token": context.get("csrf_token"),
            "what": str(target)}
