"""What the tracker tells people, in the app and by e-mail (issue #21).

The building blocks, for whoever makes notifications (reminders, followed changes, the weekly digest):

- `services.notify(kind, notes)` / `services.notify_each(recipients, kind=…, key=…, …)` store notifications,
  set-based and idempotent: a notification's `key` is unique per recipient, so a second run that would make the
  same one makes none. The caller decides what each recipient may read: a note's subject and text must hold
  nothing its recipient may not see (never an internal note to someone who may not read it).
- `services.new_reminders(candidates, now)`: the reminders' ledger (`models.Reminder`, one row per person and
  item key) says which are new; `reminders.make_reminders` tells those in one notification per person and kind.
- `mail.send_due(now=None, connection=None)` sends every notification that is due by its recipient's
  preference, one message per recipient, over one SMTP connection (`manage.py send_notifications`).
- `models.Preference`: per user and kind, immediately / daily digest / weekly digest / no e-mail; the defaults
  are `models.DEFAULT_DELIVERY`. In-app notifications are always kept, whatever the preference.
- `unsubscribe.unsubscribe_url(user, kinds)`: a signed one-click link that stops e-mails of those kinds.
"""
