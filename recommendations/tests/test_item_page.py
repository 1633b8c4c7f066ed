"""The item pages (a recommendation, a follow-up item), as each role reads them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db

URL = "/recommendations/2010/2.1/3/"
UPDATE = URL + "update/"


def loans():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 3)


def test_anonymous_visitors_read_the_page_but_are_sent_to_log_in_to_update(client):
    response = client.get(URL)
    assert response.status_code == 200 and "Log an update" not in response.content.decode()
    response = client.post(UPDATE, {"note": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert loans().updates.count() == 1


def test_the_item_page_shows_the_verbatim_text_session_and_timeline(client, viewer):
    client.force_login(viewer)
    body = client.get(URL).content.decode()
    assert "3. Explore and evaluate innovative approaches to providing low-cost loans for migrants." in body
    assert "Sweden, United Arab Emirates, Sri Lanka" in re.sub(r"<[^>]+>", "", body)  # each a link
    assert "Mr. Johan Fick, South Africa" in body
    assert "Seeded from the report of GFMD 2010" in body


def test_a_timeline_entry_shows_its_author_note_each_change_and_evidence(client, editor):
    import re

    rec = loans()
    editor.first_name, editor.last_name = "Ana", "<Silva>"
    editor.save()
    rec.record_update(by=editor, note="Loans agreed.\nSee <the> report.", status=Status.IN_PROGRESS, progress=40,
                      owner=editor, due_date=datetime.date(2027, 6, 30), evidence_url="https://example.org/r?a=1&b=2")
    rec.record_update(by=editor, note="Handed back.", owner=None, due_date=None,
                      due_date_reason="No date until a new owner takes it.")
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
        "Owner: eda-editor → — Due date: 30 Jun 2027 → — "
        "Why the due date changed: No date until a new owner takes it.",
        f"{first.day} {first:%b %Y, %H:%M} · Ana &lt;Silva&gt; Loans agreed. See &lt;the&gt; report. "
        "Status: Not started → In progress Owner: eda-editor Progress: 0% → 40% Due date: 30 Jun 2027 Evidence",
    ]
    assert '<a href="https://example.org/r?a=1&amp;b=2" rel="noopener noreferrer">Evidence</a>' in entries[1]


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


def test_status_progress_owner_and_due_date_stand_under_the_title_before_the_text_form_and_timeline(client, editor):
    Recommendation.objects.filter(pk=loans().pk).update(
        owner=editor, due_date=datetime.date(2027, 6, 30), progress=35, status=Status.IN_PROGRESS)
    client.force_login(editor)
    body = client.get(URL).content.decode()
    facts = body[body.index('<dl class="key-facts"'):body.index("</dl>", body.index('<dl class="key-facts"'))]
    assert re.findall(r"<dt>(.*?)</dt>", facts) == ["Status", "Progress", "Owner", "Due date", "Freshness"]
    assert ">In progress</span>" in facts and "35%" in facts and ">eda-editor</dd>" in facts
    assert "<dd>30 Jun 2027</dd>" in facts
    order = [body.index(mark) for mark in ("<h1>", '<dl class="key-facts"', "3. Explore and evaluate innovative",
                                           'id="log-update"', 'id="timeline"')]
    assert order == sorted(order)
