"""The item pages and the "Log an update" form, as each role uses them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db

URL = "/recommendations/2010/2.1/3/"
UPDATE = URL + "update/"


def loans():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 3)


def owned_by(user):
    rec = loans()
    Recommendation.objects.filter(pk=rec.pk).update(owner=user)
    return loans()


def post_update(client, rec, **data):
    return client.post(UPDATE, {"version": rec.version, **data})


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(UPDATE, {"note": "x"}).status_code == 302
    assert loans().updates.count() == 1


def test_the_item_page_shows_the_verbatim_text_session_and_timeline(client, viewer):
    client.force_login(viewer)
    body = client.get(URL).content.decode()
    assert "3. Explore and evaluate innovative approaches to providing low-cost loans for migrants." in body
    assert "Sweden, United Arab Emirates, Sri Lanka" in body
    assert "Mr. Johan Fick, South Africa" in body
    assert "Seeded from the report of GFMD 2010" in body


def test_a_timeline_entry_shows_its_author_note_each_change_and_evidence(client, editor):
    import re

    rec = loans()
    editor.first_name, editor.last_name = "Ana", "<Silva>"
    editor.save()
    rec.record_update(by=editor, note="Loans agreed.\nSee <the> report.", status=Status.IN_PROGRESS, progress=40,
                      owner=editor, due_date=datetime.date(2027, 6, 30), evidence_url="https://example.org/r?a=1&b=2")
    rec.record_update(by=editor, note="Handed back.", owner=None, due_date=None)
    client.force_login(editor)

    response = client.get(URL)

    assert "partials/timeline_entry.html" in [t.name for t in response.templates]
    body = response.content.decode()
    entries = re.findall(r'<li>\s*<p class="meta">.*?</li>\s*(?=<li>\s*<p class="meta">|</ol>)', body, re.S)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", entry).split()) for entry in entries[:2]]
    first = timezone.localtime(rec.updates.all()[1].created_at)
    second = timezone.localtime(rec.updates.all()[0].created_at)
    assert texts == [
        f"{second.day} {second:%b %Y, %H:%M} · Ana &lt;Silva&gt; Handed back. "
        "Owner: eda-editor → — Due date: 2027-06-30 → —",
        f"{first.day} {first:%b %Y, %H:%M} · Ana &lt;Silva&gt; Loans agreed. See &lt;the&gt; report. "
        "Status: Not started → In progress Owner: eda-editor Progress: 0 → 40 Due date: 2027-06-30 Evidence",
    ]
    assert '<a href="https://example.org/r?a=1&amp;b=2" rel="noopener noreferrer">Evidence</a>' in entries[1]


def test_viewers_get_no_form_and_a_crafted_post_is_refused(client, viewer):
    client.force_login(viewer)
    assert 'action="/recommendations/2010/2.1/3/update/"' not in client.get(URL).content.decode()
    response = post_update(client, loans(), note="I should not be able to say this.")
    assert response.status_code == 403
    assert loans().updates.count() == 1


def test_the_owner_logs_an_update_that_moves_the_item_to_in_progress(client, staff):
    rec = owned_by(staff)
    client.force_login(staff)
    response = post_update(client, rec, note="Sri Lanka's banks met.", status=Status.IN_PROGRESS, progress=20)
    assert response.status_code == 302 and response["Location"] == URL
    rec = loans()
    assert (rec.status, rec.progress) == (Status.IN_PROGRESS, 20)
    entry = rec.updates.first()
    assert (entry.author, entry.note, entry.status_before, entry.status_after) == (
        staff, "Sri Lanka's banks met.", Status.NOT_STARTED, Status.IN_PROGRESS,
    )
    page = client.get(URL).content.decode()
    assert "Sri Lanka&#x27;s banks met." in page and "Your update is in the timeline." in page


def test_staff_who_do_not_own_the_item_may_add_a_note_only(client, staff):
    client.force_login(staff)
    rec = loans()
    assert post_update(client, rec, note="Heard from Colombo.").status_code == 302
    assert loans().updates.first().note == "Heard from Colombo."

    crafted = post_update(client, loans(), note="Closing it.", status=Status.IN_PROGRESS)
    assert crafted.status_code == 403
    assert loans().status == Status.NOT_STARTED


def test_staff_who_do_not_own_the_item_may_not_attach_an_evidence_link(client, staff):
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert 'name="note"' in page and 'name="evidence_url"' not in page
    rec = loans()

    crafted = post_update(client, rec, note="See my link.", evidence_url="https://example.org/report")

    assert crafted.status_code == 403
    assert [(e.note, e.evidence_url) for e in loans().updates.all()] == [
        (e.note, e.evidence_url) for e in rec.updates.all()
    ]
    assert not loans().updates.filter(note="See my link.").exists()


def test_the_owner_attaches_an_evidence_link(client, staff):
    rec = owned_by(staff)
    client.force_login(staff)
    assert 'name="evidence_url"' in client.get(URL).content.decode()
    assert post_update(client, rec, note="Report out.", evidence_url="https://example.org/report").status_code == 302
    entry = loans().updates.first()
    assert (entry.author, entry.note, entry.evidence_url) == (staff, "Report out.", "https://example.org/report")


def test_the_blank_update_form_is_cached_per_version_of_the_data_and_per_rights(client, editor, staff):
    import re

    def form(user):
        client.force_login(user)
        return client.get(URL).content.decode().split('id="log-update"')[1]

    editors_form = form(editor)
    assert 'name="status"' in editors_form and 'name="owner"' in editors_form
    assert '<option value="in_progress">' in editors_form and 'name="new_owner"' in editors_form  # any owner, by name
    notes_only = form(staff)  # not the owner: the same item, another form
    assert 'name="note"' in notes_only and 'name="status"' not in notes_only and 'name="owner"' not in notes_only
    loans().record_update(by=editor, note="Sam takes it.", owner=staff)
    owners_form = form(staff)  # now the owner: status, owner and progress, the owner selected
    assert 'name="status"' in owners_form and f'<option value="{staff.pk}" selected>' in owners_form
    loans().record_update(by=editor, note="Halfway.", progress=50)
    again = form(editor)
    assert re.search(rf'name="version" value="{loans().version}"', again)
    assert re.search(r'name="progress" value="50"', again)
    widgets = [t.name for t in client.get(URL).templates if t.name.startswith("django/forms/")]
    assert widgets == []  # the second view of the same data: the fields come from the cache


def test_an_empty_note_is_refused_and_what_was_typed_is_kept(client, staff):
    rec = owned_by(staff)
    client.force_login(staff)
    response = post_update(client, rec, note="", status=Status.PLANNED, progress=15)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write a note: what happened, or why the change." in body
    assert '<option value="planned" selected>' in body and 'value="15"' in body
    assert loans().status == Status.NOT_STARTED


def test_a_refused_transition_is_explained_on_the_page(client, editor):
    rec = loans()
    Recommendation.objects.filter(pk=rec.pk).update(status=Status.IMPLEMENTED)
    client.force_login(editor)
    response = post_update(client, loans(), note="Back to planning?", status=Status.PLANNED)
    assert response.status_code == 400
    assert "An item cannot go from Implemented to Planned." in response.content.decode()


def test_bad_values_get_plain_messages(client, editor):
    client.force_login(editor)
    response = post_update(client, loans(), note="x", progress=140, due_date="31/31/2011",
                           evidence_url="not a link")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ensure this value is less than or equal to 100." in body
    assert "Enter a valid date." in body and "Enter a valid URL." in body


def test_the_second_of_two_concurrent_edits_is_refused_and_keeps_its_text(client, staff, editor):
    from django.test import Client

    rec = owned_by(staff)
    first, second = Client(), Client()
    first.force_login(staff)
    second.force_login(editor)
    version_both_saw = rec.version

    assert first.post(UPDATE, {"version": version_both_saw, "note": "Started.", "status": "in_progress",
                               "progress": 10}).status_code == 302
    response = second.post(UPDATE, {"version": version_both_saw, "note": "My long careful note.",
                                    "status": "planned", "progress": 5})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this item while you were editing it." in body
    assert "My long careful note." in body
    rec = loans()
    assert (rec.status, rec.progress) == (Status.IN_PROGRESS, 10)
    assert f'name="version" value="{rec.version}"' in body  # resubmitting now applies to what they see


def test_my_items_lists_what_i_own_with_overdue_first(client, staff, editor):
    overdue = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    overdue.record_update(by=editor, note="Assigned.", owner=staff, due_date=datetime.date(2011, 1, 1))
    planned = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    planned.record_update(by=editor, note="Assigned.", owner=staff, status=Status.PLANNED)
    client.force_login(staff)
    response = client.get(reverse("my_items"))
    groups = [(label, [str(i) for i in items]) for label, items in response.context["groups"]]
    assert [label for label, _ in groups] == ["Overdue", "Planned"]
    assert groups[0][1] == [str(overdue)]
    assert "Overdue" in response.content.decode()


def test_follow_up_items_have_the_same_page_and_form(client, editor):
    client.force_login(editor)
    item = FollowUpItem.objects.get(session__code="CSD", number=3)
    assert client.get(item.get_absolute_url()).status_code == 200
    response = client.post(item.get_update_url(), {"version": item.version, "note": "On the 2011 agenda.",
                                                   "status": "planned"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PLANNED and item.updates.first().author == editor


def test_unknown_items_are_404(client, viewer):
    client.force_login(viewer)
    assert client.get("/recommendations/2010/9.9/1/").status_code == 404
    assert client.get("/recommendations/1999/1.1/1/").status_code == 404


@pytest.mark.parametrize("url", [URL, "/recommendations/", "/my-items/", "/projects/", "/projects/1/"])
def test_pages_use_a_bounded_number_of_queries(client, editor, url, django_assert_max_num_queries):
    from recommendations import versioning

    client.force_login(editor)
    versioning.clear()  # the bound holds with nothing cached; cached filter lists only lower it
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200


def test_the_item_page_query_count_does_not_grow_with_the_timeline(client, editor, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations import versioning

    client.force_login(editor)
    client.get(URL)
    with CaptureQueriesContext(connection) as short:
        client.get(URL)
    rec = loans()
    for i in range(30):
        rec.record_update(by=editor, note=f"Update {i}", progress=i)
    client.get(URL)  # the updates changed the data version: permissions and lists are read again once
    with CaptureQueriesContext(connection) as long:
        assert client.get(URL).status_code == 200
    assert len(long) == len(short)
    versioning.clear()  # and with nothing cached, the same again
    with CaptureQueriesContext(connection) as cold:
        client.get(URL)
    rec.record_update(by=editor, note="One more", progress=99)
    versioning.clear()
    with CaptureQueriesContext(connection) as cold_longer:
        client.get(URL)
    assert len(cold_longer) == len(cold)


def test_large_counts_and_page_numbers_are_grouped_in_thousands(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(range(299_292), 50).page(3)
    html = render_to_string("partials/pagination.html", {"page": page}, request=rf.get("/", {"q": "forum"}))
    assert "Showing 101–150 of 299,292" in html
    assert "Page 3 of 5,986" in html
    assert "page=5986" in html  # the links keep plain numbers


def test_the_matrix_groups_its_counts_in_thousands_but_not_in_its_links():
    from types import SimpleNamespace as Row

    from django.http import QueryDict
    from django.template.loader import render_to_string

    session = Row(code="1.1", title="Labour mobility", meeting=Row(year=2015))
    row = Row(session=session, cells=lambda: [("planned", 12_345), ("stalled", 0)], total=12_345, share_closed=0)
    group = Row(label="Roundtable 1", rows=[row], subtotal=row)
    html = render_to_string("recommendations/partials/matrix_body.html", {
        "matrix": Row(groups=[group], statuses=["planned", "stalled"]), "list_url": "/recommendations/",
        "keep": QueryDict(), "as_of": None})
    assert ">12,345</a>" in html and "<td class=\"num\">12,345</td>" in html
    assert "meeting=2015&amp;session=1.1&amp;status=planned" in html


def test_an_owner_whose_item_was_handed_over_while_they_wrote_gets_the_conflict_and_keeps_their_note(
        client, staff, editor):
    from django.test import Client

    rec = owned_by(staff)
    seen = rec.version
    other = Client()
    other.force_login(editor)
    assert other.post(UPDATE, {"version": seen, "note": "Over to the editor.", "owner": editor.pk}).status_code == 302
    client.force_login(staff)

    # The owner's form, as it was when they opened it: their own name in the owner box, and a link.
    response = client.post(UPDATE, {"version": seen, "note": "My long careful note.", "status": "not_started",
                                    "owner": staff.pk, "progress": 0, "evidence_url": "https://example.org/r"})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this item while you were editing it." in body
    assert ">\nMy long careful note.</textarea>" in body
    assert [(e.author, e.note) for e in loans().updates.all()[:1]] == [(editor, "Over to the editor.")]
    assert loans().owner == editor


def test_a_refused_update_shows_the_page_with_the_reason_and_the_note_kept(client, staff):
    client.force_login(staff)

    response = post_update(client, loans(), note="See my link.", evidence_url="https://example.org/report")

    assert response.status_code == 403
    body = response.content.decode()
    assert "Only the item&#x27;s owner or an editor can attach an evidence link; you can add a note." in body
    assert ">\nSee my link.</textarea>" in body
