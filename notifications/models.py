"""Notifications (what a person is told), the messages that carried them by e-mail, each person's choice
of delivery per kind of notification, and what people follow (items, actors, themes, saved views of lists)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ITEM_CHANGED = "item_changed", _("A followed item changed")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    STALE = "stale", _("No recent report")
    ESCALATION = "escalation", _("Overdue, escalated to editors")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly report for the Steering Group")


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    NONE = "none", _("No e-mail")


# Without a Preference row. Reminders go at once: each run of send_reminders already makes one digest a person.
DEFAULT_DELIVERY = {
    Kind.ITEM_CHANGED: Delivery.DAILY,
    Kind.DUE_SOON: Delivery.IMMEDIATELY,
    Kind.OVERDUE: Delivery.IMMEDIATELY,
    Kind.STALE: Delivery.IMMEDIATELY,
    Kind.ESCALATION: Delivery.IMMEDIATELY,
    Kind.WEEKLY_DIGEST: Delivery.WEEKLY,
}


class EmailState(models.TextChoices):
    PENDING = "pending", _("Not sent yet")
    SENT = "sent", _("Sent")
    NOT_SENT = "not_sent", _("Not sent: the recipient asked for no e-mail of this kind, or has no address")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def pending(self):
        return self.filter(email_state=EmailState.PENDING)

    def mark_read(self, now):
        return self.unread().update(read_at=now)

    def hold_back(self):
        """Pending notifications that no e-mail will carry become `not_sent`: their recipient has no address,
        is inactive, or chose no e-mail of that kind. Returns how many."""
        no_email = Preference.objects.filter(user=models.OuterRef("recipient"), kind=models.OuterRef("kind"),
                                             delivery=Delivery.NONE)
        unreachable = Q(recipient__email="") | Q(recipient__is_active=False) | models.Exists(no_email)
        return self.pending().filter(unreachable).update(email_state=EmailState.NOT_SENT)


class Notification(models.Model):
    """One thing a person is told. Shown in the app always; e-mailed as its recipient's preference says."""

    # No index of its own on either key: the constraint and indexes below lead with the recipient, and a message
    # is looked for by its notifications only when one is deleted (a rare SET NULL). Imports told to followers
    # write thousands of rows, then mark each sent: every index costs at each write (docs/performance.md).
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications",
                                  db_index=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Plain words of what happened: only what the recipient may read."))
    url = models.CharField(_("url"), max_length=500,
                           help_text=_("A path on this site, e.g. /recommendations/2010/2.1/3/."))
    key = models.CharField(_("key"), max_length=200,
                           help_text=_("Names the event, e.g. overdue:recommendation:45:2026-06-01; "
                                                       "one notification per recipient and key."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(_("email state"), max_length=10, choices=EmailState.choices,
                                   default=EmailState.PENDING)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    message = models.ForeignKey("SentMessage", verbose_name=_("message"), on_delete=models.SET_NULL, null=True,
                                blank=True,
                                related_name="notifications", db_index=False)
    # A reminder (reminders.py) tells of many items at once: the first LISTED as {"subject", "text", "url"}, and
    # how many in all. Other notifications tell of one thing: no items, a count of 0.
    items = models.JSONField(_("items"), default=list, blank=True)
    item_count = models.PositiveIntegerField(_("item count"), default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["recipient"], condition=Q(email_state="pending"), name="notification_pending"),
        ]

    def __str__(self):
        return self.subject

    @property
    def link(self):
        """The absolute address, for a mail (SITE_URL)."""
        return settings.SITE_URL + self.url

    @property
    def more(self):
        """How many of its items it counts without listing them."""
        return max(self.item_count - len(self.items), 0)


class Reminder(models.Model):
    """The ledger of reminders: one row per item a person was reminded of, by the item's key (e.g.
    "overdue:recommendation:45:2026-06-01": once per due date, or per latest update). What a run reminds is told
    in one notification per person and kind (reminders.py); this row is what keeps a second run from telling it
    again."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="reminders",
                                  db_index=False)  # the constraint leads with it
    key = models.CharField(_("key"), max_length=200)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="reminder_once_per_key")]

    def __str__(self):
        return self.key


class SentMessage(models.Model):
    """The record of one e-mail sent: written in the transaction that marks its notifications sent."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="sent_messages")
    subject = models.CharField(_("subject"), max_length=250)
    sent_at = models.DateTimeField(_("sent at"))
    message_id = models.CharField(_("message id"), max_length=250)
    notification_count = models.PositiveIntegerField(_("notification count"))
    # Which digests it was: a daily digest goes once a day, a weekly one once a week (mail.send_due).
    daily_digest = models.BooleanField(_("daily digest"), default=False)
    weekly_digest = models.BooleanField(_("weekly digest"), default=False)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("sent message")
        verbose_name_plural = _("sent messages")
        indexes = [models.Index(fields=["recipient", "-sent_at"], name="sentmessage_latest")]

    def __str__(self):
        return f"{self.subject} ({self.sent_at:%Y-%m-%d %H:%M})"


class PreferenceQuerySet(models.QuerySet):
    def deliveries(self, user_ids):
        """{user id: {kind: delivery}} for every kind, the defaults filled in."""
        chosen = {user_id: dict(DEFAULT_DELIVERY) for user_id in user_ids}
        for user_id, kind, delivery in self.filter(user_id__in=user_ids).values_list("user_id", "kind", "delivery"):
            chosen[user_id][kind] = delivery
        return chosen

    def choose(self, user, kind, delivery):
        """Sets one choice; the default is kept as no row, so that a changed default reaches those who never
        chose."""
        if delivery == DEFAULT_DELIVERY[kind]:
            self.filter(user=user, kind=kind).delete()
        else:
            self.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


class Preference(models.Model):
    """How a user wants notifications of one kind by e-mail (in the app they are always kept)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} — {self.get_delivery_display()}"


# A role that reads every item and its internal notes (viewer and up): what the weekly report shows.
READS_ITEMS = "recommendations.view_recommendation"


def readers():
    """The active users whose role reads the items (viewer and up; superusers)."""
    return get_user_model().objects.with_perm(READS_ITEMS, backend="django.contrib.auth.backends.ModelBackend")


class DigestRecipientQuerySet(models.QuerySet):
    def receiving(self):
        """Those who get the weekly report now: still active and still in a role that reads the items (one who
        lost it stays listed, and gets nothing)."""
        return self.filter(user__in=readers())


class DigestRecipient(models.Model):
    """A person who gets the weekly report for the Steering Group (digest.py), chosen by an editor."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="digest_recipient",
                                help_text=_("An active user whose role reads the items (a viewer account is enough)."))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.SET_NULL,
                                 null=True, blank=True,
                                 related_name="+", editable=False)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = DigestRecipientQuerySet.as_manager()

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("weekly report recipient")
        verbose_name_plural = _("weekly report recipients")

    def __str__(self):
        return str(self.user)

    def clean(self):
        if self.user_id and not readers().filter(pk=self.user_id).exists():
            raise ValidationError({"user": gettext(
                "%(user)s cannot get the weekly report: it goes to active users whose role reads the items (viewer, "
                "staff, editor or administrator).") % {"user": self.user}})
# What one may follow (issue #21): `Follow.target`'s kinds, by the name the follow addresses use.
FOLLOWABLE = {
    "recommendation": "recommendations.Recommendation",
    "followupitem": "recommendations.FollowUpItem",
    "project": "partnerships.Project",
    "action": "recommendations.Action",
    "actor": "recommendations.Actor",
    "theme": "recommendations.Theme",
    "savedview": "notifications.SavedView",
}


class FollowQuerySet(models.QuerySet):
    def of(self, target):
        """The follows of `target`; by its kind's name (a join), so that a page asks the same whether or not the
        content type is cached."""
        opts = target._meta
        return self.filter(target_type__app_label=opts.app_label, target_type__model=opts.model_name,
                           target_id=target.pk)

    def start(self, user, target):
        """`user` follows `target` (once, however often asked); returns whether this is new."""
        _, created = self.get_or_create(user=user, target_type=ContentType.objects.get_for_model(target),
                                        target_id=target.pk)
        return created


class Follow(models.Model):
    """A user follows an item, an actor, a theme or a saved view: its changes reach them (following.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="follows")
    target_type = models.ForeignKey(ContentType, verbose_name=_("target type"), on_delete=models.CASCADE,
                                    related_name="+")
    target_id = models.PositiveBigIntegerField(_("target id"))
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["target_type", "target_id"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["user", "target_type", "target_id"], name="follow_once")]
        indexes = [models.Index(fields=["target_type", "target_id"], name="follow_target")]

    def __str__(self):
        return f"{self.user} follows {self.target_type.model} {self.target_id}"

    @property
    def kind(self):
        """The name of the target's kind in the follow addresses ("recommendation", "theme", …)."""
        return self.target_type.model

    @property
    def address(self):
        return address_of(self.target)


class SavedViewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """One's own saved views and those shared with every signed-in colleague."""
        return self.filter(Q(owner=user) | Q(shared=True))


class SavedView(models.Model):
    """A list's filters saved under a name (`saved_views.py`): its path and query string."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                              related_name="saved_views")
    name = models.CharField(_("name"), max_length=100)
    path = models.CharField(_("path"), max_length=200, help_text=_("The list's path, e.g. /recommendations/."))
    query = models.CharField(_("query"), max_length=2000, blank=True,
                             help_text=_("Its filters, e.g. status=planned&theme=gender."))
    shared = models.BooleanField(_("shared"), default=False,
                                 help_text=_("Shown to every signed-in colleague, who may follow it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_once_per_owner")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.path}?{self.query}" if self.query else self.path


def address_of(target):
    """The page of a followed thing: an item's or a saved view's own, an actor's page, a theme's items."""
    if isinstance(target, models.Model) and target._meta.label == FOLLOWABLE["actor"]:
        return reverse("recommendations:actor", args=[target.pk])
    if isinstance(target, models.Model) and target._meta.label == FOLLOWABLE["theme"]:
        return f"{reverse('recommendations:list')}?theme={target.slug}"
    return target.get_absolute_url()
