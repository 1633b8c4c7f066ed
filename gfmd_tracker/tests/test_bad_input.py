"""Bad input of every kind gets a clear message and changes nothing; markup typed by anyone
comes back as text on every page, report, export preview and error message."""

import html
import io
import re
import time
import zipfile

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, RecommendationUpdate

pytestmark = pytest.mark.django_db

PAYLOADS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>']
REC = (2010, "1.2", 2)


def plain(response):
    return response.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_notes_and_titles_is_shown_as_text_everywhere(client, editor, payload):
    rec = Recommendation.objects.get_by_natural_key(*REC)
    rec.record_update(by=editor, note=f"Note {payload}", owner=editor, progress=5)
    Recommendation.objects.filter(pk=rec.pk).update(title=f"Title {payload}")
    client.force_login(editor)
    pages = [rec.get_absolute_url(), "/recommendations/", "/recommendations/?q=Title", "/", "/my-items/",
             f"/actors/{rec.session.participants.first().actor_id}/", "/reports/changes/",
             reverse("admin:recommendations_recommendation_changelist"),
             reverse("admin:recommendations_recommendationupdate_changelist"),
             reverse("admin:recommendations_recommendation_history", args=[rec.pk])]
    for url in pages:
        body = plain(client.get(url))
        assert payload not in body, url
    assert "&lt;script&gt;" in plain(client.get(rec.get_absolute_url())) or "&quot;&gt;&lt;img" in plain(
        client.get(rec.get_absolute_url()))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_an_imported_file_is_text_in_the_preview_and_the_error_list(editor_client, payload):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="1.2"))
    rows = [list(r) for r in data]
    rows[0][data.headers.index("title")] = payload  # valid: shown in the preview
    preview = upload(editor_client, tablib.Dataset(*rows, headers=data.headers).export("csv"))
    assert payload not in plain(preview) and "confirm_form" in preview.context
    rows[1][data.headers.index("session")] = payload  # invalid: quoted in the row's message
    errors = upload(editor_client, tablib.Dataset(*rows, headers=data.headers).export("csv"))
    assert "Unknown session" in plain(errors) and payload not in plain(errors)


def upload(client, content, name="recommendations.csv", fmt="0"):
    content = content.encode() if isinstance(content, str) else content
    url = reverse("admin:recommendations_recommendation_import")
    return client.post(url, {"import_file": SimpleUploadedFile(name, content), "format": fmt, "resource": "0"})


def export_csv():
    return RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="2.2"))


def form_errors(response):
    text = re.sub(r"\s+", " ", plain(response))
    return text


def changed_csv(**cells):
    data = export_csv()
    rows = [list(r) for r in data]
    for column, value in cells.items():
        rows[0][data.headers.index(column)] = value
    return tablib.Dataset(*rows, headers=data.headers)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The submitted file is empty."),
    (b"\n\n", "The file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "This is not a CSV text file"),
    ("meeting,session,number,title\n2010,1.1,1,Coopération\n".encode("latin-1"), "The file is not in UTF-8"),
    (b"meeting,session,number,status,status\n2010,1.1,1,Planned,Stalled\n", "appear more than once: status"),
    (b"meeting,session,title\n2010,1.1,A title\n", "number"),
    (b"meeting,session,number,title\n", "no rows to import"),
    (b"meeting,,number\n2010,x,1\n", "Column 2 has no name"),
])
def test_unreadable_or_malformed_csv_files_get_a_message_and_write_nothing(editor_client, content, message):
    before = RecommendationUpdate.objects.count(), list(Recommendation.objects.values_list("title", flat=True))
    response = upload(editor_client, content)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert "confirm_form" not in response.context
    assert (RecommendationUpdate.objects.count(), list(Recommendation.objects.values_list("title", flat=True))) \
        == before


def test_a_byte_order_mark_and_semicolons_are_read_as_excel_writes_them(editor_client):
    data = changed_csv(progress="35")
    text = data.export("csv", delimiter=";")
    response = upload(editor_client, "\ufeff" + text)
    assert "confirm_form" in response.context, form_errors(response)[:2000]
    assert response.context["result"].totals["update"] == 1


@pytest.mark.parametrize(("column", "value", "message"), [
    ("session", "9.9", "Unknown session '9.9' for meeting 2010."),
    ("responsible_actors", "Atlantis", "Unknown actor(s): Atlantis."),
    ("title", "A\x00B", "contains a NUL character"),
    ("text", "x" * 100_001, "at most 100,000 are accepted"),
    ("title", "y" * 201, "Ensure this value has at most 200 characters"),
])
def test_bad_cells_are_row_messages_and_write_nothing(editor, column, value, message):
    before = RecommendationUpdate.objects.count()
    result = RecommendationResource().import_data(changed_csv(**{column: value}), user=editor)
    assert result.has_validation_errors()
    assert message in str(result.invalid_rows[0].error_dict)
    assert RecommendationUpdate.objects.count() == before


def test_a_bad_row_at_row_9999_of_10000_writes_nothing(editor):
    data = export_csv()
    template = dict(zip(data.headers, data[0]))
    rows = []
    for number in range(100, 10_100):
        row = {**template, "number": str(number), "title": f"Synthetic {number}"}
        rows.append([row[h] for h in data.headers])
    rows[9_998][data.headers.index("owner")] = "nobody-by-that-name"
    result = RecommendationResource().import_data(tablib.Dataset(*rows, headers=data.headers), user=editor)
    assert [r.number for r in result.invalid_rows] == [10_000]  # data row 9,999 under the column names
    assert not Recommendation.objects.filter(title__startswith="Synthetic").exists()


@override_settings(IMPORT_MAX_BYTES=2_000)
def test_an_oversized_upload_is_refused_before_it_is_read(editor_client):
    response = upload(editor_client, "meeting,session,number\n" + "2010,1.1,1\n" * 400)
    assert "at most 2.0" in form_errors(response) and "Split it into smaller files" in form_errors(response)


@override_settings(IMPORT_MAX_ROWS=10)
def test_too_many_rows_are_refused_with_the_limit(editor_client):
    response = upload(editor_client, RecommendationResource().export().export("csv"))
    assert "The file has 45 rows; at most 10 are imported at once" in form_errors(response)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_zip_bomb_named_xlsx_is_refused_quickly_without_unpacking(editor_client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * (300 * 2**20))
    started = time.monotonic()
    response = upload(editor_client, out.getvalue(), name="bomb.xlsx", fmt="1")
    assert time.monotonic() - started < 5
    assert "it was not opened" in form_errors(response)


def test_an_xlsx_with_entity_expansion_is_refused(editor_client):
    data = xlsx_bytes([["meeting", "session", "number"], [2010, "1.1", 1]])
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 10))
              + ']>')
    with zipfile.ZipFile(out, "w") as archive:
        for part in source.infolist():
            content = source.read(part.filename)
            if part.filename.endswith("sheet1.xml"):
                body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
                content = laughs.encode() + body
            archive.writestr(part, content)
    started = time.monotonic()
    response = upload(editor_client, out.getvalue(), name="laughs.xlsx", fmt="1")
    assert time.monotonic() - started < 5
    assert "The Excel file cannot be read" in form_errors(response)


def test_a_csv_file_chosen_as_excel_gets_a_message(editor_client):
    response = upload(editor_client, export_csv().export("csv"), name="recs.xlsx", fmt="1")
    assert "This is not an Excel .xlsx file" in form_errors(response)


def test_a_real_xlsx_imports(editor_client):
    data = changed_csv(progress="45")
    response = upload(editor_client, xlsx_bytes([data.headers, *[list(r) for r in data]]), name="r.xlsx", fmt="1")
    assert "confirm_form" in response.context, form_errors(response)[:2000]


@pytest.mark.parametrize(("note", "message"), [
    ("A\x00B", "Null characters are not allowed."),
    ("n" * 10_001, "Ensure this value has at most 10000 characters"),
])
def test_a_note_with_nul_or_too_long_gets_a_message_and_saves_nothing(client, editor, note, message):
    rec = Recommendation.objects.get_by_natural_key(*REC)
    client.force_login(editor)
    response = client.post(rec.get_update_url(), {"note": note, "version": rec.version, "status": rec.status})
    assert response.status_code == 400
    assert message in plain(response)
    assert rec.updates.count() == Recommendation.objects.get(pk=rec.pk).updates.count() == 1


@pytest.mark.parametrize("params", [{"stale": "99999999999"}, {"stale": "1e308"}, {"page": "99999"},
                                    {"due_after": "2011-02-30"}, {"sort": "password"}, {"status": "done-ish"}])
def test_out_of_range_filter_values_get_a_page_not_an_error(client, viewer, params):
    client.force_login(viewer)
    response = client.get("/recommendations/", params)
    assert response.status_code in (200, 404)


NUL_PAGE = ("<p>This address holds a NUL character (%00), which no page of the tracker accepts. "
            "Check the link you followed, or go back to <a href=\"/\">the dashboard</a>.</p>")


@pytest.mark.parametrize("url", [
    "/recommendations/2010/1.1%00/3/",
    "/follow-up/2010/CSD%00/1/",
    "/recommendations/?q=%00",
    "/admin/recommendations/recommendation/?status__exact=%00",
    "/admin/recommendations/recommendation/?session__meeting__id__exact=%00",
    "/admin/autocomplete/?app_label=partnerships&model_name=project&field_name=recommendations&term=%00",
    "/admin/autocomplete/?app_label=recommendations&model_name=recommendation&field_name=owner&term=x%00",
])
def test_an_address_with_a_nul_character_gets_a_400_page_that_says_so(client, administrator, url):
    client.force_login(administrator)
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_PAGE in plain(response)


def test_a_year_written_with_a_superscript_digit_shows_the_matrix(viewer_client):
    response = viewer_client.get("/reports/matrix/", {"year": "²"})
    assert response.status_code == 200
    assert [row.session.code for group in response.context["matrix"].groups for row in group.rows][:3] == [
        "1.1", "1.2", "2.1"]


@pytest.mark.parametrize("session", ["abc", "²", "1.5"])
def test_the_admins_session_filter_given_a_non_numeric_id_answers_as_djangos_filters_do(editor_client, session):
    url = reverse("admin:recommendations_recommendation_changelist")
    response = editor_client.get(url, {"session__id__exact": session})
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")  # the list, unfiltered
    assert editor_client.get(response["Location"]).context["cl"].result_count == 45


@pytest.mark.parametrize("meeting", ["abc", "²"])
def test_the_admins_session_filter_ignores_a_non_numeric_meeting_id_as_the_meeting_filter_does(
        editor_client, meeting):
    url = reverse("admin:recommendations_recommendation_changelist")
    response = editor_client.get(url, {"session__meeting__id__exact": meeting})
    assert response.context["cl"].result_count == 45
    assert "By session" not in response.content.decode()  # no sessions listed for no meeting


@pytest.mark.parametrize("url", ["/admin/recommendations/session/abc/history/",
                                 "/admin/recommendations/recommendation/²/history/",
                                 "/admin/partnerships/project/1.5/history/"])
def test_the_history_page_of_a_non_numeric_id_is_not_found(editor_client, url):
    assert editor_client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/admin/recommendations/recommendation/1/history/abc/",
                                 "/admin/recommendations/recommendation/abc/history/1/",
                                 "/admin/recommendations/session/1/history/²/",
                                 "/admin/partnerships/project/1.5/history/1/",
                                 "/admin/recommendations/actor/1/history/99999999999999999999/"])
def test_a_past_version_page_of_a_non_numeric_id_is_not_found(editor_client, url):
    assert editor_client.get(url).status_code == 404


def changed_xlsx():
    data = export_csv()
    return xlsx_bytes([data.headers, *[list(r) for r in data]])


def form_field_errors(response):
    return response.context["form"].errors["import_file"]


def with_sheet_xml(data, change):
    """`data` (an .xlsx) with its sheet's XML passed through `change`."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            content = source.read(part.filename)
            if part.filename.endswith("sheet1.xml"):
                content = change(content.decode()).encode()
            archive.writestr(part, content)
    return out.getvalue()


def rows_read_by_openpyxl(monkeypatch):
    """The rows openpyxl hands over, counted."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    read, cells_by_row = [], ReadOnlyWorksheet._cells_by_row

    def counted(*args, **kwargs):
        for row in cells_by_row(*args, **kwargs):
            read.append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted)
    return read


def test_an_xlsx_declaring_the_whole_sheet_is_refused_before_a_row_is_read(editor_client, monkeypatch):
    whole_sheet = '<dimension ref="A1:XFD1048576"'
    data = with_sheet_xml(changed_xlsx(), lambda xml: re.sub(r'<dimension ref="[^"]*"', whole_sheet, xml))
    assert len(data) < 10_000
    read = rows_read_by_openpyxl(monkeypatch)

    response = upload(editor_client, data, name="huge.xlsx", fmt="1")

    assert form_field_errors(response) == [
        "The Excel sheet says it spans 1,048,576 rows and 16,384 columns; at most 50,000 rows and 100 "
        "columns are imported at once. Delete the empty rows and columns after your data, or save the "
        "sheet as CSV."]
    assert read == []


@override_settings(IMPORT_MAX_ROWS=10)
def test_an_xlsx_whose_rows_run_past_its_declared_size_is_read_only_to_the_limit(editor_client, monkeypatch):
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = with_sheet_xml(changed_xlsx(), lambda xml: xml.replace("</sheetData>", far))
    read = rows_read_by_openpyxl(monkeypatch)

    response = upload(editor_client, data, name="far.xlsx", fmt="1")

    assert form_field_errors(response) == [
        "The file has more than 10 rows (empty rows included); at most 10 are imported at once. "
        "Delete the empty rows, or split the file into smaller files."]
    columns = len(export_csv().headers)
    assert len(read) <= 12 and set(read[1:]) == {columns}  # the names, then rows as wide as they are


def main_text(response):
    """The error page's message: its heading and paragraph, as read (the ways back after them left out)."""
    main = re.search(r'<section class="card error-page">(.*?)<(?:nav|p><a)', response.content.decode(), re.S).group(1)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def test_a_refused_address_gets_the_trackers_page_with_the_reason(editor_client):
    rec = Recommendation.objects.get_by_natural_key(*REC)
    version = rec.history.earliest().history_id
    url = reverse("admin:recommendations_recommendation_simple_history", args=[rec.pk, version])

    response = editor_client.post(url, {"status": "implemented"})

    assert response.status_code == 403
    assert main_text(response) == (
        "Not allowed An item's history is read-only; log an update to change it. Nothing was changed. "
        "Ask an administrator if you need to do this, or go back to the dashboard .")
    assert main_text(editor_client.get(reverse("admin:auth_user_changelist"))) == (
        "Not allowed Your role does not allow this. Nothing was changed. "
        "Ask an administrator if you need to do this, or go back to the dashboard .")


def test_an_address_of_nothing_gets_the_trackers_page_not_found(viewer_client):
    response = viewer_client.get("/recommendations/2010/1.1/99/")

    assert response.status_code == 404
    assert main_text(response) == (
        "Page not found No page of the tracker has this address. Check the link you followed, "
        "or go back to the dashboard .")
