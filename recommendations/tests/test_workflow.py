"""The follow-up rules, checked in one place: TrackedItem.record_update."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnerships.models import Project, Stage
from recommendations.models import EditConflict, FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db

# The README's table, copied as it is written: the tests hold the code to it, so a change of
# TRANSITIONS or REOPEN that the README does not make fails here.
README_TABLE = """
| not started | planned, in progress, implemented, stalled, not pursued |
| planned | not started, in progress, implemented, stalled, not pursued |
| in progress | planned, implemented, ongoing, stalled, not pursued |
| ongoing | in progress, implemented, stalled, not pursued |
| stalled | planned, in progress, not pursued |
| implemented (closed) | only an editor reopens it: in progress, ongoing |
| not pursued (closed) | only an editor reopens it: not started, planned, in progress |
"""
BY_WORDS = {"not started": Status.NOT_STARTED, "planned": Status.PLANNED, "in progress": Status.IN_PROGRESS,
            "ongoing": Status.ONGOING, "implemented": Status.IMPLEMENTED, "stalled": Status.STALLED,
            "not pursued": Status.NOT_PURSUED}


def readme_table():
    """({status: statuses it may go to}, {closed status: statuses an editor reopens it to})."""
    moves, reopen = {}, {}
    for line in README_TABLE.strip().splitlines():
        source, targets = (cell.strip() for cell in line.strip("|").split("|"))
        closed = source.endswith(" (closed)")
        targets = targets.removeprefix("only an editor reopens it: ") if closed else targets
        table = reopen if closed else moves
        table[BY_WORDS[source.removesuffix(" (closed)")]] = {BY_WORDS[t] for t in targets.split(", ")}
    return moves, reopen


MOVES, REOPEN_BY_EDITOR = readme_table()
ALLOWED = [(a, b) for a, nexts in MOVES.items() for b in sorted(nexts)]
REOPENED = [(a, b) for a, nexts in REOPEN_BY_EDITOR.items() for b in sorted(nexts)]
REFUSED = [(a, b) for a, b in itertools.permutations(Status, 2) if (a, b) not in ALLOWED + REOPENED]
CLOSED_STATUSES = set(REOPEN_BY_EDITOR)
# What a closure comes with (issue #20): evidence for implemented, a reason from the list for not pursued.
CLOSING = {Status.IMPLEMENTED: {"evidence_url": "https://example.org/evidence"},
           Status.NOT_PURSUED: {"closure_reason": "other"}}


def test_the_readme_table_is_read_whole():
    assert (len(ALLOWED), len(REOPENED), len(REFUSED)) == (22, 5, 42 - 22 - 5)
    assert CLOSED_STATUSES == {Status.IMPLEMENTED, Status.NOT_PURSUED}


def item_in(status):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 3)
    Recommendation.objects.filter(pk=rec.pk).update(status=status)  # arrange only: the rules are under test
    rec.refresh_from_db()
    return rec


@pytest.mark.parametrize(("before", "after"), ALLOWED)
def test_every_allowed_transition_is_made_and_written_to_the_timeline(editor, before, after):
    rec = item_in(before)
    entry = rec.record_update(by=editor, note="Reason and what was done.", status=after, **CLOSING.get(after, {}))
    rec.refresh_from_db()
    assert rec.status == after
    assert (entry.status_before, entry.status_after, entry.author) == (before, after, editor)
    assert rec.updates.first() == entry


@pytest.mark.parametrize(("before", "after"), REFUSED)
def test_every_other_transition_is_refused_and_changes_nothing(editor, before, after):
    rec = item_in(before)
    entries = rec.updates.count()
    with pytest.raises(ValidationError) as refused:
        rec.record_update(by=editor, note="Trying.", status=after)
    assert refused.value.message_dict["status"] == [
        f"An item cannot go from {Status(before).label} to {Status(after).label}."
    ]
    rec.refresh_from_db()
    assert rec.status == before and rec.updates.count() == entries


@pytest.mark.parametrize(("closed", "reopened"), REOPENED)
def test_only_an_editor_reopens_a_closed_item(staff, editor, closed, reopened):
    rec = item_in(closed)
    Recommendation.objects.filter(pk=rec.pk).update(owner=staff)
    rec.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Only an editor can reopen"):
        rec.record_update(by=staff, note="New evidence.", status=reopened)
    rec.record_update(by=editor, note="Reopened: new evidence.", status=reopened)
    rec.refresh_from_db()
    assert rec.status == reopened
    assert (rec.updates.first().status_before, rec.updates.first().status_after) == (closed, reopened)


@pytest.mark.parametrize("status", list(Status))
def test_the_statuses_offered_are_the_readme_table(staff, editor, status):
    """What the update form offers: staff the moves, editors the moves and the reopenings."""
    rec = item_in(status)
    Recommendation.objects.filter(pk=rec.pk).update(owner=staff)
    rec.refresh_from_db()
    moves = MOVES.get(status, set())
    assert set(rec.next_statuses(staff)) == moves
    assert set(rec.next_statuses(editor)) == moves | REOPEN_BY_EDITOR.get(status, set())
    assert rec.is_closed == (status in CLOSED_STATUSES)


@pytest.mark.parametrize(("status", "message"), [
    (Status.STALLED, "Say why the item is stalled: the note is the reason."),
    (Status.NOT_PURSUED, "Say why the item is not pursued: the note is the reason."),
])
def test_stalled_and_not_pursued_need_a_reason(editor, status, message):
    rec = item_in(Status.IN_PROGRESS)
    with pytest.raises(ValidationError) as refused:
        rec.record_update(by=editor, note="  ", status=status)
    assert refused.value.message_dict["note"] == [message]
    rec.refresh_from_db()
    assert rec.status == Status.IN_PROGRESS


def test_implemented_needs_a_note_saying_what_was_done_and_may_link_evidence(editor):
    rec = item_in(Status.IN_PROGRESS)
    with pytest.raises(ValidationError, match="Say what was done"):
        rec.record_update(by=editor, note="", status=Status.IMPLEMENTED)
    entry = rec.record_update(by=editor, note="Map online.", status=Status.IMPLEMENTED,
                              evidence_url="https://example.org/map")
    assert entry.evidence_url == "https://example.org/map"


def test_every_update_needs_a_note(editor):
    rec = item_in(Status.PLANNED)
    with pytest.raises(ValidationError, match="Write a note"):
        rec.record_update(by=editor, note="", progress=10)


def test_staff_change_follow_up_only_on_items_they_own(staff, editor):
    rec = item_in(Status.NOT_STARTED)
    with pytest.raises(PermissionDenied, match="Only the item's owner or an editor"):
        rec.record_update(by=staff, note="Starting.", status=Status.IN_PROGRESS)
    note_only = rec.record_update(by=staff, note="Heard from Quito: interest in a joint mechanism.")
    assert note_only.status_after == "" and note_only.author == staff

    rec.record_update(by=editor, note="Assigned.", owner=staff)
    rec.record_update(by=staff, note="Starting.", status=Status.IN_PROGRESS, progress=10)
    rec.refresh_from_db()
    assert (rec.status, rec.progress) == (Status.IN_PROGRESS, 10)


def test_viewers_cannot_log_anything(viewer):
    rec = item_in(Status.NOT_STARTED)
    with pytest.raises(PermissionDenied):
        rec.record_update(by=viewer, note="Just a note.")
    assert rec.updates.count() == 1


def test_owner_and_due_date_changes_are_written_with_before_and_after(editor, staff):
    import datetime

    rec = item_in(Status.PLANNED)
    entry = rec.record_update(by=editor, note="Due before the 2011 meeting.", owner=staff,
                              due_date=datetime.date(2011, 12, 1))
    assert (entry.owner_before, entry.owner_after) == (None, staff)
    assert (entry.due_date_before, entry.due_date_after) == (None, datetime.date(2011, 12, 1))


def test_an_update_based_on_an_old_version_is_refused(editor, staff):
    rec = Recommendation.objects.get_by_natural_key(2010, "3.3", 2)
    seen_by_both = rec.version
    first = Recommendation.objects.get(pk=rec.pk)
    first.record_update(by=editor, note="First.", status=Status.PLANNED, expected_version=seen_by_both)

    second = Recommendation.objects.get(pk=rec.pk)
    with pytest.raises(EditConflict) as conflict:
        second.record_update(by=editor, note="Second.", status=Status.IN_PROGRESS, expected_version=seen_by_both)
    assert conflict.value.item.status == Status.PLANNED
    rec.refresh_from_db()
    assert rec.status == Status.PLANNED and rec.version == seen_by_both + 1
    assert [u.note for u in rec.updates.all()][:1] == ["First."]


def test_every_change_leaves_a_history_row_with_its_author(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 5)
    before = rec.history.count()
    rec.record_update(by=editor, note="Planned with ILO.", status=Status.PLANNED)
    assert rec.history.count() == before + 1
    latest = rec.history.first()
    assert (latest.status, latest.history_user) == (Status.PLANNED, editor)


def test_projects_move_through_their_stage_with_the_same_mechanism(editor):
    project = Project.objects.get(title="Developing Migration Profiles")
    entry = project.record_update(by=editor, note="Template agreed.", stage=Stage.DESIGN)
    assert (entry.stage_before, entry.stage_after) == (Stage.INITIATION, Stage.DESIGN)
    with pytest.raises(ValidationError):
        project.record_update(by=editor, note="?", stage="sideways")


def test_follow_up_items_follow_the_same_rules(editor):
    item = FollowUpItem.objects.get(session__code="FOF", number=1)
    with pytest.raises(ValidationError):
        item.record_update(by=editor, note="", status=Status.NOT_PURSUED)
    item.record_update(by=editor, note="Assessment team met in Geneva.", status=Status.ONGOING)
    assert item.updates.first().status_after == Status.ONGOING


def test_the_item_keeps_its_latest_note_and_time_as_the_timeline_shows_them(editor):
    import datetime

    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    entry = rec.record_update(by=editor, note="Briefed the Steering Group.")
    rec.refresh_from_db()
    assert (rec.last_update_at, rec.last_note) == (entry.created_at, "Briefed the Steering Group.")
    # An entry dated in the past (a late report of an old meeting) is not the latest.
    rec.record_update(by=editor, note="Recorded late: the 2011 workshop.",
                      at=entry.created_at - datetime.timedelta(days=400))
    rec.refresh_from_db()
    assert rec.last_note == "Briefed the Steering Group."
    # Two entries at the same moment: the one written last is the latest, here and on the page.
    same = rec.record_update(by=editor, note="Second note at the same time.", at=entry.created_at)
    rec.refresh_from_db()
    assert rec.last_note == same.note == rec.updates.order_by("-created_at", "-pk")[0].note
    # Copied on the item for speed, not a change of its own history.
    assert "last_note" not in {f.name for f in rec.history.model._meta.fields}


def test_stale_counts_whole_days(editor):
    import datetime

    from django.utils import timezone

    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    now = timezone.localtime()
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    Recommendation.objects.filter(pk=rec.pk).update(last_update_at=noon - datetime.timedelta(days=10))
    stale = Recommendation.objects.stale
    # Updated on the day ten days ago: stale for "no update in 9 days", not for 10, whatever the hour.
    assert stale(9, now=noon).filter(pk=rec.pk).exists()
    assert not stale(10, now=noon).filter(pk=rec.pk).exists()
    assert not stale(10, now=noon.replace(hour=23)).filter(pk=rec.pk).exists()
    assert str(stale(10, now=noon).query) == str(stale(10, now=noon.replace(hour=23)).query)


def test_stale_starts_exactly_at_the_start_of_the_day_n_days_ago():
    import datetime

    from django.utils import timezone

    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    now = timezone.localtime()
    cut_off = timezone.make_aware(datetime.datetime.combine(now.date() - datetime.timedelta(days=10),
                                                            datetime.time.min))
    stale = {}
    for label, last in (("at", cut_off), ("just before", cut_off - datetime.timedelta(microseconds=1)),
                        ("never", None)):
        Recommendation.objects.filter(pk=rec.pk).update(last_update_at=last)
        stale[label] = Recommendation.objects.stale(10, now=now).filter(pk=rec.pk).exists()
    assert stale == {"at": False, "just before": True, "never": True}


def test_a_note_on_an_old_version_is_kept_and_changes_nothing_else(editor):
    """The rule: a note overwrites nothing, so a note-only update based on an old version is
    added to the timeline; only a change of a tracked field is refused (EditConflict)."""
    rec = Recommendation.objects.get_by_natural_key(2010, "3.3", 3)
    seen = rec.version
    Recommendation.objects.get(pk=rec.pk).record_update(by=editor, note="Planned.", status=Status.PLANNED,
                                                        expected_version=seen)
    entry = rec.record_update(by=editor, note="Met the co-chairs.", expected_version=seen)
    rec.refresh_from_db()
    assert (rec.status, rec.version, rec.last_note) == (Status.PLANNED, seen + 1, "Met the co-chairs.")
    assert (entry.status_before, entry.status_after, entry.note) == ("", "", "Met the co-chairs.")
    with pytest.raises(EditConflict):
        rec.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS, expected_version=seen)


def test_an_unchanged_value_is_no_change(editor):
    """Setting a field to the value it has is a note, not a change: no before/after, no new version."""
    rec = item_in(Status.PLANNED)
    version = rec.version
    entry = rec.record_update(by=editor, note="Still planned.", status=Status.PLANNED, progress=0)
    rec.refresh_from_db()
    changed = (entry.status_before, entry.status_after, entry.progress_before, entry.progress_after)
    assert changed == ("", "", None, None)
    assert rec.version == version


def test_an_update_from_an_instance_read_earlier_starts_from_the_item_as_it_is_now(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 8)
    version = rec.version
    earlier = Recommendation.objects.get(pk=rec.pk)
    rec.record_update(by=editor, note="Planned.", status=Status.PLANNED)
    entry = earlier.record_update(by=editor, note="Started.", status=Status.IN_PROGRESS)
    assert (entry.status_before, entry.status_after) == (Status.PLANNED, Status.IN_PROGRESS)
    rec.refresh_from_db()
    assert (rec.status, rec.version) == (Status.IN_PROGRESS, version + 2)


def test_only_tracked_fields_change_by_an_update(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 8)
    with pytest.raises(TypeError, match="^Not a tracked field: text, title$"):
        rec.record_update(by=editor, note="Retitled.", title="New", text="New text")
    assert rec.updates.count() == 1


def test_an_unknown_status_is_named_and_changes_nothing(editor):
    rec = item_in(Status.PLANNED)
    with pytest.raises(ValidationError) as refused:
        rec.record_update(by=editor, note="Finished?", status="finished")
    assert refused.value.message_dict == {"status": ["Unknown status 'finished'."]}
    rec.refresh_from_db()
    assert (rec.status, rec.updates.count()) == (Status.PLANNED, 1)
