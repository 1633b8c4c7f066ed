"""The names a `NameInput` box offers as one types (a `NameFilter`, the update form's new owner)."""

from django.contrib.auth import get_permission_codename
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse

from gfmd_tracker.portal import is_public

from ..filters import POSSIBLE_OWNERS, NameFilter

LIMIT = 20
OWNERS = ("owner", POSSIBLE_OWNERS)  # people's names: never offered to the public


def names(request, filterset, field):
    """`{"names": [...]}`: up to LIMIT names of `filterset`'s `NameFilter` called `field` (or of the
    possible owners) that start with `?q=`, in order, for those who may read the list; the public gets
    the names of actors (its filters), never of people."""
    model = filterset.Meta.model
    if is_public(request):
        if field in OWNERS:
            return redirect_to_login(request.get_full_path())
    elif not request.user.has_perm(f"{model._meta.app_label}.{get_permission_codename('view', model._meta)}"):
        raise PermissionDenied
    if field == POSSIBLE_OWNERS:  # the accounts that may edit: for those who may log updates themselves
        if not model().can_log_update(request.user):
            raise PermissionDenied
        queryset, name = model.possible_owners(), "username"
    elif isinstance(filterset.base_filters.get(field), NameFilter):
        queryset, name = filterset.base_filters[field].queryset, filterset.base_filters[field].extra["to_field_name"]
    else:
        raise Http404
    typed = request.GET.get("q", "").strip()
    found = queryset.filter(**{f"{name}__istartswith": typed}).order_by(name).values_list(name, flat=True)
    return JsonResponse({"names": list(found[:LIMIT])})
