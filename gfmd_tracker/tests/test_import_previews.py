"""An import preview waits for "Confirm import" in the database: any web process can confirm
it, nothing is written to a server's disk, a name that was not handed out reads and deletes
nothing, and a preview left unconfirmed expires."""

import os
import tempfile
from datetime import timedelta

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import make_user
from gfmd_tracker.models import ImportPreview
from gfmd_tracker.roles import EDITOR
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

GONE = ("This import preview is no longer available: previews expire after 60 minutes, and each can be "
        "confirmed once, by the person who uploaded the file. Upload the file again.")
REC = (2010, "3.1", 4)


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """An empty temporary folder as the server's, to see what an import leaves there."""
    folder = tmp_path / "server-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def progress():
    return Recommendation.objects.get_by_natural_key(*REC).progress


def csv_with_progress(value):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(
        session__code=REC[1], number=REC[2]))
    row = dict(zip(data.headers, data[0]), progress=str(value))
    return tablib.Dataset([row[h] for h in data.headers], headers=data.headers).export("csv").encode()


def preview(client, content):
    response = client.post(reverse("admin:recommendations_recommendation_import"), {
        "import_file": SimpleUploadedFile("recs.csv", content), "format": "0", "resource": "0"})
    assert "confirm_form" in response.context
    return response.context["confirm_form"].initial


def confirm(client, initial, **changed):
    return client.post(reverse("admin:recommendations_recommendation_process_import"), {**initial, **changed})


def errors_shown(response):
    return [str(e) for e in response.context["confirm_form"].non_field_errors()]


def test_a_preview_is_confirmed_by_another_web_process_with_nothing_on_disk(editor, temp_dir):
    first_server, second_server = Client(), Client()
    first_server.force_login(editor)
    second_server.force_login(editor)

    initial = preview(first_server, csv_with_progress(35))
    assert list(temp_dir.iterdir()) == []
    response = confirm(second_server, initial)

    assert response.status_code == 302 and response.url == reverse("admin:recommendations_recommendation_changelist")
    assert progress() == 35
    assert list(temp_dir.iterdir()) == []
    assert not ImportPreview.objects.exists()  # a confirmed preview is gone


@pytest.mark.parametrize("forged", ["victim.csv", "../../etc/passwd", "../victim.csv"])
def test_a_name_that_was_not_handed_out_reads_and_deletes_nothing(editor_client, temp_dir, forged):
    victim = temp_dir / "victim.csv"
    victim.write_bytes(csv_with_progress(77))
    initial = preview(editor_client, csv_with_progress(35))

    response = confirm(editor_client, initial, import_file_name=forged)

    assert response.status_code == 400  # the page, with its message, as the answer to a bad request
    assert errors_shown(response) == [GONE]
    page = response.content.decode()
    assert GONE in page and "Upload the file again" in page and "Confirm import" not in page
    assert progress() == 0
    assert victim.read_bytes() == csv_with_progress(77)
    assert ImportPreview.objects.count() == 1  # the real preview is still there to confirm


def test_only_the_editor_who_uploaded_a_file_can_confirm_it(editor_client, client):
    initial = preview(editor_client, csv_with_progress(35))
    client.force_login(make_user("otto-other-editor", EDITOR))

    response = confirm(client, initial)

    assert response.status_code == 400
    assert errors_shown(response) == [GONE]
    assert progress() == 0


def test_a_preview_expires_and_the_next_upload_deletes_it(editor_client):
    initial = preview(editor_client, csv_with_progress(35))
    ImportPreview.objects.update(created_at=ImportPreview.objects.get().created_at - timedelta(minutes=61))

    response = confirm(editor_client, initial)
    assert response.status_code == 400
    assert errors_shown(response) == [GONE]
    assert progress() == 0

    again = preview(editor_client, csv_with_progress(35))
    assert list(ImportPreview.objects.values_list("name", flat=True)) == [again["import_file_name"]]
    assert confirm(editor_client, again).status_code == 302
    assert progress() == 35


def test_a_preview_name_is_long_and_random(editor_client):
    names = {preview(editor_client, csv_with_progress(35))["import_file_name"] for _ in range(3)}
    assert len(names) == 3
    assert all(len(name) >= 40 and os.path.basename(name) == name for name in names)


def test_an_excel_preview_is_confirmed_from_the_database_too(editor_client, temp_dir):
    import io

    import openpyxl

    data = tablib.Dataset().load(csv_with_progress(45).decode(), format="csv")
    book = openpyxl.Workbook()
    for row in [data.headers, *data]:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    response = editor_client.post(reverse("admin:recommendations_recommendation_import"), {
        "import_file": SimpleUploadedFile("recs.xlsx", out.getvalue()), "format": "1", "resource": "0"})
    initial = response.context["confirm_form"].initial

    assert confirm(editor_client, initial).status_code == 302
    assert progress() == 45
    assert list(temp_dir.iterdir()) == [] and not ImportPreview.objects.exists()


@pytest.mark.parametrize("changed, message", [
    ({"format": "9"}, "This confirmation names no format or resource of this import page. Upload the file again."),
    ({"format": "x"}, "This confirmation names no format or resource of this import page. Upload the file again."),
    ({"resource": "7"}, "This confirmation names no format or resource of this import page. Upload the file again."),
    ({"format": "1"}, "This is not an Excel .xlsx file. Choose the CSV format for .csv files; save old .xls files "
                      "as .xlsx first."),
])
def test_a_confirmation_with_a_changed_format_or_resource_is_refused_in_words(editor_client, changed, message):
    initial = preview(editor_client, csv_with_progress(35))

    response = confirm(editor_client, initial, **changed)

    assert response.status_code == 400  # the page, with its message, as the answer to a bad request
    assert errors_shown(response) == [message]
    page = response.content.decode()
    assert "Upload the file again" in page and "Confirm import" not in page
    assert progress() == 0


def errors_on_page(response):
    import re
    from html import unescape

    lists = re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', response.content.decode(), re.S)
    return [unescape(item) for items in lists for item in re.findall(r"<li>(.*?)</li>", items, re.S)]


@pytest.mark.parametrize("changed, message", [
    ({"original_file_name": "recs\x00.csv"}, "Original file name: Null characters are not allowed."),
    ({"import_file_name": ""}, "Import file name: This field is required."),
])
def test_a_refused_hidden_field_of_the_confirmation_is_named_with_its_reason(editor_client, changed, message):
    initial = preview(editor_client, csv_with_progress(35))

    response = confirm(editor_client, initial, **changed)

    assert response.status_code == 400
    assert errors_on_page(response) == [message]
    assert "Upload the file again" in response.content.decode()
    assert progress() == 0


def test_an_excel_preview_confirmed_as_csv_is_refused_in_words(editor_client):
    import io

    import openpyxl

    data = tablib.Dataset().load(csv_with_progress(45).decode(), format="csv")
    book = openpyxl.Workbook()
    for row in [data.headers, *data]:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    response = editor_client.post(reverse("admin:recommendations_recommendation_import"), {
        "import_file": SimpleUploadedFile("recs.xlsx", out.getvalue()), "format": "1", "resource": "0"})
    initial = response.context["confirm_form"].initial

    response = confirm(editor_client, initial, format="0")

    assert response.status_code == 400
    assert errors_shown(response) == ["This is not a CSV text file (it contains binary data). Choose the Excel "
                                      "format for .xlsx files."]
    assert "Confirm import" not in response.content.decode()
    assert progress() == 0
