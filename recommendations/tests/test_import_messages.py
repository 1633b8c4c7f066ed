"""Every bad cell of every sheet gets a plain message, on the row the editor sees in the
spreadsheet (the column names are row 1); nothing is rounded, and the import page shows no
Python internals."""

import io
import re

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from partnerships.models import Project, ProjectPartner
from partnerships.resources import ProjectPartnerResource, ProjectResource
from recommendations.imports.resources import ActorResource, FollowUpItemResource, RecommendationResource
from recommendations.models import Actor, FollowUpItem, Recommendation

pytestmark = pytest.mark.django_db

SHEETS = {
    "recommendations": (RecommendationResource, lambda: Recommendation.objects.filter(session__code="1.1", number=1)),
    "follow-up items": (FollowUpItemResource, lambda: FollowUpItem.objects.order_by("pk")[:1]),
    "projects": (ProjectResource, lambda: Project.objects.filter(title="Developing Migration Profiles")),
    "project partners": (ProjectPartnerResource, lambda: ProjectPartner.objects.order_by("pk")[:1]),
    "actors": (ActorResource, lambda: Actor.objects.filter(name="Mexico")),
}


def one_row(sheet, **cells):
    """The sheet's export of one record, with these cells changed."""
    resource, records = SHEETS[sheet]
    data = resource().export(queryset=records())
    row = dict(zip(data.headers, data[0]), **cells)
    headers = data.headers + [column for column in cells if column not in data.headers]  # the note
    return tablib.Dataset([row[h] for h in headers], headers=headers)


def messages(result):
    """What the import page lists: (row, column or None, message)."""
    return (
        [(row.number, column, message) for row in result.invalid_rows
         for column, messages in row.error_dict.items() for message in messages]
        + [(line, None, error.message) for line, errors in result.row_errors() for error in errors]
        + [(None, None, error.message) for error in result.base_errors]
    )


def year(value):
    return f"The meeting must be a year, such as 2010, not '{value}'."


def number(value):
    return f"The number must be a whole number from 1 to 32,767, not '{value}'."


def progress(value):
    return f"Progress must be a whole number from 0 to 100, not '{value}'."


def due_date(value):
    return f"'{value}' is not a date: write a day (2027-03-31), a month (2027-03) or a year (2027)."


NUMBER_REQUIRED = "The number is required: a whole number from 1 to 32,767."
PROGRESS_REQUIRED = "Progress is required: a whole number from 0 to 100."
MEETING_REQUIRED = "The meeting is required with a session: write its year, such as 2010."
ROLES = "Proposer / owner, Supporter, Implementer, Technical partner, Interested party"

CASES = [
    ("recommendations", "meeting", "inf", year("inf")),
    ("recommendations", "meeting", float("inf"), year("inf")),
    ("recommendations", "meeting", "nan", year("nan")),
    ("recommendations", "meeting", "2010.5", year("2010.5")),
    ("recommendations", "meeting", "1e3", year("1e3")),
    ("recommendations", "meeting", "soon", year("soon")),
    ("recommendations", "meeting", "", MEETING_REQUIRED),
    ("recommendations", "meeting", "20\x0010", "The meeting cell contains a NUL character; remove it."),
    ("recommendations", "session", "", "The session cell is empty; it must be filled in."),
    ("recommendations", "number", "inf", number("inf")),
    ("recommendations", "number", "nan", number("nan")),
    ("recommendations", "number", "-1", number("-1")),
    ("recommendations", "number", "0", number("0")),
    ("recommendations", "number", "1.5", number("1.5")),
    ("recommendations", "number", 1.5, number("1.5")),
    ("recommendations", "number", "1e3", number("1e3")),
    ("recommendations", "number", "one", number("one")),
    ("recommendations", "number", "", NUMBER_REQUIRED),
    ("recommendations", "text", "", "The text cell is empty; it must be filled in."),
    ("recommendations", "title", "A\x00B", "The title cell contains a NUL character; remove it."),
    ("recommendations", "progress", "inf", progress("inf")),
    ("recommendations", "progress", "nan", progress("nan")),
    ("recommendations", "progress", "-1", progress("-1")),
    ("recommendations", "progress", "101", progress("101")),
    ("recommendations", "progress", "50.5", progress("50.5")),
    ("recommendations", "progress", 50.5, progress("50.5")),
    ("recommendations", "progress", "1e3", progress("1e3")),
    ("recommendations", "progress", "half", progress("half")),
    ("recommendations", "progress", "50%", progress("50%")),
    ("recommendations", "progress", "", PROGRESS_REQUIRED),
    ("recommendations", "due_date", "31/02/2027", due_date("31/02/2027")),
    ("recommendations", "due_date", "2027-02-31", due_date("2027-02-31")),
    ("recommendations", "due_date", "soon", due_date("soon")),
    ("recommendations", "due_date", "-1", due_date("-1")),
    ("recommendations", "due_date", 50.5, due_date("50.5")),
    ("recommendations", "priority", "inf", "Unknown priority 'inf'. Use one of: Low, Medium, High."),
    ("recommendations", "owner", "nan", "Unknown user 'nan'."),
    ("recommendations", "themes", "101", "Unknown theme(s): 101."),
    ("recommendations", "note", "a\x00b", "The note cell contains a NUL character; remove it."),
    ("follow-up items", "progress", "50.5", progress("50.5")),
    ("follow-up items", "number", "inf", number("inf")),
    ("follow-up items", "due_date", "31/02/2027", due_date("31/02/2027")),
    ("projects", "meeting", "inf", year("inf")),
    ("projects", "progress", "50.5", progress("50.5")),
    ("projects", "progress", "1e3", progress("1e3")),
    ("projects", "due_date", "soon", due_date("soon")),
    ("projects", "title", "", "The title cell is empty; it must be filled in."),
    ("projects", "description", None, "The description cell is empty; it must be filled in."),
    ("projects", "stage", "-1", "Unknown stage '-1'. Use one of: Initiation, Design, Implementation, "
                                "Completion / follow-up, On hold, Withdrawn."),
    ("projects", "recommendations", "2010/1.1/inf", "Unknown recommendation(s): 2010/1.1/inf (write them as "
                                                    "year/session/number, e.g. 2010/1.1/8)."),
    ("project partners", "project", "", "The project cell is empty; it must be filled in."),
    ("project partners", "role", "soon", f"Unknown role 'soon'. Use one of: {ROLES}."),
    ("project partners", "note", "a\x00b", "The note cell contains a NUL character; remove it."),
    ("actors", "kind", "101", "Unknown kind '101'. Use one of: Government, International organization, "
                              "Civil society, GFMD body, Other."),
    ("actors", "country", "inf", "'INF' is not an ISO 3166 country code (e.g. MX, CH, PH)."),
    ("actors", "name", "", "The name cell is empty; it must be filled in."),
]


@pytest.mark.parametrize(("sheet", "column", "value", "message"), CASES)
def test_a_bad_cell_gets_a_plain_message_on_its_spreadsheet_row(editor, sheet, column, value, message):
    resource, records = SHEETS[sheet]
    before = [(r.pk, r.__dict__.get("version"), str(r)) for r in records().model.objects.all()]

    result = resource().import_data(one_row(sheet, **{column: value}), user=editor)

    expected_column = None if sheet == "project partners" and column == "role" else column
    assert messages(result) == [(2, expected_column, message)]
    assert [(r.pk, r.__dict__.get("version"), str(r)) for r in records().model.objects.all()] == before


@pytest.mark.parametrize("value", ["50", "50.0", 50, 50.0, " 50 "])
def test_progress_written_as_a_whole_number_in_any_form_is_read(editor, value):
    result = RecommendationResource().import_data(one_row("recommendations", progress=value), user=editor)
    assert messages(result) == [] and result.totals["update"] == 1
    assert Recommendation.objects.get_by_natural_key(2010, "1.1", 1).progress == 50


def test_empty_cells_of_an_excel_file_are_empty_text(editor):
    """openpyxl reads an empty cell as None: an actor's notes, a project's origin."""
    result = ActorResource().import_data(one_row("actors", notes=None, short_name=None), user=editor)
    assert messages(result) == []
    assert Actor.objects.filter(name="Mexico").values_list("notes", "short_name").get() == ("", "")


def upload(client, name, content, fmt):
    return client.post(reverse("admin:recommendations_recommendation_import"), {
        "import_file": SimpleUploadedFile(name, content), "format": fmt, "resource": "0"})


def xlsx(dataset):
    book = openpyxl.Workbook()
    book.active.append(dataset.headers)
    for row in dataset:
        book.active.append([None if cell == "" else cell for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_page_numbers_rows_as_excel_and_shows_empty_cells_empty(editor_client):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="1.1")[:3])
    headers = data.headers + ["note"]
    rows = [list(r) + [""] for r in data]
    rows[1][headers.index("progress")] = "50.5"
    rows[1][headers.index("due_date")] = ""

    response = upload(editor_client, "recs.xlsx", xlsx(tablib.Dataset(*rows, headers=headers)), "1")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 3  # the second record, under the column names
    expected = dict(zip(headers, rows[1]), progress="50.5", due_date="", public="---", note="")  # not in the file
    assert invalid.values == tuple(expected[h] for h in response.context["result"].diff_headers)
    html = response.content.decode()
    assert re.search(r"<td>3 </td>", html) and ">None<" not in html
    assert escape(progress("50.5")) in html


def test_errors_that_are_not_cells_are_plain_sentences_without_tracebacks(editor_client, monkeypatch):
    url = reverse("admin:recommendations_actor_import")
    group = "name,short_name,kind,country,members,notes\nPacific Alliance,,GFMD body,,Chile; Narnia,\n"
    response = editor_client.post(url, {"import_file": SimpleUploadedFile("a.csv", group.encode()),
                                        "format": "0", "resource": "0"})
    html = response.content.decode()
    assert "<li>Actor &#x27;Pacific Alliance&#x27;: Unknown member(s): Narnia.</li>" in html
    assert "Traceback" not in html

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(ActorResource, "after_import", broken)
    response = editor_client.post(url, {"import_file": SimpleUploadedFile("a.csv", group.encode()),
                                        "format": "0", "resource": "0"})
    html = response.content.decode()
    assert ("<li>This could not be imported because of an error in the application (written to the "
            "server&#x27;s log); nothing was written.</li>") in html
    assert "Traceback" not in html and "ZeroDivisionError" not in html and "division by zero" not in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers(editor_client, fmt):
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="1.1")[:3])
    rows = [list(r) for r in data]
    rows[2][data.headers.index("progress")] = "half"
    blank = [""] * len(data.headers)
    sheet = tablib.Dataset(rows[0], blank, rows[1], blank, blank, rows[2], blank, headers=data.headers)
    content = sheet.export("csv").encode() if fmt == "csv" else xlsx(sheet)

    response = upload(editor_client, f"recs.{fmt}", content, "0" if fmt == "csv" else "1")

    result = response.context["result"]
    assert messages(result) == [(7, "progress", progress("half"))]  # names, 2, blank, 4, blank, blank, 7

    rows[2][data.headers.index("progress")] = "20"
    sheet = tablib.Dataset(rows[0], blank, rows[1], blank, blank, rows[2], blank, headers=data.headers)
    content = sheet.export("csv").encode() if fmt == "csv" else xlsx(sheet)
    preview = upload(editor_client, f"recs.{fmt}", content, "0" if fmt == "csv" else "1").context["result"]
    assert [row.import_type for row in preview.rows] == ["skip", "skip", "skip", "skip", "skip", "update"]


def test_a_refusal_that_is_not_a_cell_is_shown_in_its_own_words(editor_client, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(*args, **kwargs):
        raise ValidationError(["Groups must list their members.", "Try again."])

    monkeypatch.setattr(ActorResource, "after_import", refuse)
    group = "name,short_name,kind,country,members,notes\nPacific Alliance,,GFMD body,,Chile,\n"
    response = editor_client.post(reverse("admin:recommendations_actor_import"), {
        "import_file": SimpleUploadedFile("a.csv", group.encode()), "format": "0", "resource": "0"})
    assert "<li>Groups must list their members. Try again.</li>" in response.content.decode()


OWNER_REFUSED = ("vera-viewer cannot own items: an owner must be an active user whose role may log updates "
                 "(staff, editor or administrator).")


@pytest.mark.parametrize("cells, expected", [
    ({"progress": "50.5", "owner": "vera-viewer"},
     [(2, "owner", OWNER_REFUSED), (2, "progress", progress("50.5"))]),
    ({"due_date": "soon", "status": "Stalled", "note": ""},
     [(2, "due_date", due_date("soon")), (2, "note", "Say why the item is stalled: the note is the reason.")]),
    ({"due_date": "soon", "status": "Implemented"},
     [(2, "due_date", due_date("soon")),
      (2, "note", "Say what was done: the note records how the item was implemented.")]),
    ({"due_date": "soon", "status": "Ongoing"},
     [(2, "due_date", due_date("soon")), (2, "status", "An item cannot go from Not started to Ongoing.")]),
    ({"progress": "50.5", "owner": "nobody-by-this-name"},  # the owner cell itself is wrong: one message for it
     [(2, "owner", "Unknown user 'nobody-by-this-name'."), (2, "progress", progress("50.5"))]),
])
def test_a_bad_cell_and_a_refused_change_of_the_row_are_reported_together(editor, viewer, cells, expected):
    """The workflow's checks run on the cells that were read, so one preview lists every problem
    of the row; the cells that could not be read are not checked further."""
    before = [(r.pk, r.version, r.owner_id, r.progress) for r in Recommendation.objects.all()]

    result = RecommendationResource().import_data(one_row("recommendations", **cells), user=editor)

    assert sorted(messages(result)) == expected
    assert [(r.pk, r.version, r.owner_id, r.progress) for r in Recommendation.objects.all()] == before
