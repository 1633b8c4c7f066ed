"""People in the admin: Django's user and group admins with the tracker's rules, one section each."""

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from recommendations.models import TrackedItem

from .accounts import InvitationForm, send_invitations
from .admin_lists import SelectionMixin
from .roles import ADMINISTRATOR, DOMAIN_APPS, ROLES, give_role

User = get_user_model()


def records_naming(users):
    """["3 recommendations", "12 recommendation updates", ...]: the rows of the tracker's data
    (items, timeline entries, change history) that name any of `users`, counted by model."""
    pks = [user.pk for user in users]
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        naming = Q()
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                naming |= Q(**{f"{field.attname}__in": pks})
        count = model._default_manager.filter(naming).count() if naming else 0
        if count:
            opts = model._meta
            found.append(f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}")
    return found


class PermissionsField(forms.ModelMultipleChoiceField):
    """A role's or a person's permissions named in the reader's language. Django stores a permission's name in
    English when it makes it ("Can add follow-up item update"); the label is made anew from its model and its
    action instead: « Recommandations | Mise à jour d’élément de suivi | Peut ajouter : mise à jour… »."""

    ACTIONS = {"add": gettext_lazy("Can add %(kind)s"), "change": gettext_lazy("Can change %(kind)s"),
               "delete": gettext_lazy("Can delete %(kind)s"), "view": gettext_lazy("Can view %(kind)s")}

    def label_from_instance(self, permission):
        model = permission.content_type.model_class()
        action = permission.codename.partition("_")[0]
        if model is None or permission.codename != f"{action}_{model._meta.model_name}" or action not in self.ACTIONS:
            return super().label_from_instance(permission)  # a permission of another kind: its stored name
        kind = str(model._meta.verbose_name)
        if original := getattr(model, "instance_type", None):  # django-simple-history's record of a model's changes
            kind = pgettext("a permission's model", "%(kind)s (history)") % {"kind": original._meta.verbose_name}
        return " | ".join([str(model._meta.app_config.verbose_name), capfirst(kind),
                           self.ACTIONS[action] % {"kind": kind}])


class TranslatedPermissionsMixin:
    """The permissions' boxes of the user and group pages (Django's `formfield_for_manytomany` hook)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionsField
            kwargs["queryset"] = kwargs.get("queryset", db_field.remote_field.model.objects).select_related(
                "content_type")
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


class TrackerUserAdmin(TranslatedPermissionsMixin, SelectionMixin, UserAdmin):
    # --- "Add user" invites: who, and a role; they choose their password from the mailed link

    add_form = InvitationForm
    add_form_template = "admin/auth/user/invitation_form.html"
    add_fieldsets = ((None, {"fields": ("username", "first_name", "last_name", "email", "role")}),)
    actions = ["send_invitation_again"]

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "invitation_days": settings.INVITATION_DAYS}
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            give_role(obj, form.cleaned_data["role"])
            self.report_invitations(request, *send_invitations([obj], by=request.user))

    @admin.action(description=gettext_lazy("Send the invitation again"), permissions=["add"])
    def send_invitation_again(self, request, queryset):
        self.report_invitations(request, *send_invitations(queryset.order_by("username"), by=request.user))

    def report_invitations(self, request, sent, problems):
        if sent:
            message = ngettext("Invitation sent to %(names)s.", "Invitations sent to %(names)s.", len(sent))
            self.message_user(request, message % {"names": ", ".join(sent)}, messages.SUCCESS)
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    # --- only a superuser grants power (superuser status, the administrator role, a user's own
    # permissions, the roles themselves) or changes a superuser

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return (*fields, "is_superuser", "user_permissions")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and not request.user.is_superuser:
            return type("InvitationByAdministrator", (form,), {"roles": tuple(r for r in ROLES if r != ADMINISTRATOR)})
        if request.user.is_superuser or "groups" not in form.base_fields:
            return form

        class NoAdministratorGrant(form):
            def clean_groups(self):
                groups = self.cleaned_data["groups"]
                had = set(self.instance.groups.all()) if self.instance.pk else set()
                if any(g.name == ADMINISTRATOR and g not in had for g in groups):
                    raise ValidationError(_("Only a superuser can give the administrator role."))
                return groups

        return NoAdministratorGrant

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # their password, too: taking over a superuser's account is becoming one
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    # --- nobody who appears in the record is deleted (the record would lose or misname them): deactivate them

    def get_deleted_objects(self, objs, request):
        """The delete pages refuse users who appear in the record, and say where (the templates say what
        to do instead): counted, not listed, as a user may have written thousands of entries."""
        naming = records_naming(objs)
        if naming:
            return [], {}, set(), naming
        return super().get_deleted_objects(objs, request)

    # --- editors pick an item's owner by name (autocomplete) among its possible owners, and see nothing else

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

    def get_search_fields(self, request):
        if self.owner_search(request) is not None:
            return ("username", "first_name", "last_name")  # not their email: editors see names only
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        model = self.owner_search(request)
        if model is not None:
            queryset = queryset.filter(pk__in=model.possible_owners().values("pk"))
        return queryset, may_have_duplicates


class TrackerGroupAdmin(TranslatedPermissionsMixin, SelectionMixin, GroupAdmin):
    """The roles (`setup_roles`): what each may do, and their names, are a superuser's to change."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.register(User, TrackerUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, TrackerGroupAdmin)
