"""The "API tokens" page: a signed-in user creates personal tokens (shown once, when made: only a digest is kept)
and revokes them. Administrators do the same in the admin (admin.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label=gettext_lazy("Name"), help_text=gettext_lazy(
        "What will use it, e.g. \"Mexico's reporting system\": you see it here, never the token."))


SHOWN = "api_new_token"  # the session's key for a token just made, until the page has shown it once


@login_required
def tokens(request):
    """Your tokens; a posted name makes one and redirects here (POST/redirect/GET: a reload makes no other),
    where the new token is shown once, taken from the session as it is shown."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, request.session[SHOWN] = ApiToken.objects.create(request.user, name=form.cleaned_data["name"])
        return redirect("api:tokens")
    response = render(request, "api/tokens.html", {"form": form, "created": request.session.pop(SHOWN, None),
                                                   "tokens": request.user.auth_token_set.all()})
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def revoke(request):
    """Revokes one of your tokens, named by its first characters (`token_key`, shown on the page), never by its
    digest (the page holds nothing a token could be checked against)."""
    found = list(request.user.auth_token_set.filter(token_key=request.POST.get("token", ""))[:2])
    if len(found) != 1:
        messages.error(request, gettext("You have no such token; nothing was revoked."))
    else:
        found[0].delete()
        messages.success(request, gettext("Revoked “%(name)s”: it no longer opens the API.") % {"name": found[0].name})
    return redirect("api:tokens")
