"""Signed unsubscribe links: a user and the kinds of e-mail the link stops. They never expire (a mail may be
read months later); changing SECRET_KEY voids them all."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from .models import Kind

SALT = "notifications.unsubscribe"


class BadToken(Exception):
    """The link was not made by this site, was cut short, or names nobody or no kind we have."""


def in_order(kinds):
    """The kinds in the order of `Kind`, each once."""
    kinds = set(kinds)
    return [kind for kind in Kind.values if kind in kinds]


def unsubscribe_token(user, kinds):
    return signing.dumps([user.pk, in_order(kinds)], salt=SALT, compress=True)


def unsubscribe_url(user, kinds):
    """The absolute address (SITE_URL) that stops e-mails of `kinds` to `user`: GET asks, POST does it."""
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kinds)])


def read_token(token):
    """(user, kinds) named by a token; BadToken if it is not one of ours or names nothing."""
    try:
        user_id, kinds = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise BadToken(str(error)) from error
    user = get_user_model().objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    named = isinstance(kinds, list) and kinds and all(isinstance(kind, str) for kind in kinds)
    if user is None or not named or in_order(kinds) != kinds:
        raise BadToken("The link names nobody, or no kind of e-mail.")
    return user, kinds
