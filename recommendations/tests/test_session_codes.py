"""Session codes: checked where they are entered, and no page fails on one stored before the check.

A session code is part of its items' web addresses (/recommendations/2010/3.3/5/)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode

from partnerships.models import Project
from recommendations.models import Actor, Recommendation, Session

from .test_admin import admin_form_data, import_csv

pytestmark = pytest.mark.django_db

CODE_MESSAGE = (
    "A session code is letters, digits, dots and hyphens, starting with a letter or a digit "
    "(1.1, CSD, 2-A): no “/”, spaces or other signs, as the code is part of its items' web addresses."
)


@pytest.mark.parametrize("code", ["3.3/b", "3.3 b", "3.3\x00", ".3", "-1", "3.3?", "3.3#b", "é1", ""])
def test_a_session_code_outside_letters_digits_dots_and_hyphens_is_refused(code):
    session = Session.objects.get_by_natural_key(2010, "3.3")
    session.code = code
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    expected = ["This field cannot be blank."] if code == "" else [CODE_MESSAGE]
    assert refused.value.message_dict["code"] == expected


@pytest.mark.parametrize("code", ["3.4", "CSD2", "3.3b", "2-A", "10.12"])
def test_codes_of_letters_digits_dots_and_hyphens_are_accepted(code):
    session = Session.objects.get_by_natural_key(2010, "3.3")
    session.code = code
    session.full_clean()


def test_the_admin_refuses_a_code_with_a_slash_and_keeps_the_stored_one(editor_client):
    session = Session.objects.get_by_natural_key(2010, "FOF")
    url = reverse("admin:recommendations_session_change", args=[session.pk])
    data = admin_form_data(editor_client.get(url))

    refused = editor_client.post(url, {**data, "code": "FOF/2"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["code"] == [CODE_MESSAGE]
    session.refresh_from_db()
    assert session.code == "FOF"

    saved = editor_client.post(url, {**data, "code": "FOF-2"})
    assert saved.status_code == 302
    session.refresh_from_db()
    assert session.code == "FOF-2"


def test_an_import_naming_a_code_with_a_slash_gets_a_row_message_and_writes_nothing(editor_client):
    response = import_csv(editor_client, "meeting,session,number,title,text,status\n"
                                         "2010,3.3/b,6,A new one,Its text.,Not started\n")
    assert response.status_code == 200
    errors = response.context["result"].invalid_rows[0].error_dict
    assert errors["session"] == ["Unknown session '3.3/b' for meeting 2010."]
    assert not Recommendation.objects.filter(title="A new one").exists()


# Codes an editor could save before codes were checked, or that were written around the checks.
STORED = ["3.3/b", "3.3 b&<x>", "3.3/../b", ""]


def pages(code):
    morocco = Actor.objects.get(name="Morocco")  # co-chairs 3.3
    profiles = Project.objects.get(title="Developing Migration Profiles")  # serves 3.3/3
    rec = Recommendation.objects.get_by_natural_key(2010, code, 3)
    return [
        "/", "/recommendations/", f"/recommendations/?{urlencode({'session': code})}", "/reports/matrix/",
        "/reports/changes/",
        "/my-items/", "/actors/", f"/actors/{morocco.pk}/", f"/projects/{profiles.pk}/", "/projects/",
        "/recommendations/export.csv", "/recommendations/export.xlsx", "/projects/export.csv",
        rec.get_absolute_url(),
        reverse("admin:recommendations_recommendation_changelist"),
        reverse("admin:recommendations_recommendation_change", args=[rec.pk]),
        reverse("admin:recommendations_session_changelist"),
        reverse("admin:recommendations_session_change", args=[rec.session_id]),
    ]


@pytest.mark.parametrize("code", STORED)
def test_every_page_answers_whatever_code_is_stored(client, administrator, code):
    Session.objects.filter(meeting__year=2010, code="3.3").update(code=code)
    rec = Recommendation.objects.get_by_natural_key(2010, code, 3)
    rec.record_update(by=administrator, note="Profiles drafted.", owner=administrator)  # on the dashboard, my items
    client.force_login(administrator)
    for url in pages(code):
        response = client.get(url, follow=True)  # `?session=` (empty) is redirected to the list without it
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)


def test_an_item_of_a_session_coded_with_a_slash_has_a_working_link(client, viewer):
    Session.objects.filter(meeting__year=2010, code="3.3").update(code="3.3/b")
    client.force_login(viewer)
    listed = client.get("/recommendations/", {"session": "3.3/b"}).content.decode()
    assert '<a href="/recommendations/2010/3.3/b/5/">' in listed
    page = client.get("/recommendations/2010/3.3/b/5/")
    assert page.context["item"] == Recommendation.objects.get_by_natural_key(2010, "3.3/b", 5)
    assert '<h2><a href="/meetings/2010/#session-3.3/b">Session 3.3/b: ' in page.content.decode()
    assert 'id="session-3.3/b"' in client.get("/meetings/2010/").content.decode()  # where that link lands


def test_the_matrix_links_each_count_to_the_list_of_its_session_whatever_its_code(client, viewer):
    import html
    import re

    Session.objects.filter(meeting__year=2010, code="3.3").update(code="3.3 b&<x>")
    client.force_login(viewer)
    matrix = client.get("/reports/matrix/").content.decode()
    start = matrix.index('<span class="code">3.3 b&amp;&lt;x&gt;</span>')
    row = matrix[start:matrix.index("</tr>", start)]
    total = re.findall(r'<a href="([^"]*)">', row)[-1]  # the row's total
    listed = client.get(html.unescape(total)).context["page"]
    assert sorted(r.number for r in listed) == [1, 2, 3, 4, 5]
