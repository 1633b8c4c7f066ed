"""Accounts (issue #21): password reset by e-mail, invitations with a role, and the profile page.

- Password reset: Django's own views with the site's templates; the mail (text and HTML) links from SITE_URL,
  never from the request's Host. Requests are limited per client address and per e-mail address
  (PASSWORD_RESET_RATE); over either, the same "sent" page and no mail, as for an address nobody has.
- Invitations: the admin's "Add user" (`InvitationForm`) makes the account with a role and no usable password,
  and `send_invitations` mails a link (`invitation_tokens`, valid INVITATION_DAYS, once) to the page that sets
  the first password and signs the person in (`InvitationView`).
- The profile: one's own name and e-mail address, the role read-only.
"""

import logging
from email.utils import formataddr

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from notifications.compose import SITE_NAME

from . import languages
from .roles import ADMINISTRATOR, EDITOR, ROLES, STAFF, VIEWER
from .security import client_ip

User = get_user_model()
log = logging.getLogger(__name__)
# Who signs in through the invitation's page (axes' backend only refuses, it never authenticates).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def mail_context():
    return {"site_name": SITE_NAME, "site_url": settings.SITE_URL}


def unique_email(address, user):
    """`address`, normalised, if no other account has it (compared without case); empty is allowed."""
    address = User.objects.normalize_email(address)
    if address and User.objects.filter(email__iexact=address).exclude(pk=user.pk).exists():
        raise ValidationError(_("Another account has this e-mail address: give another one."))
    return address


# --- password reset

def counted(request, group, value):
    """Counts one request under (group, value) in Django's cache; whether it is over PASSWORD_RESET_RATE."""
    usage = get_usage(request, group=group, key=lambda group, request: value, rate=settings.PASSWORD_RESET_RATE,
                      increment=True)
    return bool(usage and usage["should_limit"])


def reset_limited(request, address):
    """Whether this request is over the limit for its client address or for the e-mail address (both count)."""
    by_client = counted(request, "password-reset:client", client_ip(request))
    by_address = counted(request, "password-reset:address", address.casefold())
    return by_client or by_address


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the site's templates and the link from SITE_URL; over the limit, the same page, no mail."""

    template_name = "registration/reset_password.html"
    subject_template_name = "registration/reset_password_subject.txt"
    email_template_name = "registration/reset_password_email.txt"
    html_email_template_name = "registration/reset_password_email.html"

    def form_valid(self, form):
        if reset_limited(self.request, form.cleaned_data["email"]):
            log.warning("Password reset over the limit (%s) from %s: no mail sent", settings.PASSWORD_RESET_RATE,
                        client_ip(self.request))
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = mail_context()
        return super().form_valid(form)


# --- invitations

class InvitationTokens(PasswordResetTokenGenerator):
    """Django's reset tokens under a salt of their own (a reset link is no invitation, nor the reverse), valid
    INVITATION_DAYS instead of PASSWORD_RESET_TIMEOUT. Used once: setting the password changes the password
    and the last login they are made from; so does each new invitation (a new unusable password), and
    deactivating the account."""

    key_salt = "gfmd_tracker.accounts.InvitationTokens"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            made = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - made > settings.INVITATION_DAYS * 24 * 60 * 60:
            return False
        return any(constant_time_compare(self._make_token_with_timestamp(user, made, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks])


invitation_tokens = InvitationTokens()

ROLE_CHOICES = {
    VIEWER: _("Viewer: reads everything, runs and exports reports"),
    STAFF: _("Staff: also logs updates, takes items and actions nobody owns"),
    EDITOR: _("Editor: also changes any item, assigns owners, verifies closures, uses the admin"),
    ADMINISTRATOR: _("Administrator: also manages users and settings (a superuser)"),
}


class InvitationForm(forms.ModelForm):
    """The admin's "Add user": who the person is and their role; no password (they choose it from the
    invitation). `roles`: those the person adding may give (only a superuser gives the administrator role)."""

    roles = ROLES
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect,
                             help_text=_("The group they join, and whether they use the admin: editors and "
                                         "administrators do."))

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The invitation is sent here.")
        self.fields["role"].choices = [(role, ROLE_CHOICES[role]) for role in self.roles]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("A user with that username already exists."))
        return username

    def clean_email(self):
        return unique_email(self.cleaned_data["email"], self.instance)

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


def why_not_invited(user):
    """Why `user` cannot be sent an invitation, or None if they can."""
    if user.has_usable_password():
        return _("has a password already (they can reset it from the login page)")
    if not user.is_active:
        return _("is not active")
    if not user.email:
        return _("has no e-mail address")
    return None


def send_invitation(user, *, by):
    """Mails `user` a link to set their password (valid INVITATION_DAYS, once); the links of earlier invitations
    stop working. If the mail server fails, it raises and nothing changed. In the invitee's language if their profile
    names one (invited again), else in the inviter's: this request's."""
    with transaction.atomic(), translation.override(languages.preferred(user) or translation.get_language()):
        user.set_unusable_password()
        user.save(update_fields=["password"])
        link = reverse("invitation", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                           invitation_tokens.make_token(user)])
        context = {**mail_context(), "user": user, "by": by, "days": settings.INVITATION_DAYS,
                   "roles": list(user.groups.order_by("name").values_list("name", flat=True)),
                   "link": settings.SITE_URL + link, "login_url": settings.SITE_URL + reverse("login")}
        message = EmailMultiAlternatives(
            subject=_("Your account on the %(site_name)s") % {"site_name": SITE_NAME},
            body=render_to_string("registration/invitation_email.txt", context),
            to=[formataddr((user.get_full_name(), user.email))],
        )
        message.attach_alternative(render_to_string("registration/invitation_email.html", context), "text/html")
        message.send()


def send_invitations(users, *, by):
    """Sends each of `users` who may be invited an invitation; returns ([usernames sent to], [problems])."""
    sent, problems = [], []
    for user in users:
        reason = why_not_invited(user)
        if reason:
            problems.append(_("No invitation to %(username)s: %(reason)s.") % {"username": user.username,
                                                                                 "reason": reason})
            continue
        try:
            send_invitation(user, by=by)
        except OSError as error:  # smtplib's errors included
            log.error("Invitation to %s not sent: %r", user.username, error)
            problems.append(_("The invitation to %(username)s could not be sent (%(error)s); nothing changed: "
                              "try Send the invitation again later.") % {"username": user.username, "error": error})
        else:
            sent.append(user.username)
    return sent, problems


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the person chooses a password and is signed in. An expired or used link gets a
    page saying to ask for a new invitation, and changes nothing."""

    template_name = "registration/invitation.html"
    token_generator = invitation_tokens
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome: your password is set and you are signed in."))
        return response


# --- the profile

class ProfileForm(forms.ModelForm):
    """One's name and e-mail address, and the language of one's pages (each language in its own name). A new
    address needs the current password: the address is where a password reset goes, so whoever holds a session
    left open must not be able to take the account with it."""

    language = forms.ChoiceField(label=_("Language of the pages"), required=False,
                                 choices=[("", _("Your browser's language")), *settings.LANGUAGES])
    current_password = forms.CharField(
        label=_("Your current password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed only to change your e-mail address."))

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email")

    def clean_email(self):
        return unique_email(self.cleaned_data["email"], self.instance)

    def clean(self):
        cleaned = super().clean()
        changed = "email" in cleaned and cleaned["email"].lower() != self.initial.get("email", "").lower()
        if changed and not self.instance.check_password(cleaned.get("current_password") or ""):
            self.add_error("current_password", _("To change your e-mail address, give your current password."))
        return cleaned


@login_required
def profile(request):
    """One's own name, e-mail address and language (never anyone else's); the role, read-only."""
    # A copy of the signed-in user: a refused form must not rename the page's header.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk),
                       initial={"language": languages.preferred(request.user)})
    if request.method == "POST" and form.is_valid():
        form.save()
        language = form.cleaned_data["language"]
        languages.save_preferred(request, language)
        if language:
            translation.activate(language)  # the message in the language just chosen
        messages.success(request, gettext("Your profile is saved."))
        response = redirect("profile")
        if not language:  # the browser's: the switcher's earlier choice goes too
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
                                   domain=settings.LANGUAGE_COOKIE_DOMAIN)
        return response
    return render(request, "gfmd_tracker/profile.html", {"form": form})
