import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Max, Sum
from django.utils import timezone

from notifications.digest import make_weekly_digest
from notifications.mail import send_due
from notifications.models import Kind, Notification
from notifications.reminders import make_reminders
from notifications.saved_views import saved_view_notes
from notifications.services import notify


def start_of_yesterday(now):
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(now) - datetime.timedelta(days=1),
                                                         datetime.time.min))


class Command(BaseCommand):
    help = ("Remind owners of their items and actions due within 30 and 7 days, overdue or stale; escalate items "
            "overdue by ESCALATE_AFTER_DAYS to the editors; tell the followers of saved views what changed in them "
            "since yesterday; make the weekly report for the Steering Group (once a "
            "week); then e-mail what is due, one message per person. Run it from cron or a systemd timer (README); "
            "a second run makes and sends nothing new. Exits with 1 if any message could not be sent (it waits for "
            "the next run).")

    def handle(self, *args, **options):
        now = timezone.now()
        before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        make_reminders(now)
        make_weekly_digest(now)
        # The followed saved views: what changed in each since the start of yesterday (one note per day and view).
        notify(Kind.ITEM_CHANGED, saved_view_notes(start_of_yesterday(now)))
        made = {kind: (n, items) for kind, n, items in Notification.objects.filter(pk__gt=before).order_by()
                .values_list("kind").annotate(n=Count("pk"), items=Sum("item_count")).values_list("kind", "n", "items")}
        for kind in Kind:
            n, items = made.get(kind, (0, 0))
            if n:  # a reminder tells of several items
                of = f" ({items} items)" if items > n else ""
                self.stdout.write(f"Made {n} notification{'s' if n != 1 else ''}: {kind.label}{of}")
        self.stdout.write(f"{sum(n for n, _ in made.values())} notification(s) made.")
        outcome = send_due(now)
        for address, count in outcome.sent:
            self.stdout.write(f"Sent {count} notification{'s' if count != 1 else ''} to {address}")
        self.stdout.write(f"{len(outcome.sent)} message(s) sent; {outcome.held_back} notification(s) kept in the "
                          "app only (no address, or no e-mail of that kind).")
        if outcome.errors:
            raise CommandError("\n".join(outcome.errors))
