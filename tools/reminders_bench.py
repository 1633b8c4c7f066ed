"""The bench row "send_reminders, a full run" (issue #21): `manage.py send_reminders` run as cron runs it, in a
process of its own, against a local SMTP server that accepts and discards every message (aiosmtpd, started here),
timed, with its peak resident memory as the kernel counts it. The synthetic data's 500 users own most items and
actions, whose due dates lie years back: every owner gets one message holding their overdue and stale items, the
benchmark's editor the escalations, and one recipient the weekly report. What the run made and sent (the
reminders' ledger too) is deleted afterwards, so that the next run of the bench measures the same work."""

import os
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max

from notifications.models import DigestRecipient, Notification, Reminder, SentMessage

TARGET_SECONDS, TARGET_MB = 60, 300


class Discard:
    """An SMTP server's handler that accepts every message, keeps none, and counts them."""

    def __init__(self):
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 Message accepted for delivery"


def last_pk(model):
    return model.objects.aggregate(last=Max("pk"))["last"] or 0


def run_send_reminders(port):
    """(seconds, peak RSS in MB, output) of one `send_reminders` in a process of its own."""
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "manage.py", "send_reminders"], cwd=settings.BASE_DIR, env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)  # the child's own resource use, peak memory included
        elapsed = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode()
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"send_reminders failed: {text[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, text  # Linux counts it in KiB


def measure_reminders():
    import logging

    from aiosmtpd.controller import Controller

    from tools.bench import Result, free_port  # the table's row (bench imports this module)

    reader = get_user_model().objects.filter(username__startswith="scale-user-").order_by("pk").first()
    recipient, added = DigestRecipient.objects.get_or_create(user=reader) if reader else (None, False)
    notifications, messages, reminders = last_pk(Notification), last_pk(SentMessage), last_pk(Reminder)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    handler = Discard()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        elapsed, peak, _ = run_send_reminders(controller.port)
    finally:
        controller.stop()
        made = Notification.objects.filter(pk__gt=notifications)
        count, sent = made.count(), SentMessage.objects.filter(pk__gt=messages).count()
        reminded = Reminder.objects.filter(pk__gt=reminders).count()
        made.delete()
        SentMessage.objects.filter(pk__gt=messages).delete()
        Reminder.objects.filter(pk__gt=reminders).delete()
        if added:
            recipient.delete()
    return Result(
        "send_reminders, a full run", note=f"{reminded:,} items reminded in {count:,} notifications, {sent:,} "
        f"messages sent ({handler.messages:,} received by the SMTP sink), in {elapsed:.1f} s; peak RSS {peak:,.0f} MB",
        target=f"≤ {TARGET_SECONDS} s, ≤ {TARGET_MB} MB RSS",
        met=elapsed <= TARGET_SECONDS and peak <= TARGET_MB and sent == handler.messages > 0)
