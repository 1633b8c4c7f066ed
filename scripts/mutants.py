"""Mutation pass over the follow-up rules: `make mutants`.

Each mutant below is one small change to the code (a status added to the transition table, `<`
made `<=`, a check skipped). For each, the script copies the project to a temporary folder,
makes that one change there, and runs the tests that should notice it (`pytest -x -q`, SQLite).
A mutant the tests fail on is killed; one they pass with survived, and is a missing test (or
a change that alters nothing: say so in the README's list). The working tree is never touched.

Each mutant is (file, the exact original text, its replacement, the tests to run, what the
change means). The original must occur exactly once in its file: a refactor that moves it
makes the script stop and say which mutant to update, instead of passing silently.

    python scripts/mutants.py                  # every mutant, then the table and the kill rate
    python scripts/mutants.py --only stale     # the mutants whose description or file says "stale"
    python scripts/mutants.py --postgres postgres://postgres@127.0.0.1:5432/gfmd_mutants
                                               # also the PostgreSQL-only mutants (row locks, COPY)

Exits non-zero when fewer than 90 % are killed or a mutant cannot be applied or run.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_KILL_RATE = 90

MODELS = "recommendations/models/tracking.py"
STATUSES = "recommendations/models/statuses.py"
TIMELINE = "recommendations/models/timeline.py"
FORUM = "recommendations/models/forum.py"
SERVICES = "recommendations/services.py"
IMPORT_BASE = "recommendations/imports/base.py"
IMPORT_TRACKED = "recommendations/imports/tracked.py"
IMPORT_CELLS = "recommendations/imports/widgets.py"
EXPORTS = "recommendations/exports.py"
SEAM = "recommendations/db/postgres.py"
FILTERS = "recommendations/filters.py"
FILTER_FIELDS = "recommendations/filter_fields.py"
REPORTS = "recommendations/reports.py"
DASHBOARD = "gfmd_tracker/views.py"
PROJECTS = "partnerships/models.py"

WORKFLOW_TESTS = ["recommendations/tests/test_workflow.py"]
DASHBOARD_TESTS = ["gfmd_tracker/tests/test_dashboard.py"]
REPORT_TESTS = ["recommendations/tests/test_list.py", "recommendations/tests/test_export.py",
                "recommendations/tests/test_matrix.py", "recommendations/tests/test_changes.py"]
IMPORT_TESTS = ["recommendations/tests/test_import_bulk.py", "recommendations/tests/test_resources.py"]
BAD_INPUT_TESTS = ["gfmd_tracker/tests/test_bad_input.py"]
CONFLICT_TESTS = ["gfmd_tracker/tests/test_hardening.py"]
OWNER_TESTS = ["recommendations/tests/test_owners.py"]
TAKE_TESTS = ["recommendations/tests/test_take_item.py"]
VIEW_TESTS = ["recommendations/tests/test_item_page.py", "recommendations/tests/test_log_update.py"]
ACCOUNT_TESTS = ["gfmd_tracker/tests/test_accounts.py"]
ADMIN_TESTS = ["recommendations/tests/test_admin.py"]
NOTE_TESTS = ["recommendations/tests/test_import_notes.py"]
MESSAGE_TESTS = ["recommendations/tests/test_import_messages.py"]
PREVIEW_TESTS = ["gfmd_tracker/tests/test_import_previews.py"]
CODE_TESTS = ["recommendations/tests/test_session_codes.py"]
ADMIN_PY = "gfmd_tracker/admin.py"
SECURITY = "gfmd_tracker/security.py"
SPREADSHEETS = "gfmd_tracker/spreadsheets.py"
DATES = "recommendations/dates.py"
DATE_TESTS = ["recommendations/tests/test_date_precision.py"]
CLOSURE = "recommendations/models/closure.py"
FOLLOW_UP = "recommendations/models/followup.py"
CLOSURE_TESTS = ["recommendations/tests/test_closure_verification.py"]
SLIP_TESTS = ["recommendations/tests/test_slipped_dates.py"]
FRESHNESS_TESTS = ["recommendations/tests/test_freshness.py"]
ROLLUP_TESTS = ["recommendations/tests/test_rollup.py"]
COVERAGE_TESTS = ["recommendations/tests/test_coverage.py"]
REPORT_ENTRY_TESTS = ["recommendations/tests/test_last_report.py"]
REMINDERS = "notifications/reminders.py"
NOTIFY = "notifications/services.py"
MAIL = "notifications/mail.py"
NOTIFICATION_MODELS = "notifications/models.py"
FOLLOWING = "notifications/following.py"
REMINDER_TESTS = ["notifications/tests/test_reminders.py", "notifications/tests/test_send_reminders.py"]
MAIL_TESTS = ["notifications/tests/test_delivery.py", "notifications/tests/test_faults.py",
              "notifications/tests/test_send_reminders.py"]
FOLLOW_TESTS = ["notifications/tests/test_followed_changes.py"]

# (file, original, replacement, tests, description)
MUTANTS = [
    # --- the transition table, the closed statuses, reopening, the notes required
    (STATUSES, "Status.NOT_STARTED: {Status.PLANNED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.STALLED, "
     "Status.NOT_PURSUED},",
     "Status.NOT_STARTED: {Status.PLANNED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.NOT_PURSUED},",
     WORKFLOW_TESTS, "TRANSITIONS: not started may no longer go to stalled"),
    (STATUSES, "Status.PLANNED: {Status.NOT_STARTED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.STALLED, "
     "Status.NOT_PURSUED},",
     "Status.PLANNED: {Status.NOT_STARTED, Status.IN_PROGRESS, Status.STALLED, Status.NOT_PURSUED},",
     WORKFLOW_TESTS, "TRANSITIONS: planned may no longer be closed as implemented in one update"),
    (STATUSES, "Status.IN_PROGRESS: {Status.PLANNED, Status.IMPLEMENTED, Status.ONGOING, Status.STALLED, "
     "Status.NOT_PURSUED},",
     "Status.IN_PROGRESS: {Status.PLANNED, Status.IMPLEMENTED, Status.STALLED, Status.NOT_PURSUED},",
     WORKFLOW_TESTS, "TRANSITIONS: in progress may no longer go to ongoing"),
    (STATUSES, "Status.ONGOING: {Status.IN_PROGRESS, Status.IMPLEMENTED, Status.STALLED, Status.NOT_PURSUED},",
     "Status.ONGOING: {Status.PLANNED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.STALLED, Status.NOT_PURSUED},",
     WORKFLOW_TESTS, "TRANSITIONS: ongoing may go back to planned"),
    (STATUSES, "Status.STALLED: {Status.PLANNED, Status.IN_PROGRESS, Status.NOT_PURSUED},",
     "Status.STALLED: {Status.PLANNED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.NOT_PURSUED},",
     WORKFLOW_TESTS, "TRANSITIONS: stalled may go straight to implemented"),
    (STATUSES, "    Status.IMPLEMENTED: set(),\n", "    Status.IMPLEMENTED: {Status.IN_PROGRESS},\n",
     WORKFLOW_TESTS, "TRANSITIONS: anyone may reopen an implemented item"),
    (STATUSES, "    Status.NOT_PURSUED: set(),\n", "    Status.NOT_PURSUED: {Status.PLANNED},\n",
     WORKFLOW_TESTS, "TRANSITIONS: anyone may reopen a not-pursued item"),
    (STATUSES, "CLOSED = {Status.IMPLEMENTED, Status.NOT_PURSUED}", "CLOSED = {Status.IMPLEMENTED}",
     WORKFLOW_TESTS + DASHBOARD_TESTS, "CLOSED: not pursued no longer closes an item"),
    (STATUSES, "Status.IMPLEMENTED: {Status.IN_PROGRESS, Status.ONGOING},", "Status.IMPLEMENTED: {Status.IN_PROGRESS},",
     WORKFLOW_TESTS, "REOPEN: an implemented item may no longer be reopened as ongoing"),
    (STATUSES, "Status.NOT_PURSUED: {Status.NOT_STARTED, Status.PLANNED, Status.IN_PROGRESS},",
     "Status.NOT_PURSUED: {Status.NOT_STARTED, Status.PLANNED, Status.IN_PROGRESS, Status.ONGOING},",
     WORKFLOW_TESTS, "REOPEN: a not-pursued item may be reopened as ongoing"),
    (STATUSES, '    Status.IMPLEMENTED: "Say what was done: the note records how the item was implemented.",\n', "",
     WORKFLOW_TESTS, "NOTE_REQUIRED_FOR: implemented no longer asks what was done"),
    (STATUSES, '    Status.STALLED: "Say why the item is stalled: the note is the reason.",\n', "",
     WORKFLOW_TESTS, "NOTE_REQUIRED_FOR: stalled no longer asks for a reason"),
    # --- check_transition, apply_update
    (MODELS, "        if new_status not in Status.values:\n", "        if False:\n",
     WORKFLOW_TESTS + BAD_INPUT_TESTS + IMPORT_TESTS, "check_transition: an unknown status is not named as such"),
    (MODELS, "if self.status in CLOSED and new_status in REOPEN.get(self.status, ()):", "if False:",
     WORKFLOW_TESTS + IMPORT_TESTS, "check_transition: a reopening by staff is called impossible, not an editor's act"),
    (MODELS, "if new_status in NOTE_REQUIRED_FOR and not note.strip():", "if False:",
     WORKFLOW_TESTS, "check_transition: no reason or note required for any status"),
    (MODELS, '        if "status" in changes:\n            self.check_transition(', '        if False:\n'
     '            self.check_transition(', WORKFLOW_TESTS + IMPORT_TESTS, "apply_update: transitions not checked"),
    (MODELS, "        if not note:\n            raise ValidationError({\"note\": \"Write a note",
     "        if False:\n            raise ValidationError({\"note\": \"Write a note",
     WORKFLOW_TESTS, "apply_update: an update without a note is accepted"),
    (MODELS, "        if by is not None and not permission_checked:\n", "        if False:\n",
     IMPORT_TESTS, "apply_update: permissions not checked for an import by staff"),
    # --- permissions
    (MODELS, 'return user.has_perm(self._perm("add", self.updates.model))', "return user.is_authenticated",
     WORKFLOW_TESTS, "can_log_update: every signed-in user (viewers too) may log updates"),
    (MODELS, 'return user.has_perm(self._perm("change"))',
     'return user.has_perm(self._perm("add", self.updates.model))',
     WORKFLOW_TESTS, "can_edit_any: staff count as editors"),
    (MODELS, "return self.can_edit_any(user) or (self.can_log_update(user) and self.owner_id == user.pk)",
     "return self.can_edit_any(user) or self.can_log_update(user)",
     WORKFLOW_TESTS, "can_change_follow_up: staff may change items they do not own"),
    (MODELS, "return self.can_edit_any(user) or (self.can_log_update(user) and self.owner_id == user.pk)",
     "return self.can_log_update(user) and self.owner_id == user.pk",
     WORKFLOW_TESTS, "can_change_follow_up: editors may change only the items they own"),
    (MODELS, "        if user is None or self.can_edit_any(user):\n", "        if True:\n",
     WORKFLOW_TESTS, "next_statuses: staff may reopen closed items"),
    (MODELS, "        if user is None or self.can_edit_any(user):\n",
     "        if user is not None and self.can_edit_any(user):\n",
     IMPORT_TESTS, "next_statuses: a system import (no user) may not reopen"),
    (MODELS, "        if not self.can_log_update(user):\n", "        if False:\n",
     WORKFLOW_TESTS, "check_permission: viewers may log notes"),
    (MODELS, "        if changes and not self.can_change_follow_up(user):\n",
     "        if changes and not self.can_log_update(user):\n",
     WORKFLOW_TESTS, "check_permission: any staff member may change any item"),
    (MODELS, "        return self.owner_id is None and self.can_own(user)", "        return self.can_own(user)",
     TAKE_TESTS, "may_take: staff may take an item someone else owns"),
    (MODELS, '        if changes == {"owner": user} and self.may_take(user):\n', "        if False:\n",
     TAKE_TESTS, "check_permission: staff may not take an item nobody owns"),
    (MODELS, '        if changes == {"owner": user} and self.may_take(user):\n',
     '        if "owner" in changes and self.may_take(user):\n',
     TAKE_TESTS, "check_permission: staff taking an item may change its status too"),
    (MODELS, "        if by is not None:\n            self.check_permission(by, changes, evidence)\n", "",
     WORKFLOW_TESTS, "record_update: who updates is not checked"),
    # --- record_update: the current values, the version check, changed values
    (MODELS, 'for field in (*self.tracked_fields, "version", "last_update_at",',
     'for field in ("version", "last_update_at",',
     WORKFLOW_TESTS, "record_update: checks and writes from the instance's possibly old values"),
    (MODELS, 'for field in (*self.tracked_fields, "version", "last_update_at",',
     'for field in (*self.tracked_fields, "last_update_at",',
     WORKFLOW_TESTS, "record_update: the version is counted from the instance's possibly old one"),
    (MODELS, "if changes and expected_version is not None and current.version != expected_version:",
     "if expected_version is not None and current.version != expected_version:",
     WORKFLOW_TESTS, "EditConflict: a note on an old version is refused too"),
    (MODELS, "if changes and expected_version is not None and current.version != expected_version:", "if False:",
     WORKFLOW_TESTS + CONFLICT_TESTS, "EditConflict: a change based on an old version overwrites"),
    (SERVICES, "            item.version += 1  # an open edit form of this item is now out of date\n", "",
     WORKFLOW_TESTS + CONFLICT_TESTS + IMPORT_TESTS, "record_updates: a change does not raise the version"),
    (MODELS, "return {f: v for f, v in changes.items() if getattr(self, f) != v}", "return dict(changes)",
     WORKFLOW_TESTS, "changed_values: a value set to what it was counts as a change"),
    (MODELS, "        if unknown:\n            raise TypeError", "        if False:\n            raise TypeError",
     WORKFLOW_TESTS, "changed_values: an untracked field may be changed by an update"),
    (MODELS, 'values[f"{field}_before"], values[f"{field}_after"] = getattr(self, field), new',
     'values[f"{field}_before"], values[f"{field}_after"] = new, getattr(self, field)',
     WORKFLOW_TESTS, "apply_update: the timeline's before and after swapped"),
    (SERVICES, "update=not created, user=by, date=now)", "update=not created, user=None, date=now)",
     WORKFLOW_TESTS + IMPORT_TESTS, "record_updates: the change history does not say who changed the item"),
    # --- the timeline's latest entry on the item
    (SERVICES, "    latest = mark_latest(logged, at, at_precision, created)\n", "    latest = set()\n",
     WORKFLOW_TESTS, "record_updates: the item does not learn of its latest entry"),
    (SERVICES, "if counts and (when is None or when <= at):", "if counts and (when is None or when < at):",
     WORKFLOW_TESTS, "mark_latest: of two entries at one moment, the first written stays the latest"),
    (SERVICES, "if counts and (when is None or when <= at):", "if counts:",
     WORKFLOW_TESTS, "mark_latest: an entry dated in the past becomes the latest"),
    (SERVICES, "if counts and (when is None or when <= at):", "if False:",
     IMPORT_TESTS, "mark_latest: an import's latest update and note are not kept on the item"),
    (SERVICES, "for column, value in zip(columns, (at, update.note, at_precision)):",
     "for column, value in zip(columns[::2], (at, at_precision)):",
     WORKFLOW_TESTS, "mark_latest: the latest note is not kept"),
    # --- overdue and stale
    (MODELS, "models.Q(due_date__lt=today or timezone.localdate())",
     "models.Q(due_date__lte=today or timezone.localdate())",
     DASHBOARD_TESTS, "overdue_q: an item due today is overdue"),
    (MODELS, "return ~models.Q(status__in=CLOSED) & models.Q(due_date__lt=", "return models.Q(due_date__lt=",
     DASHBOARD_TESTS, "overdue_q: closed items can be overdue"),
    (MODELS, "self.due_date < timezone.localdate()", "self.due_date <= timezone.localdate()",
     DASHBOARD_TESTS, "is_overdue: an item due today is overdue"),
    (MODELS, "return not self.is_closed and self.due_date is not None", "return self.due_date is not None",
     DASHBOARD_TESTS, "is_overdue: closed items can be overdue"),
    (MODELS, '(models.Q(**{f"{latest}__lt": since}) | models.Q(**{latest: None}))',
     '(models.Q(**{f"{latest}__lte": since}) | models.Q(**{latest: None}))',
     WORKFLOW_TESTS, "stale_q: an update exactly at the cut-off counts as stale"),
    (MODELS, '(models.Q(**{f"{latest}__lt": since}) | models.Q(**{latest: None}))',
     'models.Q(**{f"{latest}__lt": since})',
     WORKFLOW_TESTS, "stale_q: an item never updated is not stale"),
    (MODELS, 'return ~models.Q(status__in=CLOSED) & (models.Q(**{f"{latest}__lt": since})',
     'return (models.Q(**{f"{latest}__lt": since})',
     DASHBOARD_TESTS, "stale_q: closed items can be stale"),
    (MODELS, "timezone.localtime(now).date() - datetime.timedelta(days=days)",
     "timezone.localtime(now).date() - datetime.timedelta(days=days - 1)",
     WORKFLOW_TESTS, "stale_q: one day short"),
    # --- projects
    (PROJECTS, 'tracked_fields = TrackedItem.tracked_fields + ("stage",)',
     "tracked_fields = TrackedItem.tracked_fields",
     WORKFLOW_TESTS, "Project: the stage is not tracked by the timeline"),
    # --- imports
    (IMPORT_BASE, 'kwargs.setdefault("rollback_on_validation_errors", True)',
     'kwargs.setdefault("rollback_on_validation_errors", False)',
     IMPORT_TESTS, "import: a file with a bad row writes its good rows"),
    (IMPORT_TRACKED, "return user is None or (blank.can_log_update(user) and blank.can_edit_any(user))",
     "return True", IMPORT_TESTS, "import: staff are trusted like editors"),
    (IMPORT_TRACKED, "            if instance.pk is not None:\n                self.plan_update(instance)",
     "            if False:\n                self.plan_update(instance)",
     IMPORT_TESTS, "import: rows skip the workflow rules"),
    (IMPORT_TRACKED, "        if key in self.seen:\n", "        if False:\n",
     IMPORT_TESTS, "import: a record listed twice is accepted"),
    (IMPORT_BASE, '        if "\\x00" in text:\n', "        if False:\n",
     BAD_INPUT_TESTS, "import: a NUL character is accepted"),
    (TIMELINE, '"author": by, "created_at": at', '"author": None, "created_at": at',
     IMPORT_TESTS + WORKFLOW_TESTS, "log_updates: the timeline does not say who updated"),
    # --- export neutralisation
    (IMPORT_CELLS, 'FORMULA_TRIGGERS = ("=", "+", "-", "@", "\\t", "\\r")',
     'FORMULA_TRIGGERS = ("=", "+", "-", "\\t", "\\r")',
     IMPORT_TESTS, "neutralise_formula: @ is left alone"),
    (IMPORT_CELLS, 'FORMULA_TRIGGERS = ("=", "+", "-", "@", "\\t", "\\r")',
     'FORMULA_TRIGGERS = ("=", "+", "-", "@", "\\r")',
     IMPORT_TESTS, "neutralise_formula: a leading tab is left alone"),
    (IMPORT_CELLS, "        return \"'\" + value\n    return value", "        return value\n    return value",
     IMPORT_TESTS, "neutralise_formula: nothing is neutralised"),
    (IMPORT_CELLS, "        return value[1:]\n", "        return value\n",
     IMPORT_TESTS, "restore_formula_text: an exported formula does not import back as it was"),
    (IMPORT_BASE, "return neutralise_formula(super().export_field(field, instance, **kwargs))",
     "return super().export_field(field, instance, **kwargs)",
     IMPORT_TESTS, "spreadsheet resource: cells exported as they are"),
    (EXPORTS, 'cells.append(neutralise_formula("; ".join(related[column.header].get(pk, ()))))',
     'cells.append("; ".join(related[column.header].get(pk, ())))',
     REPORT_TESTS, "list export: many-to-many cells not neutralised"),
    (EXPORTS, "cells += [cell(next(values), precision=next(values)), neutralise_formula(next(values))]",
     "cells += [cell(next(values), precision=next(values)), next(values)]",
     REPORT_TESTS, "list export: the latest note not neutralised"),
    (EXPORTS, "    return neutralise_formula(str(value))\n", "    return str(value)\n",
     REPORT_TESTS, "list export: plain cells not neutralised"),
    # --- lists and reports
    (FILTER_FIELDS, '"-pk" if str(ordering[-1]).startswith("-") else "pk"', '"pk"',
     REPORT_TESTS, "sort: ties in a descending sort in ascending id order"),
    (FILTERS, 'queryset.filter(self.m2m("responsible_actors", actor__country=value) | Q(session__in=joined))',
     "queryset.filter(session__in=joined)",
     REPORT_TESTS, "country filter: a country only responsible finds nothing"),
    (REPORTS, ').exclude(status_after="").order_by("-created_at", "-pk")', ').order_by("-created_at", "-pk")',
     REPORT_TESTS, "as of: a later note-only entry hides the status"),
    (REPORTS, '.exclude(status_before="").exclude(status_after="")', '.exclude(status_after="")',
     REPORT_TESTS, "what changed: an item's creation counts as a change of status"),
    (REPORTS, "return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))",
     "return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))",
     REPORT_TESTS, "as of / what changed: the last day's entries are left out"),
    (REPORTS, "return round(100 * self.closed / self.total) if self.total else 0",
     "return int(100 * self.closed / self.total) if self.total else 0",
     REPORT_TESTS, "matrix: share closed rounded down"),
    (DASHBOARD, '"share_closed": round(100 * closed / total) if total else 0',
     '"share_closed": int(100 * closed / total) if total else 0',
     DASHBOARD_TESTS, "dashboard: share closed rounded down"),
    (DASHBOARD, '), key=attrgetter("due_date"))[:RECENT]', "))[:RECENT]",
     DASHBOARD_TESTS, "dashboard: overdue items listed by kind, not most overdue first"),
    (DASHBOARD, '"mine": sum(qs.owned_by(request.user).open().count() for qs in tracked_querysets(request.user))',
     '"mine": sum(qs.owned_by(request.user).count() for qs in tracked_querysets(request.user))',
     DASHBOARD_TESTS, "dashboard: my closed items counted as open"),
    # --- owners, evidence, history, accounts (issue #15)
    (MODELS, "        return self.can_log_update(user)\n", "        return True\n",
     OWNER_TESTS, "can_own: anyone may own an item (a viewer, an inactive user)"),
    (MODELS, '        if "owner" in changes:\n            self.check_owner(changes["owner"])\n', "",
     OWNER_TESTS, "apply_update: a change of owner is not checked"),
    (IMPORT_TRACKED, "            instance.check_owner(instance.owner)\n", "            pass\n",
     OWNER_TESTS, "import: a new row's owner is not checked"),
    (MODELS, "        if evidence_url and not self.can_change_follow_up(user):", "        if False:",
     VIEW_TESTS, "check_permission: staff who do not own an item attach evidence"),
    ("recommendations/admin/tracked.py", "        if request.method == \"POST\":\n            raise PermissionDenied(",
     "        if False:\n            raise PermissionDenied(",
     ADMIN_TESTS, "history: a posted revert is saved"),
    (ADMIN_PY, '        return (*fields, "is_superuser", "user_permissions")', "        return fields",
     ACCOUNT_TESTS, "user admin: any administrator may grant superuser status"),
    (ADMIN_PY, "                if any(g.name == ADMINISTRATOR and g not in had for g in groups):",
     "                if False:", ACCOUNT_TESTS, "user admin: any administrator may give the administrator role"),
    (ADMIN_PY, "        if naming:\n            return [], {}, set(), naming\n", "",
     ACCOUNT_TESTS, "user admin: a user named in the record is deleted"),
    (ADMIN_PY, "        return request.user.is_superuser\n\n    def has_change_permission(self, request, obj=None):\n"
     "        return request.user.is_superuser",
     "        return request.user.is_superuser\n\n    def has_change_permission(self, request, obj=None):\n"
     "        return True", ACCOUNT_TESTS, "group admin: any administrator may change a role"),
    # --- imports (issue #15)
    (IMPORT_TRACKED, "        if not change.note and changes.get(\"status\") not in NOTE_REQUIRED_FOR:",
     "        if not change.note:", NOTE_TESTS, "import: closing or stalling takes the boilerplate note"),
    (IMPORT_CELLS, "    if isinstance(value, float) and value.is_integer():", "    if isinstance(value, float):",
     MESSAGE_TESTS, "import: 50.5 read as a whole number"),
    (SPREADSHEETS, ".current().filter(name=name, user=self.user).exists()", ".filter(name=name).exists()",
     PREVIEW_TESTS, "import preview: another editor's or an expired preview is confirmed"),
    ("gfmd_tracker/models.py", "        return self.filter(created_at__gte=self.cutoff())",
     "        return self.all()", PREVIEW_TESTS, "import preview: an expired preview is still read"),
    # --- the QA pass after issue #15
    (IMPORT_TRACKED, "        if NON_FIELD_ERRORS not in errors:\n            errors = self.check_rules(",
     "        if not errors:\n            errors = self.check_rules(",
     MESSAGE_TESTS, "import: a refused owner or transition shows only after the bad cells are fixed"),
    ("recommendations/admin/base.py", '        if context.get("revert_disabled") and "adminform" in context:',
     "        if False:", ADMIN_TESTS, "history: a past version of a tracked item is shown editable"),
    ("recommendations/admin/forum.py",
     "        obj.recommendations.renumber()  # the position or meeting may have changed",
     "        pass  #", ADMIN_TESTS, "session revert: the report order is not recomputed"),
    (SPREADSHEETS, "            response.status_code = 400\n", "            pass\n",
     PREVIEW_TESTS, "import preview: a refused confirmation is answered 200"),
    ("gfmd_tracker/templates/admin/gfmd_tracker/import.html", "        <li>{{ field.label }}: {{ error }}</li>\n",
     "", PREVIEW_TESTS, "import preview: a refused hidden field's reason is not shown"),
    # --- addresses and logins (issue #15)
    (FORUM, '    r"\\A[A-Za-z0-9][A-Za-z0-9.-]*\\Z",', '    r"\\A[A-Za-z0-9][A-Za-z0-9./-]*\\Z",',
     CODE_TESTS, "session code: a slash is accepted"),
    (SECURITY, "    return any(address in proxies for proxies in settings.TRUSTED_PROXIES)", "    return True",
     CONFLICT_TESTS, "login: X-Forwarded-For believed from anyone"),
    (SECURITY, "        if everywhere >= settings.AXES_USERNAME_FAILURE_LIMIT:",
     "        if everywhere > settings.AXES_USERNAME_FAILURE_LIMIT:",
     CONFLICT_TESTS, "login: a username is locked one failure late"),
    # --- one write path (issue #16)
    ("recommendations/admin/tracked.py", 'note=note or "Changed in the admin.", edited=edited,',
     'note=note or "Changed in the admin.",',
     ADMIN_TESTS, "one write path: an admin edit's title is lost with its status change"),
    ("recommendations/admin/tracked.py", "[services.Update(obj)], by=request.user, fields=edited)",
     "[services.Update(obj)], by=request.user)", ADMIN_TESTS,
     "one write path: an admin edit of the title alone is not saved"),
    ("recommendations/db/generic.py", "        None,  # no change reason, as a save records it\n", '        "",\n',
     IMPORT_TESTS, "one write path: an import's history record has another change reason"),
    # --- dates at their precision (issue #18)
    (DATES, "        return first.replace(month=12, day=31)\n", "        return first\n",
     DATE_TESTS, "precision: a due year stored as its first day (overdue from 2 January)"),
    (DATES, "    return first, Precision.DAY if day else Precision.MONTH if month else Precision.YEAR\n",
     "    return first, Precision.DAY\n", DATE_TESTS, "precision: a year or a month read as a day"),
    (MODELS, '            changes = {"due_date_precision": Precision.DAY, **changes}\n', "",
     DATE_TESTS, "precision: a due date set in the form keeps the old precision"),
    (MODELS, '            changes = {"due_date": self.due_date, "due_date_precision": self.due_date_precision, '
     '**changes}\n', "", DATE_TESTS, "precision: an entry holds a due date without its precision, or the reverse"),
    (IMPORT_TRACKED, "            for attribute, part in cell_field.parts(value).items():",
     "            for attribute, part in list(cell_field.parts(value).items())[:1]:",
     DATE_TESTS, "precision: an imported year sets the date, not its precision"),
    # --- issue #20: verified closure, slipped dates, freshness, the roll-up, coverage, reports
    (CLOSURE, 'self.check_second_person(by, "return")', "pass", CLOSURE_TESTS,
     "closure: the claimant may return their own claim"),
    (CLOSURE, 'self.check_second_person(by, "verify")', "pass", CLOSURE_TESTS,
     "closure: the claimant may verify their own claim"),
    (CLOSURE, "        if self.claimant_id() == user.pk:\n", "        if False:\n", CLOSURE_TESTS,
     "closure: a second person is not required"),
    (CLOSURE, "        if not self.can_edit_any(user):\n", "        if False:\n", CLOSURE_TESTS,
     "closure: staff may verify or return a closure"),
    (CLOSURE, "if status == Status.IMPLEMENTED and not evidence:", "if False:", CLOSURE_TESTS,
     "closure: implemented without evidence"),
    (CLOSURE, "closure_reason not in ClosureReason.values", "False", CLOSURE_TESTS,
     "closure: not pursued without a reason from the list"),
    (CLOSURE, "            if self.verification_required():\n", "            if False:\n", CLOSURE_TESTS,
     "closure: a claim never awaits verification"),
    (CLOSURE, "        if not self.is_awaiting_verification:\n", "        if False:\n", CLOSURE_TESTS,
     "closure: an item not awaiting verification may be verified"),
    (CLOSURE, "            if self.verification:\n", "            if False:\n", CLOSURE_TESTS,
     "closure: reopening keeps the verification"),
    (MODELS, "        if not reason:\n", "        if False:\n", SLIP_TESTS,
     "check_due_date: a moved due date needs no reason"),
    (MODELS, "later = after is not None and after > before", "later = after is not None",
     SLIP_TESTS, "check_due_date: a due date moved earlier counts as slipped"),
    (MODELS, "if before is None or after == before:", "if after == before:", SLIP_TESTS,
     "check_due_date: a first due date needs a reason"),
    (FOLLOW_UP, "    if days >= stale:\n", "    if days > stale:\n", FRESHNESS_TESTS,
     "freshness_of: stale a day late (> instead of >=)"),
    (FOLLOW_UP, "return Freshness.AGEING if days >= ageing else", "return Freshness.AGEING if days > ageing else",
     FRESHNESS_TESTS, "freshness_of: ageing a day late"),
    (FOLLOW_UP, "    if days is None or days >= INACTIVE_AFTER_DAYS:\n",
     "    if days is None or days > INACTIVE_AFTER_DAYS:\n", FRESHNESS_TESTS, "freshness_of: inactive a day late"),
    (FOLLOW_UP, "            return Q(last_update_at__lt=start_of_day(today - datetime.timedelta(days=days - 1)))",
     "            return Q(last_update_at__lt=start_of_day(today - datetime.timedelta(days=days)))",
     FRESHNESS_TESTS, "freshness_q: a band's older edge off by a day"),
    (FOLLOW_UP, "        return Q(last_report_at__isnull=False) | Q(actions_reported__gt=0)",
     "        return Q(last_report_at__isnull=False)", COVERAGE_TESTS,
     "coverage: an item reported only through its actions counts as unknown"),
    (FOLLOW_UP, 'When(last_report_at__isnull=False, then=F("progress")),', 'When(pk__gt=0, then=F("progress")),',
     COVERAGE_TESTS, "coverage: an unreported item's 0 % counts as known progress"),
    (SERVICES, 'return not update.opening and changed != {"owner"}', 'return changed != {"owner"}', REPORT_ENTRY_TESTS,
     "is_report: the opening entry counts as a report"),
    (SERVICES, "rounded = ExpressionWrapper((2 * weighted + weights) / (2 * weights), output_field=IntegerField())",
     "rounded = ExpressionWrapper(weighted / weights, output_field=IntegerField())", ROLLUP_TESTS,
     "refresh_rollups: the roll-up rounds down instead of half up"),
    (SERVICES, "reported = actions.filter(last_report_at__isnull=False)", "reported = actions", ROLLUP_TESTS,
     "refresh_rollups: unreported actions count as 0 %"),
    # --- reminders, escalation and mail (issue #21)
    (REMINDERS, "        nearest = window + 1\n", "        nearest = window\n", REMINDER_TESTS,
     "owner_rules: an item on a window's edge is reminded in two windows"),
    (REMINDERS, 'Rule(Kind.OVERDUE, "overdue", Q(due_date__lt=today)', 'Rule(Kind.OVERDUE, "overdue", Q(due_date__lte'
     '=today)', REMINDER_TESTS, "owner_rules: an item due today is called overdue"),
    (REMINDERS, 'Rule(Kind.ESCALATION, "escalation", Q(due_date__lte=since)',
     'Rule(Kind.ESCALATION, "escalation", Q(due_date__lt=since)', REMINDER_TESTS,
     "escalation_rule: escalated a day after ESCALATE_AFTER_DAYS"),
    (REMINDERS, 'items = model.objects.open().filter(rule.condition, owner__in=readers.values("pk"))',
     "items = model.objects.open().filter(rule.condition, owner__isnull=False)", REMINDER_TESTS,
     "to_owners: an inactive owner, or one without a role, is reminded"),
    (REMINDERS, "    items = model.objects.open().filter(rule.condition)\n",
     "    items = model.objects.filter(rule.condition)\n", REMINDER_TESTS, "to_editors: closed items are escalated"),
    (REMINDERS, "            if len(self.listed[told]) < LISTED:", "            if True:", REMINDER_TESTS,
     "Told.add: a reminder notification lists every item, not the first 50"),
    (REMINDERS, "            if count == 1:", "            if False:", REMINDER_TESTS,
     "Told.notes: one item is told as a count, not by its own words and page"),
    (REMINDERS, 'return row["updated_on"].isoformat() if row["updated_on"] else "never"', 'return "never"',
     REMINDER_TESTS, "update_day: a report, then silence again, is never reminded again"),
    (NOTIFY, "            if candidate[:2] in new:", "            if True:", REMINDER_TESTS,
     "new_reminders: what the ledger held is told again"),
    (MAIL, "        if taken[kind] < LISTED:", "        if True:", MAIL_TESTS,
     "listed: a message lists every notification of a kind"),
    (MAIL, "(delivery == Delivery.DAILY and user_id not in daily_done)", "(delivery == Delivery.DAILY)", MAIL_TESTS,
     "due_kinds: a daily digest goes at every run"),
    (MAIL, "(delivery == Delivery.WEEKLY and user_id not in weekly_done)", "(delivery == Delivery.WEEKLY)", MAIL_TESTS,
     "due_kinds: a weekly digest goes at every run"),
    (NOTIFICATION_MODELS,
     'unreachable = Q(recipient__email="") | Q(recipient__is_active=False) | models.Exists(no_email)',
     'unreachable = Q(recipient__email="") | models.Exists(no_email)', MAIL_TESTS,
     "hold_back: an inactive person is still e-mailed"),
    (FOLLOWING, "        follows = follows.exclude(user=by)\n", "        pass\n", FOLLOW_TESTS,
     "followers_of: the author of a change is told of it"),
    (FOLLOWING, "            reader = recipient in readers", "            reader = True", FOLLOW_TESTS,
     "notes: an internal note reaches followers who may not read it"),
]

# Mutants only PostgreSQL notices (row locks, the database's own CSV): run with --postgres.
POSTGRESQL_MUTANTS = [
    (MAIL, "if not get_user_model().objects.filter(pk=user.pk).select_for_update(skip_locked=True).exists():",
     "if False:", MAIL_TESTS, "send_one: a recipient another run is sending to is sent to again"),
    (MODELS, "current = type(self).objects.select_for_update().get(pk=self.pk)",
     "current = type(self).objects.get(pk=self.pk)",
     CONFLICT_TESTS, "record_update: the item's row is not locked while it is checked"),
    (IMPORT_TRACKED, 'return queryset.select_for_update(of=("self",))', "return queryset",
     IMPORT_TESTS, "import: the file's records are not locked until it ends"),
    (SEAM, "FORMULA_STARTS = r\"('=', '+', '-', '@', E'\\t', E'\\r')\"",
     "FORMULA_STARTS = r\"('=', '+', '-', E'\\t', E'\\r')\"",
     REPORT_TESTS, "COPY export: @ is left alone"),
    (SEAM, """            shown.append(_neutralised(f"COALESCE(list_{i}.v, '')"))""",
     """            shown.append(f"COALESCE(list_{i}.v, '')")""", REPORT_TESTS,
     "COPY export: many-to-many cells not neutralised"),
    (SEAM, "        return _at_precision(F(column.path), column.precision, WRITTEN[Precision.DAY]), False\n", "",
     DATE_TESTS, "COPY export: a due date written to the day whatever its precision"),
]


def check(mutants):
    """Every original occurs exactly once in its file; returns the problems."""
    problems = []
    for number, (path, original, replacement, tests, description) in enumerate(mutants, 1):
        text = (ROOT / path).read_text()
        if text.count(original) != 1:
            problems.append(f"mutant {number} ({description}): its original occurs {text.count(original)} times "
                            f"in {path}; update it in scripts/mutants.py")
        if original == replacement:
            problems.append(f"mutant {number} ({description}): the replacement is the original")
        problems += [f"mutant {number}: no test file {test}" for test in tests if not (ROOT / test).exists()]
    return problems


def copy_project(destination):
    shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".pytest_cache", "*.sqlite3", "e2e-artifacts", "staticfiles"))


def run_tests(folder, tests, env, timeout):
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return {0: "survived", 1: "killed"}.get(done.returncode, f"error {done.returncode}: {done.stdout[-2000:]}")


def run(mutants, folder, env, timeout):
    results = []
    for number, (path, original, replacement, tests, description) in enumerate(mutants, 1):
        target = Path(folder) / path
        source = target.read_text()
        started = time.monotonic()
        target.write_text(source.replace(original, replacement, 1))
        try:
            outcome = run_tests(folder, tests, env, timeout)
        finally:
            target.write_text(source)
        seconds = time.monotonic() - started
        print(f"{number:3}  {outcome.split(':')[0]:9} {seconds:5.0f} s  {path}: {description}", flush=True)
        results.append((outcome, path, description))
    return results


def postgres_reachable(url):
    import psycopg

    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run the mutants whose file or description contains this text")
    parser.add_argument("--postgres", metavar="DATABASE_URL", help="also run the PostgreSQL-only mutants there")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per mutant (a hang counts as killed)")
    args = parser.parse_args()

    problems = check(MUTANTS + POSTGRESQL_MUTANTS)
    if problems:
        print("\n".join(problems))
        return 2

    def chosen(mutants):
        return [m for m in mutants if not args.only or args.only in m[0] or args.only in m[4]]

    sqlite_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    batches = [("SQLite", chosen(MUTANTS), sqlite_env)]
    not_run = []
    if args.postgres and postgres_reachable(args.postgres):
        batches.append(("PostgreSQL", chosen(POSTGRESQL_MUTANTS), {**sqlite_env, "DATABASE_URL": args.postgres}))
    else:
        not_run = chosen(POSTGRESQL_MUTANTS)

    results = []
    with tempfile.TemporaryDirectory(prefix="gfmd-mutants-") as temporary:
        folder = Path(temporary) / "project"
        copy_project(folder)
        for label, mutants, env in batches:
            if not mutants:
                continue
            tests = sorted({test for m in mutants for test in m[3]})
            print(f"{label}: the tests, unchanged code ({len(tests)} files)...", flush=True)
            baseline = run_tests(folder, tests, env, args.timeout * 3)
            if baseline != "survived":
                print(f"The tests do not pass on the unchanged code ({label}): fix them first.\n{baseline}")
                return 2
            print(f"{label}: {len(mutants)} mutants", flush=True)
            results += run(mutants, folder, env, args.timeout)

    killed = [r for r in results if r[0] in ("killed", "timeout")]
    survived = [r for r in results if r[0] == "survived"]
    errors = [r for r in results if r[0].startswith("error")]
    rate = round(100 * len(killed) / len(results)) if results else 0
    print(f"\nKilled {len(killed)} of {len(results)} mutants: {rate} %.")
    for outcome, path, description in survived:
        print(f"  survived: {path}: {description}")
    for outcome, path, description in errors:
        print(f"  could not run: {path}: {description}\n    {outcome}")
    for path, *_, description in not_run:
        print(f"  not run (PostgreSQL only; pass --postgres DATABASE_URL): {path}: {description}")
    return 0 if results and rate >= REQUIRED_KILL_RATE and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
