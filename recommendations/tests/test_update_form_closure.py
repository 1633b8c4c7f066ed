"""The update form's follow-up parts: an evidence file (stored, refused when too big or of another kind, served to
signed-in readers only), a closure claimed, verified and returned by two people, a moved due date's reason, how
progress is computed; and the edit-conflict page with all of these."""

import datetime
import re

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import make_user
from gfmd_tracker.roles import EDITOR
from recommendations import services
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db

URL = "/recommendations/2010/1.2/3/"
UPDATE = URL + "update/"
PDF = b"%PDF-1.4 the workshop's report"


def item():
    return Recommendation.objects.get_by_natural_key(2010, "1.2", 3)


def text(html):
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def entries(body):
    """The timeline's entries as read, newest first."""
    found = re.findall(r'<li>\s*<p class="meta">.*?</li>\s*(?=<li>\s*<p class="meta">|</ol>)', body, re.S)
    return [text(entry) for entry in found]


@pytest.fixture
def in_memory(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    return storages["default"]


@pytest.fixture
def owned(staff):
    """The item in progress, owned by staff."""
    Recommendation.objects.filter(pk=item().pk).update(status=Status.IN_PROGRESS, owner=staff)  # arrange only
    return item()


@pytest.fixture
def other_editor(db):
    return make_user("otto-other-editor", EDITOR)


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def post(client, **data):
    return client.post(UPDATE, {"version": item().version, **data})


def claim(client, name="report.pdf", content=PDF):
    return post(client, note="The workshop ran.", status="implemented",
                evidence_file=SimpleUploadedFile(name, content, content_type="application/pdf"))


def test_the_owner_claims_implemented_with_a_file(owned, staff, in_memory):
    response = claim(client_of(staff))
    assert response.status_code == 302
    rec = item()
    assert (rec.status, rec.verification) == (Status.IMPLEMENTED, "awaiting")
    entry = rec.updates.first()
    assert in_memory.open(entry.evidence_file.name).read() == PDF
    body = client_of(staff).get(URL).content.decode()
    assert entries(body)[0].endswith(
        "The workshop ran. Closure claimed Status: In progress → Implemented "
        "Evidence: report.pdf (30 bytes)")
    assert f'<a href="{URL}evidence/{entry.pk}/">' in body
    assert "Implemented — awaiting verification" in body


def test_a_file_too_big_is_refused_and_nothing_changes(owned, staff, in_memory, settings):
    settings.EVIDENCE_MAX_BYTES = 2**20
    response = claim(client_of(staff), "big.pdf", b"x" * (2**20 + 1))
    assert response.status_code == 400
    body = response.content.decode()
    assert ("The file is 1.0 MB; an evidence file may be at most 1 MB. Attach a smaller file, or give a link to it."
            in body)
    assert "at most 1 MB." in body  # the form's help says the limit
    assert (item().status, item().updates.count()) == (Status.IN_PROGRESS, 1)
    assert in_memory.listdir("") == ([], [])


def test_a_file_of_another_kind_is_refused(owned, staff, in_memory):
    response = claim(client_of(staff), "run-me.exe", b"MZ")
    assert response.status_code == 400
    body = response.content.decode()
    assert "“run-me.exe” is not a kind of file evidence may be: attach one of pdf, png, jpg" in body
    assert item().status == Status.IN_PROGRESS


def test_staff_who_do_not_own_the_item_may_not_attach_a_file(owned, in_memory):
    other = make_user("stan-other-staff", "staff")
    response = post(client_of(other), note="Here.", evidence_file=SimpleUploadedFile("x.pdf", PDF))
    assert response.status_code == 403
    assert item().updates.count() == 1 and in_memory.listdir("") == ([], [])


def test_claim_verify_return_through_the_pages_by_two_people(owned, staff, editor, other_editor, in_memory):
    assert claim(client_of(staff)).status_code == 302
    editors_page = client_of(editor).get(URL).content.decode()
    assert "Verify this closure" in editors_page and "Return it" in editors_page
    assert "Verify this closure" not in client_of(staff).get(URL).content.decode()  # staff may not

    returned = post(client_of(editor), note="The report does not show the agencies.", closure_decision="return",
                    return_to="in_progress")
    assert returned.status_code == 302
    assert (item().status, item().verification) == (Status.IN_PROGRESS, "")

    assert claim(client_of(staff)).status_code == 302
    verified = post(client_of(other_editor), note="Checked the report.", closure_decision="verify")
    assert verified.status_code == 302
    assert (item().status, item().verification) == (Status.IMPLEMENTED, "verified")

    shown = entries(client_of(staff).get(URL).content.decode())
    assert shown[0].endswith("otto-other-editor Checked the report. Closure verified")
    assert "The workshop ran. Closure claimed Status: In progress → Implemented" in shown[1]
    assert shown[2].endswith("eda-editor The report does not show the agencies. Closure returned "
                             "Status: Implemented → In progress")


def test_the_claimant_is_not_offered_the_decision_and_is_refused_it(owned, editor):
    Recommendation.objects.filter(pk=owned.pk).update(owner=editor)
    client = client_of(editor)
    assert post(client, note="Done.", status="implemented", evidence_url="https://example.org/r").status_code == 302
    assert "Verify this closure" not in client.get(URL).content.decode()
    response = post(client, note="Checked it myself.", closure_decision="verify")
    assert response.status_code == 403
    assert "Another editor must verify this closure: you claimed it." in response.content.decode()
    assert item().verification == "awaiting"


def test_a_return_needs_the_status_it_goes_back_to(owned, staff, editor, in_memory):
    claim(client_of(staff))
    response = post(client_of(editor), note="Not shown.", closure_decision="return")
    assert response.status_code == 400
    assert "Choose the status it goes back to." in response.content.decode()
    assert item().verification == "awaiting"


def test_a_crafted_verification_of_an_open_item_is_refused(owned, editor):
    response = post(client_of(editor), note="Checked.", closure_decision="verify")
    assert response.status_code == 400
    assert "Only a closure awaiting verification can be verified." in response.content.decode()
    assert item().verification == ""


def test_not_pursued_needs_its_reason_through_the_form(owned, staff):
    client = client_of(staff)
    refused = post(client, note="No money.", status="not_pursued")
    assert refused.status_code == 400 and "Choose why the item is not pursued: " in refused.content.decode()
    assert post(client, note="No money.", status="not_pursued", closure_reason="no_resources").status_code == 302
    shown = entries(client.get(URL).content.decode())[0]
    assert shown.endswith("No money. Closure claimed Status: In progress → Not pursued "
                          "Why not pursued: No money or people to do it")


def test_a_due_date_moved_needs_its_reason_and_the_timeline_says_how_far(owned, staff):
    Recommendation.objects.filter(pk=owned.pk).update(due_date=datetime.date(2011, 6, 30))  # arrange only
    client = client_of(staff)
    page = client.get(URL).content.decode()
    assert "Required when you change a due date already set." in page
    refused = post(client, note="Later.", due_date="2011-07-10")
    assert refused.status_code == 400
    assert "Say why the due date moves: a date already set is changed only with its reason." in refused.content.decode()
    assert item().due_date == datetime.date(2011, 6, 30)
    moved = post(client, note="Later.", due_date="2011-07-10", due_date_reason="The venue moved the workshop.")
    assert moved.status_code == 302
    shown = entries(client.get(URL).content.decode())[0]
    assert shown.endswith("Later. Due date: 30 Jun 2011 → 10 Jul 2011 "
                          "Due date moved later by 10 days: The venue moved the workshop.")


def test_the_owner_rolls_the_progress_up_from_the_actions(owned, staff):
    action = services.add_action(owned, by=staff, title="Workshop")
    action.record_update(by=staff, note="Most of it.", progress=80)
    client = client_of(staff)
    assert 'name="progress_from_actions"' in client.get(URL).content.decode()
    assert post(client, note="From now on, the actions.", progress_from_actions="on").status_code == 302
    rec = item()
    assert rec.progress_from_actions and rec.known_progress == 80
    assert rec.history.latest().progress_from_actions
    assert rec.updates.first().note == "From now on, the actions."
    facts = client.get(URL).content.decode()
    assert "80% <span class=\"hint\">rolled up from its actions</span>" in facts
    # Unticked (the box posts "false"): entered by hand again; a form without the box changes nothing.
    assert post(client, note="By hand again.", progress_from_actions="false").status_code == 302
    assert not item().progress_from_actions
    assert post(client, note="Just a note.").status_code == 302
    assert not item().progress_from_actions


def test_staff_who_do_not_own_the_item_may_not_change_how_progress_is_computed(owned):
    other = make_user("stan-other-staff", "staff")
    response = post(client_of(other), note="Roll it up.", progress_from_actions="on")
    assert response.status_code == 400
    assert "Only the item&#x27;s owner or an editor can choose how its progress is computed." in (
        response.content.decode())
    assert not item().progress_from_actions and item().updates.count() == 1


def test_the_conflict_page_still_keeps_what_was_typed_and_asks_for_the_file_again(owned, staff, editor, in_memory):
    seen = item().version
    assert post(client_of(editor), note="Editor first.", progress="30").status_code == 302
    response = client_of(staff).post(UPDATE, {
        "version": seen, "note": "The workshop ran.", "status": "implemented",
        "evidence_file": SimpleUploadedFile("report.pdf", PDF)})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this item while you were editing it." in body
    assert ">\nThe workshop ran.</textarea>" in body
    assert "Attach “report.pdf” again: a form shown again cannot keep a file." in body
    assert re.search(rf'name="version" value="{item().version}"', body)
    assert item().status == Status.IN_PROGRESS and in_memory.listdir("") == ([], [])


# --- the evidence file, served


@pytest.fixture
def evidence(owned, staff, in_memory):
    """The claim's entry, published, with its file."""
    claim(client_of(staff))
    entry = item().updates.first()
    services.set_entries_public([entry], public=True, by=staff)
    return entry


def test_a_signed_in_reader_downloads_the_evidence(evidence, viewer):
    response = client_of(viewer).get(f"{URL}evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_the_public_never_gets_an_evidence_file_even_of_a_public_entry(client, evidence):
    response = client.get(f"{URL}evidence/{evidence.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    body = client.get(URL).content.decode()
    assert "The workshop ran." in body and "evidence/" not in body


def test_an_entry_without_a_file_or_of_another_item_has_none(evidence, viewer):
    client = client_of(viewer)
    opening = item().updates.last()
    assert client.get(f"{URL}evidence/{opening.pk}/").status_code == 404
    assert client.get(f"/recommendations/2010/1.2/2/evidence/{evidence.pk}/").status_code == 404


def test_a_file_lost_from_the_storage_is_said_so(evidence, viewer, in_memory):
    in_memory.delete(evidence.evidence_file.name)
    client = client_of(viewer)
    assert client.get(f"{URL}evidence/{evidence.pk}/").status_code == 404
    assert "(no longer in the storage)" in client.get(URL).content.decode()


def test_an_actions_evidence_is_served_from_its_page(staff, viewer, in_memory):
    action = services.add_action(item(), by=staff, title="Workshop")
    entry = action.record_update(by=staff, note="Done.", status="implemented",
                                 evidence_file=SimpleUploadedFile("minutes.txt", b"Minutes."))
    address = f"{action.get_absolute_url()}evidence/{entry.pk}/"
    assert address in client_of(staff).get(action.get_absolute_url()).content.decode()
    response = client_of(viewer).get(address)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"Minutes."
