"""Personal API tokens in the admin (administrators): make one for a user (its token shown once, on the page that
follows, never stored), rename it, change its expiry, revoke it (delete)."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from knox.models import get_digest_token
from knox.settings import CONSTANTS, knox_settings

from .models import ApiToken


class NewTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("user", "name", "expiry")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expiry"].initial = timezone.now() + knox_settings.TOKEN_TTL
        self.token = None

    def save(self, commit=True):
        token = super().save(commit=False)
        token.digest, self.token = get_digest_token()
        token.token_key = self.token[:CONSTANTS.TOKEN_KEY_LENGTH]
        if commit:
            token.save()
        return token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "token_key", "created", "expiry")
    search_fields = ("name", "user__username")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = NewTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ("user", "name", "expiry") if obj is None else ("user", "name", "token_key", "created", "expiry")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("user", "token_key", "created")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        request.new_api_token = getattr(form, "token", None)  # this request's, never the admin's (threads)

    def response_add(self, request, obj, post_url_continue=None):
        """The token once, on this page (not in a message: messages may travel in a cookie)."""
        return TemplateResponse(request, "admin/api/apitoken/created.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "token": obj, "secret": request.new_api_token,
            "title": gettext("API token for %(user)s") % {"user": obj.user}})
