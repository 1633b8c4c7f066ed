"""The "API tokens" page: a signed-in user creates personal tokens (shown once, when made: only a digest is kept)
and revokes them. Administrators do the same in the admin (admin.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name", help_text="What will use it, e.g. \"Mexico's reporting "
                                                                   "system\": you see it here, never the token.")


@login_required
def tokens(request):
    """Your tokens; a posted name makes one, shown on this answer only."""
    form, created = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        _, created = ApiToken.objects.create(request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    response = render(request, "api/tokens.html", {"form": form, "created": created,
                                                   "tokens": request.user.auth_token_set.all()})
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def revoke(request):
    revoked = request.user.auth_token_set.filter(pk=request.POST.get("token", "")).first()
    if revoked is None:
        messages.error(request, "You have no such token; nothing was revoked.")
    else:
        revoked.delete()
        messages.success(request, f"Revoked “{revoked.name}”: it no longer opens the API.")
    return redirect("api:tokens")
