"""The fast import path: every row checked by the workflow rules, then all written at once.

What a user view would leave (timeline entry, history record, version, links) an import
leaves too, and a file with any bad row leaves nothing at all.
"""

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db


def export(**filters):
    return RecommendationResource().export(queryset=Recommendation.objects.filter(**filters))


def changed(dataset, rows=None, **values):
    """A copy of `dataset` with `values` in the given row indexes (every row if None)."""
    out = []
    for index, row in enumerate(dataset):
        row = list(row)
        if rows is None or index in rows:
            for column, value in values.items():
                row[dataset.headers.index(column)] = value
        out.append(row)
    return tablib.Dataset(*out, headers=dataset.headers)


def state():
    return sorted(
        (r.pk, r.status, r.owner_id, r.progress, r.due_date, r.version, r.title,
         tuple(sorted(t.slug for t in r.themes.all())), r.updates.count(), r.history.count())
        for r in Recommendation.objects.prefetch_related("themes")
    )


def test_an_owner_and_theme_change_leaves_timeline_history_version_and_links(editor, staff):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    version, history = rec.version, rec.history.count()
    data = changed(export(pk=rec.pk), owner=staff.username, themes="gender; family-children")

    result = RecommendationResource().import_data(data, user=editor)

    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    rec.refresh_from_db()
    assert rec.owner == staff
    assert sorted(t.slug for t in rec.themes.all()) == ["family-children", "gender"]
    assert rec.version == version + 1
    entry = rec.updates.first()
    assert (entry.author, entry.note) == (editor, "Changed by spreadsheet import.")
    assert (entry.owner_before, entry.owner_after) == (None, staff)
    assert (rec.last_update_at, rec.last_note) == (entry.created_at, entry.note)
    assert rec.history.count() == history + 1
    record = rec.history.first()  # what the record holds after the change
    assert (record.history_user, record.history_type, record.history_date) == (editor, "~", entry.created_at)
    assert (record.owner_id, record.version, record.text, record.session_id) == (
        staff.pk, rec.version, rec.text, rec.session_id,
    )


def test_an_update_leaves_the_history_record_a_save_leaves(editor):
    """The history reads the same whoever wrote it: an update's record is stamped as
    django-simple-history stamps a record of a plain save (the admin's creation of an item)."""
    rec = Recommendation.objects.get_by_natural_key(2010, "2.2", 4)
    rec.title = "Saved by hand"
    rec.save()
    saved = rec.history.first()
    rec.record_update(by=editor, note="Planned.", status=Status.PLANNED)
    updated = rec.history.first()
    assert updated.history_id != saved.history_id
    assert (updated.history_type, updated.history_change_reason, updated.title) == (
        saved.history_type, saved.history_change_reason, "Saved by hand")


def effects(item, action):
    """What `action()` leaves on `item`, then undone: its new timeline entries and history
    records (without ids and times), and the record itself (without its update times)."""
    from django.db import transaction

    entries_before, history_before = item.updates.count(), item.history.count()
    with transaction.atomic():
        action()
        record = type(item).objects.get(pk=item.pk)
        entries = list(record.updates.order_by("-created_at", "-id"))
        history = list(record.history.order_by("-history_date", "-history_id"))
        assert (len(entries), len(history)) == (entries_before + 1, history_before + 1)
        assert record.last_update_at == entries[0].created_at
        assert record.last_report_at == entries[0].created_at  # a report, as every entry but the opening one

        def fields(obj, *left_out):
            return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in left_out}

        found = {
            "entry": fields(entries[0], "id", "created_at"),
            "history": fields(history[0], "history_id", "history_date", "updated_at"),
            "record": fields(record, "updated_at", "last_update_at", "last_report_at"),
        }
        transaction.set_rollback(True)
    return found


def test_an_import_and_record_update_leave_the_same_effects(editor, staff):
    """The same change of the same item, once by a user's update and once by a one-row
    file: the same timeline entry, history record, version and latest note."""
    import datetime

    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 6)
    assert (rec.status, rec.owner, rec.progress, rec.due_date) == (Status.NOT_STARTED, None, 0, None)
    version = rec.version
    note = "Work started with the partners."
    data = export(pk=rec.pk)
    data.append_col([note], header="note")
    data = changed(data, status="In progress", owner=staff.username, progress="30", due_date="2027-03-31")

    def by_record_update():
        rec.refresh_from_db()
        rec.record_update(by=editor, note=note, status=Status.IN_PROGRESS, owner=staff, progress=30,
                          due_date=datetime.date(2027, 3, 31))

    def by_import():
        result = RecommendationResource().import_data(data, user=editor)
        assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows

    updated, imported = effects(rec, by_record_update), effects(rec, by_import)

    assert imported == updated
    assert updated["entry"] == {
        "author_id": editor.pk, "note": note, "evidence_url": "", "item_id": rec.pk,
        "status_before": Status.NOT_STARTED, "status_after": Status.IN_PROGRESS,
        "owner_before_id": None, "owner_after_id": staff.pk, "progress_before": 0, "progress_after": 30,
        "due_date_before": None, "due_date_after": datetime.date(2027, 3, 31), "is_public": False,
        # The due date is written with its precision: a day, as "2027-03-31" says and as a form sets it.
        "due_date_precision_before": "day", "due_date_precision_after": "day", "created_at_precision": "time",
        # No closure, and a first due date: no reason needed, no slip (issue #20).
        "verification_before": "", "verification_after": "", "closure_reason": "", "evidence_file": "",
        "due_date_reason": "", "slipped_days": None,
    }
    assert (updated["record"]["version"], updated["record"]["last_note"]) == (version + 1, note)
    assert (updated["history"]["history_user_id"], updated["history"]["history_type"]) == (editor.pk, "~")
    assert (updated["history"]["status"], updated["history"]["owner_id"], updated["history"]["progress"],
            updated["history"]["due_date"], updated["history"]["version"]) == (
        Status.IN_PROGRESS, staff.pk, 30, datetime.date(2027, 3, 31), version + 1)


def test_a_file_that_changes_only_links_leaves_the_latest_update_and_its_note(editor, staff):
    """Links are no follow-up step: no timeline entry, the latest update stays, in a file where
    other rows do get one (the two kinds are written apart)."""
    first, second = Recommendation.objects.order_by("pk")[:2]
    first.record_update(by=staff if first.owner == staff else editor, note="Workshop held", progress=20)
    first.refresh_from_db()
    before = (first.last_update_at, first.last_note, first.updates.count(), first.version)
    data = changed(export(pk__in=[first.pk, second.pk]), rows={0}, themes="gender")
    data = changed(data, rows={1}, progress="45")

    result = RecommendationResource().import_data(data, user=editor)

    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    first.refresh_from_db()
    second.refresh_from_db()
    assert [t.slug for t in first.themes.all()] == ["gender"]
    assert (first.last_update_at, first.last_note, first.updates.count()) == before[:3]
    assert first.version == before[3] + 1
    assert (second.progress, second.last_note) == (45, "Changed by spreadsheet import.")


def test_a_change_the_workflow_forbids_is_a_row_message_and_writes_nothing(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 3)
    rec.record_update(by=editor, note="Done: the guide was published.", status=Status.IN_PROGRESS)
    rec.record_update(by=editor, note="Done: the guide was published.", status=Status.IMPLEMENTED,
                      evidence_url="https://example.org/guide")
    data = changed(export(session__code="1.1"), progress="50")
    data = changed(data, rows=[2], status="Not started")
    before = state()

    result = RecommendationResource().import_data(data, user=editor)

    [invalid] = result.invalid_rows
    assert invalid.number == 4  # the third item, under the row of column names
    assert "An item cannot go from Implemented to Not started." in str(invalid.error_dict)
    assert state() == before


def test_staff_may_not_change_items_they_do_not_own_by_import(staff):
    data = changed(export(session__code="1.1", number=1), progress="40")
    before = state()

    result = RecommendationResource().import_data(data, user=staff)

    assert "Only the item's owner or an editor can change" in str(result.invalid_rows[0].error_dict)
    assert state() == before


def test_a_record_listed_twice_is_refused_with_both_row_numbers(editor):
    data = export(session__code="2.1")
    data.append(data[0])
    before = state()

    result = RecommendationResource().import_data(changed(data, progress="10"), user=editor)

    [invalid] = result.invalid_rows
    assert invalid.number == len(data) + 1
    assert "same record as row 2 (meeting 2010, session 2.1, number 1)" in str(invalid.error_dict)
    assert state() == before


def test_a_large_file_with_a_bad_last_row_writes_nothing(editor):
    # Past the preview limit the rows are checked the same way, without the per-cell diff; the
    # batches written before the bad row are undone with the rest.
    resource = RecommendationResource()
    resource.diff_preview_rows = 10
    resource.batch = 10
    data = changed(export(), progress="15")
    data = changed(data, rows=[44], owner="nobody")
    before = state()

    result = resource.import_data(data, user=editor)

    assert [row.number for row in result.invalid_rows] == [46]
    assert state() == before


def test_new_rows_start_their_timeline_and_take_their_place_in_the_report_order(editor):
    data = export(session__code="3.3")
    rows = [list(r) for r in data]
    for number, row in enumerate(rows, start=50):
        row[data.headers.index("number")] = str(number)
        row[data.headers.index("title")] = f"Imported {number}"
    result = RecommendationResource().import_data(tablib.Dataset(*rows, headers=data.headers), user=editor)

    assert result.totals["new"] == len(rows)
    new = list(Recommendation.objects.filter(title__startswith="Imported "))
    assert len(new) == len(rows)
    for rec in new:
        assert rec.updates.get().note == "Created by spreadsheet import."
        assert rec.history.get().history_type == "+"
        assert rec.last_update_at is not None and rec.last_note == "Created by spreadsheet import."
    last_of_session = Recommendation.objects.filter(session__code="3.3", number__lt=50).order_by("-ordinal")[0]
    assert min(r.ordinal for r in new) > last_of_session.ordinal


def test_a_dry_run_reports_the_outcome_and_writes_nothing(editor):
    data = changed(export(session__code="3.1"), progress="60")
    before = state()
    result = RecommendationResource().import_data(data, user=editor, dry_run=True)
    assert result.totals["update"] == len(data)
    assert state() == before


@pytest.mark.parametrize("values", [
    dict(progress="33", themes="gender", owner="eda-editor"),
    dict(themes="gender; labour-mobility"),  # links only: no timeline entry, the latest note stays as it is
])
def test_import_queries_do_not_grow_with_rows(editor, values):
    def queries(rows):
        data = changed(export(pk__in=list(Recommendation.objects.values_list("pk", flat=True)[:rows])), **values)
        with CaptureQueriesContext(connection) as captured:
            result = RecommendationResource().import_data(data, user=editor, dry_run=True)
        assert result.totals["update"] == rows
        return len(captured)

    # One more statement at most: links are written only where some link is added or removed.
    assert abs(queries(5) - queries(40)) <= 1



def test_the_admin_previews_a_file_past_the_diff_limit_by_row_outcome(editor_client, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(RecommendationResource, "diff_preview_rows", 10)
    data = changed(export(), progress="12")
    upload = SimpleUploadedFile("recs.csv", data.export("csv").encode(), content_type="text/csv")

    response = editor_client.post("/admin/recommendations/recommendation/import/",
                                  {"import_file": upload, "format": "0", "resource": "0"})

    assert response.status_code == 200 and "confirm_form" in response.context
    body = response.content.decode()
    assert body.count("Changed") >= len(data)  # each row by its outcome, without its values
    assert {r.progress for r in Recommendation.objects.all()} != {12}  # a preview writes nothing


def test_a_failed_write_leaves_nothing_and_is_not_silent(editor, monkeypatch):
    """The rows were fine but the database refuses a write after others were made: nothing is
    written, and the caller learns of it by an exception or an error in the result."""
    from django.db import DatabaseError

    from recommendations import db
    from recommendations.models import RecommendationUpdate

    written = db.bulk_update

    def update_then_break(model, objs, fields, **kwargs):
        written(model, objs, fields, **kwargs)
        db.insert(RecommendationUpdate, [{"item_id": None, "note": "no item"}])  # item may not be empty

    monkeypatch.setattr(db, "bulk_update", update_then_break)
    data = changed(export(session__code="3.1"), progress="61")
    before = state()
    try:
        result = RecommendationResource().import_data(data, user=editor)
    except DatabaseError:
        pass
    else:
        assert result.has_errors()
    assert state() == before
    assert not RecommendationUpdate.objects.filter(note="no item").exists()


def test_every_column_the_same_in_every_row_is_inserted_as_often_as_asked(editor):
    """One value per column when the rows agree (one row, or many alike)."""
    from recommendations import db
    from recommendations.models import RecommendationUpdate

    item = Recommendation.objects.first()
    for rows in (1, 3):
        db.insert(RecommendationUpdate, [{"item": item, "author": editor, "note": f"alike {rows}"}] * rows)
        assert RecommendationUpdate.objects.filter(item=item, note=f"alike {rows}", author=editor).count() == rows


def test_relink_adds_and_removes_pairs_in_batches_and_skips_what_is_or_is_not_there():
    from recommendations import db
    from recommendations.models import Theme

    through = Recommendation.themes.through
    recs = list(Recommendation.objects.order_by("pk")[:3])
    themes = list(Theme.objects.order_by("pk")[:3])

    def links():
        return set(through.objects.filter(recommendation__in=recs).values_list("recommendation_id", "theme_id"))

    before = links()
    assert before, "the seeded report links these recommendations to themes"
    added = [(r.pk, t.pk) for r in recs for t in themes]
    db.relink(through, "recommendation_id", "theme_id", added, [], batch_size=2)
    assert links() == before | set(added)  # an existing pair is not added twice (unique) nor refused
    gone = [(recs[0].pk, themes[0].pk), (recs[1].pk, themes[2].pk), (recs[2].pk, 10**9)]
    db.relink(through, "recommendation_id", "theme_id", [], gone, batch_size=2)
    assert links() == (before | set(added)) - set(gone)


def implemented(code, number, editor, owner=None):
    rec = Recommendation.objects.get_by_natural_key(2010, code, number)
    rec.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS, owner=owner)
    rec.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url="https://example.org/done")
    return rec


def test_a_system_import_may_reopen_a_closed_item_and_says_so_in_the_timeline(editor):
    """`manage.py` imports run as no user: a system process, trusted like an editor."""
    rec = implemented("2.2", 2, editor)
    result = RecommendationResource().import_data(changed(export(pk=rec.pk), status="Ongoing"), user=None)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    rec.refresh_from_db()
    entry = rec.updates.first()
    assert rec.status == Status.ONGOING
    assert (entry.author, entry.note, entry.status_before, entry.status_after) == (
        None, "Changed by spreadsheet import.", Status.IMPLEMENTED, Status.ONGOING)


def test_an_owner_may_not_reopen_their_closed_item_by_import(editor, staff):
    rec = implemented("2.2", 3, editor, owner=staff)
    before = state()
    result = RecommendationResource().import_data(changed(export(pk=rec.pk), status="In progress"), user=staff)
    [invalid] = result.invalid_rows
    assert invalid.error_dict == {"__all__": ["Only an editor can reopen an item that is implemented."]}
    assert state() == before


@pytest.mark.postgresql
def test_an_import_locks_the_records_of_its_file_until_it_ends(editor):
    """No update made meanwhile is overwritten: another connection cannot lock a record of the
    file, even one the import leaves unchanged, until the import's transaction ends."""
    import psycopg

    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 5)
    other_rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 6)
    result = RecommendationResource().import_data(export(pk=rec.pk), user=editor)
    assert result.totals["skip"] == 1
    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k not in ("cursor_factory", "context")})
    try:
        with pytest.raises(psycopg.errors.LockNotAvailable):
            other.execute("SELECT id FROM recommendations_recommendation WHERE id = %s FOR UPDATE NOWAIT", [rec.pk])
        other.rollback()
        other.execute("SELECT id FROM recommendations_recommendation WHERE id = %s FOR UPDATE NOWAIT", [other_rec.pk])
    finally:
        other.rollback()
        other.close()
