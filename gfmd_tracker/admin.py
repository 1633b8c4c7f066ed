"""People in the admin: Django's user and group admins with the tracker's rules.

- Editors find an item's owner by name in the admin (autocomplete) among the users who
  may own it, and see nothing else of the users.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from recommendations.models import TrackedItem

User = get_user_model()


class TrackerUserAdmin(UserAdmin):
    # --- editors pick an item's owner by name

    def owner_search(self, request):
        """The tracked item whose owner the admin's autocomplete is looking up, or None."""
        match = request.resolver_match
        if match is None or match.url_name != "autocomplete" or request.GET.get("field_name") != "owner":
            return None
        try:
            model = apps.get_model(request.GET.get("app_label", ""), request.GET.get("model_name", ""))
        except (LookupError, ValueError):
            return None
        return model if issubclass(model, TrackedItem) else None

    def has_view_permission(self, request, obj=None):
        model = self.owner_search(request)
        if obj is None and model is not None and request.user.has_perm(
                f"{model._meta.app_label}.change_{model._meta.model_name}"):
            return True  # names of possible owners only (get_search_results), for those who assign them
        return super().has_view_permission(request, obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        model = self.owner_search(request)
        if model is not None:
            queryset = queryset.filter(pk__in=model.possible_owners().values("pk"))
        return queryset, may_have_duplicates


admin.site.unregister(User)
admin.site.register(User, TrackerUserAdmin)
