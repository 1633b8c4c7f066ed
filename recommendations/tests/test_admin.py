"""The Django admin as an editor uses it: lists, filters, edits and imports."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, RecommendationUpdate, Session, Status

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:recommendations_recommendation_changelist")


def test_an_editor_sees_all_45_recommendations(editor_client):
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 45


def test_the_changelist_filters_by_session(editor_client):
    session = Session.objects.get_by_natural_key(2010, "2.1")
    response = editor_client.get(CHANGELIST, {"session__id__exact": session.pk})
    assert response.context["cl"].result_count == 8
    assert "Low-cost loans for migrants" in response.content.decode()


def test_the_changelist_searches_the_verbatim_text(editor_client):
    response = editor_client.get(CHANGELIST, {"q": "Virtual Library"})
    assert [r.natural_key() for r in response.context["cl"].result_list] == [(2010, "3.2", 1)]


def test_the_changelist_query_count_does_not_grow_with_rows(editor_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        editor_client.get(CHANGELIST)


@pytest.mark.parametrize("url_name", [
    "admin:recommendations_session_changelist", "admin:recommendations_actor_changelist",
    "admin:recommendations_goodpractice_changelist", "admin:recommendations_followupitem_changelist",
    "admin:recommendations_recommendationupdate_changelist", "admin:partnerships_project_changelist",
    "admin:partnerships_projectpartner_changelist", "admin:partnerships_projectupdate_changelist",
])
def test_every_changelist_opens_with_bounded_queries(editor_client, url_name, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        assert editor_client.get(reverse(url_name)).status_code == 200


def test_a_session_page_shows_its_co_chairs_and_recommendations(editor_client):
    session = Session.objects.get_by_natural_key(2010, "3.1")
    response = editor_client.get(reverse("admin:recommendations_session_change", args=[session.pk]))
    body = response.content.decode()
    assert "Clearing house on impact assessments" in body
    changelist = editor_client.get(reverse("admin:recommendations_session_changelist")).content.decode()
    assert "Argentina, Kenya, Switzerland" in changelist


def admin_form_data(response):
    """The values of a rendered admin change form, as a browser would submit them."""
    form = response.context["adminform"].form
    data = form_values(form)
    for formset in response.context.get("inline_admin_formsets") or []:  # none on a history page
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for inline_form in formset.formset.initial_forms:
            data.update(form_values(inline_form))
    return data


def form_values(form):
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "all"):
            value = [o.pk for o in value.all()]
        elif isinstance(value, (list, tuple)):
            value = [getattr(o, "pk", o) for o in value]
        elif hasattr(value, "pk"):
            value = value.pk
        data[form.add_prefix(name)] = "" if value is None else value
    return data


def test_a_status_change_in_the_admin_form_writes_a_timeline_entry(editor_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 3)
    url = reverse("admin:recommendations_recommendation_change", args=[rec.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(status=Status.PLANNED, progress=5)

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    rec.refresh_from_db()
    assert (rec.status, rec.progress) == (Status.PLANNED, 5)
    latest = rec.updates.first()
    assert (latest.author, latest.note) == (editor, "Changed in the admin.")
    assert (latest.status_before, latest.status_after, latest.progress_after) == (
        Status.NOT_STARTED, Status.PLANNED, 5,
    )


def import_csv(client, content, name="recommendations.csv"):
    url = reverse("admin:recommendations_recommendation_import")
    upload = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return client.post(url, {"import_file": upload, "format": 0, "resource": 0})


def test_the_admin_import_previews_then_confirms(editor_client, editor):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="2.2"))
    rows = [list(r) for r in data]
    rows[3][data.headers.index("status")] = "Planned"
    csv = type(data)(*rows, headers=data.headers).export("csv")

    preview = import_csv(editor_client, csv)

    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    assert Recommendation.objects.get_by_natural_key(2010, "2.2", 4).status == Status.NOT_STARTED  # dry run only
    confirm = preview.context["confirm_form"]
    done = editor_client.post(
        reverse("admin:recommendations_recommendation_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )
    assert done.status_code == 302
    rec = Recommendation.objects.get_by_natural_key(2010, "2.2", 4)
    assert rec.status == Status.PLANNED
    assert rec.updates.first().author == editor


def test_the_admin_import_reports_a_bad_row_and_offers_no_confirmation(editor_client):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="1.2"))
    rows = [list(r) for r in data]
    rows[4][data.headers.index("session")] = "7.7"
    before = RecommendationUpdate.objects.count()

    response = import_csv(editor_client, type(data)(*rows, headers=data.headers).export("csv"))

    body = re.sub(r"\s+", " ", response.content.decode())
    assert "confirm_form" not in response.context
    assert "Unknown session &#x27;7.7&#x27; for meeting 2010." in body
    assert RecommendationUpdate.objects.count() == before


def test_staff_and_viewers_have_no_admin(client, staff, viewer):
    for user in (staff, viewer):
        client.force_login(user)
        response = client.get(CHANGELIST)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_timeline_cannot_be_edited_in_the_admin(client, administrator):
    client.force_login(administrator)
    entry = RecommendationUpdate.objects.first()
    url = reverse("admin:recommendations_recommendationupdate_change", args=[entry.pk])
    assert client.post(url, {"note": "rewritten"}).status_code == 403
    delete = reverse("admin:recommendations_recommendationupdate_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.note.startswith("Seeded from the report")


def run_action(client, action, items, **data):
    return client.post(CHANGELIST, {
        "action": action, "_selected_action": [i.pk for i in items], "apply": "1", **data,
    }, follow=True)


def test_bulk_assign_owner_writes_one_timeline_entry_per_item(editor_client, editor, staff):
    items = list(Recommendation.objects.filter(session__code="3.2"))
    response = run_action(editor_client, "assign_owner", items, owner=staff.pk, note="Sam covers climate.")
    assert "Updated 3 items; each timeline has the note." in response.content.decode()
    for rec in Recommendation.objects.filter(session__code="3.2"):
        assert rec.owner == staff
        entry = rec.updates.first()
        assert (entry.author, entry.note, entry.owner_after) == (editor, "Sam covers climate.", staff)


def test_bulk_status_change_follows_the_rules_and_refuses_all_or_nothing(editor_client):
    closed = Recommendation.objects.get_by_natural_key(2010, "3.3", 1)
    Recommendation.objects.filter(pk=closed.pk).update(status=Status.IMPLEMENTED)
    items = list(Recommendation.objects.filter(session__code="3.3"))
    before = {rec.number: rec.status for rec in items}
    response = run_action(editor_client, "change_status", items, status=Status.STALLED, note="No chair for 2011.")
    body = response.content.decode()
    assert "Nothing was changed." in body and "cannot go from Implemented to Stalled" in body
    after = dict(Recommendation.objects.filter(session__code="3.3").values_list("number", "status"))
    assert after == before and set(after.values()) == {Status.IMPLEMENTED, Status.IN_PROGRESS, Status.NOT_STARTED}


def test_bulk_status_change_asks_for_the_note_first(editor_client):
    items = list(Recommendation.objects.filter(session__code="3.2"))
    response = editor_client.post(CHANGELIST, {"action": "change_status", "_selected_action": [i.pk for i in items]})
    assert response.status_code == 200
    assert "Apply to 3 items" in response.content.decode()
    assert not Recommendation.objects.filter(session__code="3.2").exclude(status=Status.NOT_STARTED).exists()


def test_the_admin_form_asks_for_a_reason_when_an_item_stalls(editor_client):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 6)
    url = reverse("admin:recommendations_recommendation_change", args=[rec.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(status=Status.STALLED, update_note="")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Say why the item is stalled" in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == Status.NOT_STARTED


def test_the_admin_refuses_a_save_based_on_an_old_version(editor_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 7)
    url = reverse("admin:recommendations_recommendation_change", args=[rec.pk])
    data = admin_form_data(editor_client.get(url))
    rec.record_update(by=editor, note="Meanwhile someone planned it.", status=Status.PLANNED)
    data.update(title="My corrected title")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this item while you were editing it." in response.content.decode()
    rec.refresh_from_db()
    assert rec.title != "My corrected title" and rec.status == Status.PLANNED


def test_the_admin_shows_the_change_history(editor_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 4)
    rec.record_update(by=editor, note="Planned.", status=Status.PLANNED)
    response = editor_client.get(reverse("admin:recommendations_recommendation_history", args=[rec.pk]))
    html = response.content.decode()
    start = html.index('<table id="change-history"')
    table = html[start:html.index("</table>", start)]
    body = table[table.index("<tbody>"):]
    rows = [[" ".join(re.sub(r"<[^>]+>", " ", unescape(cell)).split())
             for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    # Newest first: the editor's change of status, then the seeding (no user).
    assert [row[2:] for row in rows] == [
        ["Changed", "eda-editor", "", "Status: not_started → planned"],  # no reason given: nothing, not "None"
        ["Created", "None", "", ""],
    ]


def test_the_admin_change_page_shows_the_latest_timeline_entries_and_still_saves(editor_client, editor, monkeypatch):
    from recommendations.admin import base as tracker_admin

    monkeypatch.setattr(tracker_admin, "TIMELINE_INLINE_ENTRIES", 5)
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 4)
    for n in range(8):
        rec.record_update(by=editor, note=f"Step {n}.", progress=n)
    url = reverse("admin:recommendations_recommendation_change", args=[rec.pk])
    response = editor_client.get(url)
    body = response.content.decode()
    assert "Step 7." in body and "Step 3." in body and "Step 2." not in body  # the latest 5 of 9
    data = admin_form_data(response)
    data.update(status=Status.PLANNED, update_note="Planned after the review.")
    assert editor_client.post(url, data).status_code == 302
    rec.refresh_from_db()
    assert rec.status == Status.PLANNED and rec.updates.count() == 10


def test_a_project_picks_its_outcomes_by_search_not_from_a_list_of_every_recommendation(editor_client):
    from partnerships.models import Project

    project = Project.objects.first()
    body = editor_client.get(reverse("admin:partnerships_project_change", args=[project.pk])).content.decode()
    assert "admin-autocomplete" in body and 'name="recommendations"' in body
    select = re.search(r'<select name="recommendations".*?</select>', body, re.S).group()
    # Only the outcomes it serves are drawn (there were once 45, one per recommendation).
    assert select.count("<option") == project.recommendations.count()
    found = editor_client.get(reverse("admin:autocomplete"), {
        "app_label": "partnerships", "model_name": "project", "field_name": "recommendations", "term": "circular",
    }).json()
    assert found["results"]


def test_the_admin_search_finds_words_session_codes_and_owners(editor_client, editor, staff):
    changelist = reverse("admin:recommendations_recommendation_changelist")

    def found(term):
        return {r.natural_key()[1:] for r in editor_client.get(changelist, {"q": term}).context["cl"].result_list}

    assert ("3.2", 1) in found("Virtual Library")
    assert found("3.2") == {r.natural_key()[1:] for r in Recommendation.objects.filter(session__code="3.2")}
    rec = Recommendation.objects.get_by_natural_key(2010, "2.2", 3)
    rec.record_update(by=editor, note="Hydrographic survey commissioned.", owner=staff)
    assert found(staff.username) == {("2.2", 3)}
    timeline = reverse("admin:recommendations_recommendationupdate_changelist")
    entries = editor_client.get(timeline, {"q": "hydrographic survey"}).context["cl"].result_list
    assert [e.note for e in entries] == ["Hydrographic survey commissioned."]


@pytest.mark.postgresql
def test_the_admin_search_finds_the_latest_note_with_the_texts(editor_client, editor):
    """As in the user list: the full-text search covers the notes too."""
    changelist = reverse("admin:recommendations_recommendation_changelist")
    Recommendation.objects.get_by_natural_key(2010, "2.2", 3).record_update(
        by=editor, note="Hydrographic survey commissioned.")
    found = editor_client.get(changelist, {"q": "hydrographic"}).context["cl"].result_list
    assert [r.natural_key()[1:] for r in found] == [("2.2", 3)]


@pytest.mark.postgresql
def test_the_admin_search_finds_the_same_when_a_word_is_in_too_many_items_to_list(editor_client, monkeypatch):
    from recommendations import selectors, versioning

    changelist = reverse("admin:recommendations_recommendation_changelist")

    def found(term):
        cl = editor_client.get(changelist, {"q": term, "o": "-3"}).context["cl"]
        return cl.result_count, [r.pk for r in cl.result_list]

    listed = [found("migration"), found("migrants rights"), found("3.2")]
    assert listed[0][0] > 10
    versioning.clear()
    monkeypatch.setattr(selectors, "SEARCH_ID_LIST_LIMIT", 2)  # on PostgreSQL: each row checked instead
    assert [found("migration"), found("migrants rights"), found("3.2")] == listed


def test_a_filtered_changelist_count_is_kept_until_the_data_changes(editor_client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    changelist = reverse("admin:recommendations_recommendation_changelist")
    query = {"status__exact": "planned"}

    def count():
        return editor_client.get(changelist, query).context["cl"].result_count

    before = count()
    with CaptureQueriesContext(connection) as again:
        assert count() == before
    assert not any("COUNT(*)" in q["sql"] and "planned" in q["sql"] for q in again.captured_queries)
    rec = Recommendation.objects.filter(status=Status.NOT_STARTED).first()
    rec.record_update(by=editor, note="Planned now.", status=Status.PLANNED)
    assert count() == before + 1  # a change of the data counts afresh


def test_the_history_offers_no_revert_and_a_crafted_revert_changes_nothing(editor_client, editor):
    """A revert would set status and progress behind the timeline's back: the history is
    read-only for tracked items, and a posted revert form is refused."""
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 1)
    oldest = rec.history.earliest("history_date")
    rec.record_update(by=editor, note="Under way.", status=Status.IN_PROGRESS, progress=40)
    rec.record_update(by=editor, note="The guide was published.", status=Status.IMPLEMENTED, progress=100,
                      evidence_url="https://example.org/guide")
    rec.refresh_from_db()
    before = (rec.status, rec.progress, rec.version, rec.last_update_at, rec.updates.count())
    url = reverse("admin:recommendations_recommendation_simple_history", args=[rec.pk, oldest.history_id])

    page = editor_client.get(url)
    assert page.status_code == 200
    assert page.context["title"] == f"View {rec}"
    assert 'name="_save"' not in page.content.decode()  # no Revert button
    listing = editor_client.get(reverse("admin:recommendations_recommendation_history", args=[rec.pk]))
    assert "to revert to a previous version" not in listing.content.decode()

    data = admin_form_data(page)
    data.update(status=Status.NOT_STARTED, progress=0, expected_version=rec.version, _save="Revert")
    response = editor_client.post(url, data)

    assert response.status_code == 403
    rec.refresh_from_db()
    assert (rec.status, rec.progress, rec.version, rec.last_update_at, rec.updates.count()) == before


@pytest.mark.parametrize("selected", ["x", "1.5", "²", ""])
@pytest.mark.parametrize("step", [{"index": "0"}, {"apply": "1", "owner": "1", "note": "Crafted."}])
def test_an_action_on_a_selection_that_names_no_item_changes_nothing_and_says_so(editor_client, selected, step):
    before = list(Recommendation.objects.values_list("pk", "owner_id", "version"))

    response = editor_client.post(CHANGELIST, {"action": "assign_owner", "_selected_action": [selected], **step})

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert [str(m) for m in editor_client.get(CHANGELIST).context["messages"]] == [
        "Items must be selected in order to perform actions on them. No items have been changed."]
    assert list(Recommendation.objects.values_list("pk", "owner_id", "version")) == before


@pytest.mark.parametrize("model_path", [
    "recommendations.models.Recommendation", "recommendations.models.FollowUpItem", "partnerships.models.Project",
])
def test_a_past_version_of_a_tracked_item_is_shown_read_only(editor_client, editor, model_path):
    """Nothing on the page can be edited: no inputs, no note box, no add/change/delete icons
    next to the session or owner; the version's values are shown as text."""
    from django.utils.module_loading import import_string

    model = import_string(model_path)
    item = model.objects.order_by("pk").first()
    oldest = item.history.earliest("history_date")
    item.record_update(by=editor, note="Half done.", progress=50)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[item.pk, oldest.history_id])

    html = editor_client.get(url).content.decode()

    # The only inputs are the forms' CSRF tokens (this form's and the header's "Log out").
    assert set(re.findall(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]*)"', html)) == {"csrfmiddlewaretoken"}
    assert "related-widget-wrapper-link" not in html
    assert "Note for the timeline" not in html
    readonly = dict(re.findall(r'<label>([^<]*):</label>\s*<div class="readonly">([^<]*)</div>', html))
    assert readonly["Progress"] == str(oldest.progress)
    assert readonly["Status"] == oldest.get_status_display()


def test_reverting_a_sessions_position_puts_its_recommendations_back_in_report_order(editor_client):
    """A revert saves the session without its inlines (no save_related): the recommendations'
    report order must follow the session's position all the same."""
    session = Session.objects.get_by_natural_key(2010, "1.1")
    oldest = session.history.earliest("history_date")
    session.position = 99
    session.save()
    session.recommendations.renumber()
    url = reverse("admin:recommendations_session_simple_history", args=[session.pk, oldest.history_id])
    data = admin_form_data(editor_client.get(url))

    response = editor_client.post(url, {**data, "_save": "Revert"})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.position == oldest.position != 99
    meeting = Recommendation.objects.filter(session__meeting=session.meeting_id)
    in_report_order = meeting.order_by("session__position", "session__code", "number")
    assert list(meeting.order_by("ordinal")) == list(in_report_order)


@pytest.mark.parametrize(("model_path", "before", "after"), [
    ("recommendations.models.Recommendation", Status.NOT_STARTED, Status.PLANNED),
    ("recommendations.models.FollowUpItem", Status.NOT_STARTED, Status.PLANNED),
    ("partnerships.models.Project", Status.IN_PROGRESS, Status.ONGOING),
])
def test_one_admin_edit_saves_once(editor_client, editor, model_path, before, after):
    """A change of a tracked field (status) and an untracked one (title) in one submit: one
    history record, one version more, one timeline entry, both changes saved."""
    from django.utils.module_loading import import_string

    model = import_string(model_path)
    item = model.objects.filter(status=before).order_by("pk").first()
    history_before, version_before = item.history.count(), item.version
    timeline_before = item.updates.count()
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(status=after, title="Retitled in the admin", update_note="Planned at the review.")

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    item.refresh_from_db()
    assert (item.status, item.title, item.version) == (after, "Retitled in the admin", version_before + 1)
    assert item.history.count() == history_before + 1
    newest = item.history.first()
    assert (newest.status, newest.title, newest.version, newest.history_user) == (
        after, "Retitled in the admin", version_before + 1, editor)
    assert item.updates.count() == timeline_before + 1
    entry = item.updates.first()
    assert (entry.author, entry.note, entry.status_before, entry.status_after) == (
        editor, "Planned at the review.", before, after)
    assert (item.last_note, item.last_update_at) == ("Planned at the review.", entry.created_at)


def test_an_admin_edit_of_untracked_fields_only_saves_once_without_a_timeline_entry(editor_client):
    item = Recommendation.objects.get_by_natural_key(2010, "1.1", 5)
    history_before, version_before, timeline_before = item.history.count(), item.version, item.updates.count()
    url = reverse("admin:recommendations_recommendation_change", args=[item.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(title="Only the title")

    assert editor_client.post(url, data).status_code == 302

    item.refresh_from_db()
    assert (item.title, item.version) == ("Only the title", version_before + 1)
    assert (item.history.count(), item.updates.count()) == (history_before + 1, timeline_before)
