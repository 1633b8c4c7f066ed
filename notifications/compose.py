"""One e-mail for one recipient's notifications: plain-text and HTML parts from templates
(notifications/email/digest.txt and .html), grouped by kind, each kind with its unsubscribe link, and the
List-Unsubscribe headers (RFC 2369, and RFC 8058's one-click POST) for every kind in it. In its recipient's language:
their profile's, else the site's (LANGUAGE_CODE), whoever or whatever sends it."""

from email.utils import formataddr, make_msgid
from itertools import islice
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from gfmd_tracker.languages import OFFERED, preferred
from gfmd_tracker.models import Profile

from .models import Kind
from .unsubscribe import in_order, unsubscribe_url

SITE_NAME = "GFMD Tracker"


# The most entries of one kind that one message lists (a reminder's items, each; any other notification, itself); it
# counts the others, which are on the notifications page. A person's first reminders can be a thousand items (about
# 450 bytes each, listed): a message the server refuses at every run, or that nobody reads to its end; and a long
# list of one kind would bury the others. A reminder notification lists at most as many (reminders.py).
LISTED = 50


def subject_for(groups, count):
    if count == 1:
        return groups[0]["notifications"][0]["subject"]
    return ngettext("%(count)s notification from the %(site_name)s", "%(count)s notifications from the %(site_name)s",
                    count) % {"count": count, "site_name": SITE_NAME}


def entries(notifications):
    """What a message lists of `notifications`: each reminder's items, any other notification itself, as
    {subject, text, link}."""
    for notification in notifications:
        itself = {"subject": notification.subject, "text": notification.text, "url": notification.url}
        for item in notification.items or [itself]:
            yield {"subject": item["subject"], "text": item["text"], "link": settings.SITE_URL + item["url"]}


def groups(user, listed, counts):
    """[{kind label, its unsubscribe link, its first LISTED entries ("notifications"), how many in all, how many
    more}] in the order of Kind."""
    found = []
    for kind in in_order(counts):
        told = list(islice(entries(n for n in listed if n.kind == kind), LISTED))
        found.append({"label": Kind(kind).label, "unsubscribe_url": unsubscribe_url(user, [kind]),
                      "notifications": told, "count": counts[kind], "more": counts[kind] - len(told)})
    return found


def language_of(user):
    """The language of `user`'s mail: their profile's (read with the user as `profile_language` by a run that sends
    many, else asked here), else the site's."""
    language = user.profile_language if hasattr(user, "profile_language") else preferred(user)
    return language if language in OFFERED else settings.LANGUAGE_CODE


def languages_of(user_ids):
    """{user id: the language of their notifications} (`language_of`) for each of `user_ids`, in one query: the
    words of a notification are stored, so they are built in their recipient's language when it is made."""
    chosen = dict(Profile.objects.filter(user__in=list(user_ids)).values_list("user_id", "language"))
    return {user_id: chosen.get(user_id) if chosen.get(user_id) in OFFERED else settings.LANGUAGE_CODE
            for user_id in user_ids}


def compose(user, listed, counts):
    """The message telling `user` of their notifications: `counts` ({kind: how many entries}), and the `listed`
    ones (of each kind those holding the first LISTED entries, oldest first; the others are counted), in their
    language."""
    with translation.override(language_of(user)):
        return composed(user, listed, counts)


def composed(user, listed, counts):
    kinds = in_order(counts)
    context = {
        "site_name": SITE_NAME, "site_url": settings.SITE_URL, "user": user,
        "groups": groups(user, listed, counts), "count": sum(counts.values()),
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
        subject=subject_for(context["groups"], context["count"]),
        body=render_to_string("notifications/email/digest.txt", context),
        to=[formataddr((user.get_full_name(), user.email))],
        headers=headers,
    )
    message.attach_alternative(render_to_string("notifications/email/digest.html", context), "text/html")
    return message
