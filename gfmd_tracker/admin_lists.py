"""The rows an admin action is posted with, checked before Django reads them."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class SelectionMixin:
    """For a ModelAdmin with actions: rows posted with ids no row can have (a crafted form)
    select nothing, with Django's own message."""

    def response_action(self, request, queryset):
        try:
            for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                self.model._meta.pk.to_python(pk)
        except ValidationError:  # Django's filter would raise a ValueError: a server error
            self.message_user(request, _("Items must be selected in order to perform actions on them. No items have "
                                         "been changed."), messages.WARNING)
            return None  # the changelist then shows itself again
        return super().response_action(request, queryset)
