"""Verified closure: implemented or not pursued is a claim, with its evidence or its reason; where the meeting
requires it, an editor who did not make the claim verifies it, or returns it by reopening the item."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from conftest import make_user
from gfmd_tracker.roles import EDITOR
from partnerships.models import Project
from recommendations.models import Meeting, Recommendation, RecommendationUpdate, Status

pytestmark = pytest.mark.django_db

LINK = "https://example.org/report.pdf"


@pytest.fixture
def rec(staff):
    """An item in progress, owned by staff."""
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 3)
    Recommendation.objects.filter(pk=rec.pk).update(status=Status.IN_PROGRESS, owner=staff)  # arrange only
    rec.refresh_from_db()
    return rec


@pytest.fixture
def other_editor(db):
    return make_user("otto-other-editor", EDITOR)


@pytest.fixture
def in_memory(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    return storages["default"]


def state(item):
    item.refresh_from_db()
    return item.status, item.verification


def test_implemented_without_evidence_is_refused(rec, staff):
    with pytest.raises(ValidationError) as refused:
        rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED)
    assert refused.value.message_dict["evidence_url"] == [
        "Give the evidence of what was done: a link, or attach a file. An item is closed as implemented with its "
        "evidence."]
    assert state(rec) == (Status.IN_PROGRESS, "")


def test_a_claim_with_a_link_awaits_verification(rec, staff):
    entry = rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    assert state(rec) == (Status.IMPLEMENTED, "awaiting")
    assert (entry.status_after, entry.verification_before, entry.verification_after, entry.evidence_url) == (
        Status.IMPLEMENTED, "", "awaiting", LINK)
    assert rec.claimant_id() == staff.pk
    assert rec.history.latest().verification == "awaiting"


def test_claim_verify_return_verify_by_a_second_person(rec, staff, editor, other_editor):
    rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    returned = rec.record_update(by=editor, note="The report does not show it.", status=Status.IN_PROGRESS)
    assert (returned.verification_before, returned.verification_after) == ("awaiting", "")
    assert state(rec) == (Status.IN_PROGRESS, "")
    rec.record_update(by=staff, note="Now it does.", status=Status.IMPLEMENTED, evidence_url=LINK)
    assert state(rec) == (Status.IMPLEMENTED, "awaiting")
    verified = rec.record_update(by=other_editor, note="Checked the report.", verification="verified")
    assert (verified.author, verified.verification_before, verified.verification_after) == (
        other_editor, "awaiting", "verified")
    assert state(rec) == (Status.IMPLEMENTED, "verified")
    steps = list(RecommendationUpdate.objects.filter(item=rec).order_by("created_at", "pk")
                 .values_list("author__username", "status_after", "verification_after"))[-4:]
    assert steps == [("sam-staff", "implemented", "awaiting"), ("eda-editor", "in_progress", ""),
                     ("sam-staff", "implemented", "awaiting"), ("otto-other-editor", "", "verified")]


def test_the_claimant_cannot_verify_their_own_claim(rec, editor):
    rec.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    with pytest.raises(PermissionDenied, match="^Another editor must verify this closure: you claimed it.$"):
        rec.record_update(by=editor, note="Checked.", verification="verified")
    assert state(rec) == (Status.IMPLEMENTED, "awaiting")


def test_the_claimant_cannot_return_their_own_claim(rec, editor):
    rec.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    with pytest.raises(PermissionDenied, match="^Another editor must return this closure: you claimed it.$"):
        rec.record_update(by=editor, note="Oops.", status=Status.IN_PROGRESS)
    assert state(rec) == (Status.IMPLEMENTED, "awaiting")


def test_staff_cannot_verify_even_the_owner(rec, staff, editor):
    rec.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    with pytest.raises(PermissionDenied, match="^Only an editor can verify a closure.$"):
        rec.record_update(by=staff, note="Checked.", verification="verified")


def test_only_a_claim_awaiting_is_verified(rec, editor):
    with pytest.raises(ValidationError, match="Only a closure awaiting verification can be verified"):
        rec.record_update(by=editor, note="Checked.", verification="verified")


@pytest.mark.parametrize("value", ["awaiting", ""])
def test_nobody_sets_awaiting_or_clears_it_by_hand(rec, staff, editor, value):
    rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    Recommendation.objects.filter(pk=rec.pk).update(verification="verified" if value == "awaiting" else "awaiting")
    with pytest.raises(ValidationError, match="only “verified” is set by hand"):
        rec.record_update(by=editor, note="By hand.", verification=value)


def test_verifying_and_reopening_at_once_is_refused(rec, staff, editor):
    rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    with pytest.raises(ValidationError, match="not both in one update"):
        rec.record_update(by=editor, note="Both.", verification="verified", status=Status.IN_PROGRESS)


def test_reopening_a_verified_item_clears_its_verification(rec, staff, editor, other_editor):
    rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    rec.record_update(by=editor, note="Checked.", verification="verified")
    entry = rec.record_update(by=editor, note="It lapsed.", status=Status.ONGOING)
    assert (entry.verification_before, entry.verification_after) == ("verified", "")
    assert state(rec) == (Status.ONGOING, "")


def test_not_pursued_needs_a_reason_from_the_list(rec, staff):
    with pytest.raises(ValidationError) as refused:
        rec.record_update(by=staff, note="No money.", status=Status.NOT_PURSUED)
    assert refused.value.message_dict["closure_reason"][0].startswith("Choose why the item is not pursued: ")
    with pytest.raises(ValidationError):
        rec.record_update(by=staff, note="No money.", status=Status.NOT_PURSUED, closure_reason="lazy")
    entry = rec.record_update(by=staff, note="No money.", status=Status.NOT_PURSUED, closure_reason="no_resources")
    assert (entry.closure_reason, entry.get_closure_reason_display()) == ("no_resources", "No money or people to do it")
    assert state(rec) == (Status.NOT_PURSUED, "awaiting")


def test_a_reason_is_only_for_not_pursued(rec, staff):
    with pytest.raises(ValidationError, match="given when an item is closed as not pursued"):
        rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK,
                          closure_reason="superseded")


def test_a_meeting_may_not_require_verification(rec, staff):
    Meeting.objects.filter(year=2010).update(closure_verification_required=False)
    entry = rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    assert entry.verification_after == ""
    assert state(rec) == (Status.IMPLEMENTED, "")


def test_an_item_without_a_meeting_requires_verification(editor):
    project = Project.objects.create(title="No session", description="A project.", status=Status.IN_PROGRESS)
    project.start_timeline(note="Created.")
    project.record_update(by=editor, note="Done.", status=Status.IMPLEMENTED, evidence_url=LINK)
    assert state(project) == (Status.IMPLEMENTED, "awaiting")


def test_an_evidence_file_is_stored_with_the_entry(rec, staff, in_memory):
    report = ContentFile(b"%PDF-1.4 evidence", name="Final report.pdf")
    entry = rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED, evidence_file=report)
    entry.refresh_from_db()
    assert entry.evidence_file.name.startswith("evidence/")
    assert entry.evidence_file.name.endswith(".pdf")
    assert in_memory.open(entry.evidence_file.name).read() == b"%PDF-1.4 evidence"
    assert state(rec) == (Status.IMPLEMENTED, "awaiting")


def test_an_evidence_file_too_large_is_refused(rec, staff, in_memory, settings):
    settings.EVIDENCE_MAX_BYTES = 2**20
    big = ContentFile(b"x" * (2**20 + 1), name="big.pdf")
    with pytest.raises(ValidationError) as refused:
        rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED, evidence_file=big)
    assert refused.value.message_dict["evidence_file"] == [
        "The file is 1.0 MB; an evidence file may be at most 1 MB. Attach a smaller file, or give a link to it."]
    assert state(rec) == (Status.IN_PROGRESS, "")
    assert in_memory.listdir("")[1] == [] and in_memory.listdir("")[0] == []


def test_an_evidence_file_of_another_kind_is_refused(rec, staff, in_memory):
    with pytest.raises(ValidationError) as refused:
        rec.record_update(by=staff, note="Done.", status=Status.IMPLEMENTED,
                          evidence_file=ContentFile(b"MZ", name="run-me.exe"))
    assert refused.value.message_dict["evidence_file"][0].startswith(
        "“run-me.exe” is not a kind of file evidence may be: attach one of pdf, png, jpg")


def test_a_file_is_evidence_only_from_the_owner_or_an_editor(rec, in_memory):
    other = make_user("stan-other-staff", "staff")
    with pytest.raises(PermissionDenied, match="attach an evidence link"):
        rec.record_update(by=other, note="Here.", evidence_file=ContentFile(b"x", name="x.pdf"))
