"""One e-mail for one recipient's notifications: plain-text and HTML parts from templates
(notifications/email/digest.txt and .html), grouped by kind, each kind with its unsubscribe link, and the
List-Unsubscribe headers (RFC 2369, and RFC 8058's one-click POST) for every kind in it."""

from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Kind
from .unsubscribe import in_order, unsubscribe_url

SITE_NAME = "GFMD Tracker"


def subject_for(notifications, more=0):
    if len(notifications) == 1 and not more:
        return notifications[0].subject
    return f"{len(notifications) + more} notifications from the {SITE_NAME}"


def groups(user, notifications):
    """[{kind label, its unsubscribe link, its notifications}] in the order of Kind."""
    kinds = in_order(n.kind for n in notifications)
    return [{"label": Kind(kind).label, "unsubscribe_url": unsubscribe_url(user, [kind]),
             "notifications": [n for n in notifications if n.kind == kind]} for kind in kinds]


def compose(user, notifications, more=0):
    """The message carrying `notifications` (all to `user`, oldest first) to the user's address; `more`: how many
    others it counts without listing them (they are on the notifications page)."""
    kinds = in_order(n.kind for n in notifications)
    context = {
        "site_name": SITE_NAME, "site_url": settings.SITE_URL, "user": user,
        "groups": groups(user, notifications), "count": len(notifications) + more, "more": more,
        "unsubscribe_url": unsubscribe_url(user, kinds),
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        "inbox_url": settings.SITE_URL + reverse("notifications:list"),
    }
    headers = {
        "Message-ID": make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost"),
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies to it
    }
    message = EmailMultiAlternatives(
        subject=subject_for(notifications, more),
        body=render_to_string("notifications/email/digest.txt", context),
        to=[formataddr((user.get_full_name(), user.email))],
        headers=headers,
    )
    message.attach_alternative(render_to_string("notifications/email/digest.html", context), "text/html")
    return message
