from django.core.management.base import BaseCommand, CommandError

from notifications.mail import send_due


class Command(BaseCommand):
    help = ("E-mail every notification that is due by its recipient's preference: one message per recipient, "
            "over one SMTP connection. Exits with 1 if any message could not be sent (it waits for the next run).")

    def handle(self, *args, **options):
        outcome = send_due()
        for address, count in outcome.sent:
            self.stdout.write(f"Sent {count} notification{'s' if count != 1 else ''} to {address}")
        self.stdout.write(f"{len(outcome.sent)} message(s) sent; {outcome.held_back} notification(s) kept in the "
                          "app only (no address, or no e-mail of that kind).")
        if outcome.errors:
            raise CommandError("\n".join(outcome.errors))
