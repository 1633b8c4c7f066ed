"""Editors manage lineage in the admin: its own list with import and export by natural keys, and an inline on
each tracked item's page. Bad input gets a message and writes nothing."""

import re

import pytest
import tablib
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Project
from recommendations.imports.lineage import LineageResource
from recommendations.models import FollowUpItem, Lineage, Recommendation
from recommendations.tests.test_admin import admin_form_data

pytestmark = pytest.mark.django_db

HANDBOOK = "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries"
COLUMNS = ["kind", "item_kind", "item", "target_kind", "target", "reference_source", "reference_part",
           "reference_words", "sentence", "line"]
INLINE = "recommendations-lineage-item_type-item_id"


def snapshot():
    """Every link by what people read: its kind, its ends' keys, its reference, sentence and line."""
    return sorted((link.kind, link.item_label(), link.target_label() if link.target_type_id else "",
                   link.reference_source, link.reference_part, link.reference_words, link.sentence, link.line)
                  for link in Lineage.objects.with_ends())


def sheet(*rows):
    return tablib.Dataset(*[[row.get(column, "") for column in COLUMNS] for row in rows], headers=COLUMNS)


BUILDS_ON_ITEM = {"kind": "Builds on", "item_kind": "follow-up item", "item": "2010/FOF/5",
                  "target_kind": "recommendation", "target": "2010/3.1/3", "sentence": "A sentence.", "line": "825"}


def test_the_export_names_every_end_by_its_natural_key_not_an_id():
    data = LineageResource().export()
    assert data.headers == COLUMNS
    rows = [dict(zip(data.headers, row)) for row in data]
    handbook = next(row for row in rows if row["item"] == HANDBOOK)
    assert handbook == {
        "kind": "Originates from", "item_kind": "project", "item": HANDBOOK, "target_kind": "", "target": "",
        "reference_source": "GFMD 2009, Athens", "reference_part": "Roundtable 1.2",
        "reference_words": "the discussions of Roundtable 1.2 of the 2009 Athens GFMD, where it was concluded that a "
                           "reference guide for diaspora engagement was lacking",
        "sentence": handbook["sentence"], "line": "785"}


def test_lineage_round_trips_through_an_empty_table():
    Lineage.objects.create(kind=Lineage.Kind.BUILDS_ON, item=FollowUpItem.objects.get_by_natural_key(2010, "FOF", 5),
                           target=Recommendation.objects.get_by_natural_key(2010, "3.1", 3), sentence="A.", line=825)
    before = snapshot()
    exported = LineageResource().export().export("csv")

    Lineage.objects.all().delete()
    result = LineageResource().import_data(tablib.Dataset().load(exported, format="csv"))

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 5
    assert snapshot() == before


def test_an_unchanged_file_changes_nothing_and_a_changed_sentence_updates_its_link():
    data = LineageResource().export()
    result = LineageResource().import_data(data)
    assert result.totals["skip"] == 4 and result.totals["new"] == 0

    rows = [list(row) for row in data]  # in the report's order
    assert rows[1][:3] == ["Builds on", "project", "Protecting Unaccompanied Migrant Children"]
    rows[1][COLUMNS.index("line")] = "790"
    rows[1][COLUMNS.index("kind")] = "builds_on"  # the value, as well as the label, names the kind
    result = LineageResource().import_data(tablib.Dataset(*rows, headers=COLUMNS))
    assert (result.totals["update"], result.totals["skip"], result.totals["new"]) == (1, 3, 0)
    assert Lineage.objects.count() == 4
    assert Lineage.objects.get(kind=Lineage.Kind.BUILDS_ON).line == 790


@pytest.mark.parametrize(("row", "message"), [
    ({**BUILDS_ON_ITEM, "target": "2010/9.9/1"},
     "No recommendation '2010/9.9/1'. Write it as year/session/number, e.g. 2010/3.1/3."),
    ({**BUILDS_ON_ITEM, "item_kind": "statement"},
     "Unknown kind of item 'statement'. Use one of: recommendation, follow-up item, project."),
    ({**BUILDS_ON_ITEM, "item_kind": "project", "item": "A project nobody proposed"},
     "No project 'A project nobody proposed'. Write its title."),
    ({**BUILDS_ON_ITEM, "kind": "Inspired by"},
     "Unknown kind 'Inspired by'. Use one of: Originates from, Reiterates, Builds on, Forms part of."),
    ({**BUILDS_ON_ITEM, "reference_source": "GFMD 2009", "reference_words": "the 2009 meeting"},
     "A lineage link points at a tracked item or at a named reference, not both"),
    ({**BUILDS_ON_ITEM, "target_kind": "", "target": ""},
     "A lineage link needs a target: a tracked item, or a named reference"),
    ({**BUILDS_ON_ITEM, "line": "line 12"}, "The line must be a whole number from 1 to 10,000,000, not 'line 12'."),
])
def test_a_bad_row_says_what_is_wrong_and_the_file_writes_nothing(row, message):
    good = {**BUILDS_ON_ITEM, "item": "2010/FOF/4"}
    before = snapshot()

    result = LineageResource().import_data(sheet(good, row))

    assert result.has_validation_errors() or result.has_errors()
    messages = [str(m) for invalid in result.invalid_rows for errors in invalid.error_dict.values() for m in errors]
    messages += [error.message for _, errors in result.row_errors() for error in errors]
    assert any(message in m for m in messages), messages
    assert snapshot() == before


def row_messages(result):
    """Each refused row's number and its messages by cell, as the preview lists them."""
    return [(row.number, {cell: [str(m) for m in messages] for cell, messages in row.error_dict.items()})
            for row in result.invalid_rows]


@pytest.mark.parametrize("key", ["2010/3.1/99", "abc"])
@pytest.mark.parametrize("end", ["item", "target"])
def test_an_unknown_item_at_either_end_is_said_in_its_cell_alone(end, key):
    result = LineageResource().import_data(sheet({**BUILDS_ON_ITEM, f"{end}_kind": "recommendation", end: key}))
    assert row_messages(result) == [
        (2, {end: [f"No recommendation '{key}'. Write it as year/session/number, e.g. 2010/3.1/3."]})]


def test_an_unknown_kind_of_item_is_said_in_the_items_cell_alone_with_the_other_bad_cells():
    result = LineageResource().import_data(sheet({**BUILDS_ON_ITEM, "item_kind": "statement", "sentence": ""}))
    assert row_messages(result) == [(2, {
        "item": ["Unknown kind of item 'statement'. Use one of: recommendation, follow-up item, project."],
        "sentence": ["The sentence cell is empty; it must be filled in."]})]


@pytest.mark.parametrize("again", [
    BUILDS_ON_ITEM,
    {**BUILDS_ON_ITEM, "kind": "builds_on", "sentence": "Another sentence.", "line": "826"},  # the same link
])
def test_a_file_naming_the_same_link_twice_is_refused_naming_the_first_row_and_writes_nothing(again):
    before = snapshot()
    other = {**BUILDS_ON_ITEM, "item": "2010/FOF/4"}
    result = LineageResource().import_data(sheet(BUILDS_ON_ITEM, other, again))
    assert row_messages(result) == [(4, {"__all__": [
        "This row names the same link as row 2 (follow-up item 2010/FOF/5 — builds on — recommendation "
        "2010/3.1/3); a file may list each link once."]})]
    assert snapshot() == before


def test_a_file_naming_a_seeded_link_twice_is_refused_too():
    handbook = dict(zip(COLUMNS, LineageResource().export()[0]))
    result = LineageResource().import_data(sheet(handbook, handbook))
    [(number, errors)] = row_messages(result)
    assert number == 3 and errors["__all__"][0].startswith("This row names the same link as row 2 (")


def import_file(client, csv):
    upload = SimpleUploadedFile("lineage.csv", csv.encode(), content_type="text/csv")
    return client.post(reverse("admin:recommendations_lineage_import"), {"import_file": upload, "format": 0,
                                                                         "resource": 0})


def test_an_editor_imports_lineage_in_the_admin_after_a_preview(editor_client, editor):
    preview = import_file(editor_client, sheet(BUILDS_ON_ITEM).export("csv"))
    assert preview.status_code == 200 and Lineage.objects.count() == 4  # a preview writes nothing
    confirm = preview.context["confirm_form"]
    done = editor_client.post(reverse("admin:recommendations_lineage_process_import"),
                              {name: confirm.initial[name] for name in confirm.fields})
    assert done.status_code == 302
    link = Lineage.objects.get(kind=Lineage.Kind.BUILDS_ON, line=825)
    assert (link.item_label(), link.target_label()) == ("follow-up item 2010/FOF/5", "recommendation 2010/3.1/3")
    assert link.history.get().history_user == editor


def test_the_admin_import_of_a_bad_row_shows_its_message_and_offers_no_confirmation(editor_client):
    response = import_file(editor_client, sheet({**BUILDS_ON_ITEM, "item": "2010/FOF/99"}).export("csv"))
    body = response.content.decode()
    assert "confirm_form" not in response.context
    assert "No follow-up item &#x27;2010/FOF/99&#x27;. Write it as year/session/number" in body
    assert Lineage.objects.count() == 4


def test_the_lineage_list_names_each_end(editor_client):
    body = editor_client.get(reverse("admin:recommendations_lineage_changelist")).content.decode()
    assert f"project {HANDBOOK}" in body
    assert "GFMD 2008 — Roundtable on the protection and empowerment of migrants: " in body
    filtered = editor_client.get(reverse("admin:recommendations_lineage_changelist"), {"kind__exact": "builds_on"})
    assert filtered.context["cl"].result_count == 1


def change_form(client, url):
    return admin_form_data(client.get(url))


def test_an_editor_adds_a_link_on_the_lineage_page_naming_its_ends(editor_client):
    data = {"kind": "reiterates", "item_kind": "follow-up item", "item_key": "2010/CSD/6",
            "target_kind": "recommendation", "target_key": "2010/1.1/6", "reference_source": "",
            "reference_part": "", "reference_words": "", "sentence": "A sentence.", "line": "1127"}
    response = editor_client.post(reverse("admin:recommendations_lineage_add"), data)
    assert response.status_code == 302
    link = Lineage.objects.get(kind=Lineage.Kind.REITERATES)
    assert (link.item_label(), link.target_label()) == ("follow-up item 2010/CSD/6", "recommendation 2010/1.1/6")

    again = editor_client.post(reverse("admin:recommendations_lineage_add"), data)
    assert again.status_code == 200
    assert "has this link already" in again.content.decode()
    edit = change_form(editor_client, reverse("admin:recommendations_lineage_change", args=[link.pk]))
    assert (edit["item_kind"], edit["item_key"], edit["target_key"]) == ("follow-up item", "2010/CSD/6", "2010/1.1/6")


def test_the_lineage_page_refuses_an_unknown_item_with_its_message(editor_client):
    response = editor_client.post(reverse("admin:recommendations_lineage_add"), {
        "kind": "builds_on", "item_kind": "recommendation", "item_key": "2010/1.1/99", "target_kind": "",
        "target_key": "", "reference_source": "GFMD 2009", "reference_words": "words", "sentence": "A.", "line": "1"})
    assert response.status_code == 200
    assert "No recommendation &#x27;2010/1.1/99&#x27;." in response.content.decode()
    assert Lineage.objects.count() == 4


def test_an_editor_adds_a_link_from_a_project_on_the_projects_page(editor_client):
    handbook = Project.objects.get(title=HANDBOOK)
    url = reverse("admin:partnerships_project_change", args=[handbook.pk])
    data = change_form(editor_client, url)
    assert data[f"{INLINE}-TOTAL_FORMS"] == 1 and data[f"{INLINE}-0-reference_source"] == "GFMD 2009, Athens"
    data.update({f"{INLINE}-TOTAL_FORMS": 2, f"{INLINE}-1-kind": "builds_on",
                 f"{INLINE}-1-target_kind": "recommendation", f"{INLINE}-1-target_key": "2010/1.1/4",
                 f"{INLINE}-1-sentence": "A sentence.", f"{INLINE}-1-line": "785"})

    response = editor_client.post(url, data)

    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*">(.*?)</ul>', response.content.decode())
    content_type = ContentType.objects.get_for_model(Project)
    link = Lineage.objects.get(item_type=content_type, item_id=handbook.pk, kind=Lineage.Kind.BUILDS_ON)
    assert link.target == Recommendation.objects.get_by_natural_key(2010, "1.1", 4)


def test_the_inline_refuses_a_link_the_item_has_already_or_to_itself(editor_client):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 4)
    url = reverse("admin:recommendations_recommendation_change", args=[rec.pk])
    row = {"kind": "builds_on", "target_kind": "project", "target_key": HANDBOOK, "sentence": "A.", "line": "1"}
    Lineage.objects.create(kind=Lineage.Kind.REITERATES, item=rec, target=Project.objects.get(title=HANDBOOK),
                           sentence="A.", line=1)
    for rows, message in [([{**row, "kind": "reiterates"}], "has this link already: reiterates project Handbook"),
                          ([row, row], "The same link is given twice; keep one."),
                          ([{**row, "target_kind": "recommendation", "target_key": "2010/1.1/4"}],
                           "An item&#x27;s lineage cannot point at the item itself.")]:
        data = change_form(editor_client, url)
        existing = data[f"{INLINE}-INITIAL_FORMS"]  # the link made above
        data[f"{INLINE}-TOTAL_FORMS"] = existing + len(rows)
        for index, cells in enumerate(rows, existing):
            data.update({f"{INLINE}-{index}-{name}": value for name, value in cells.items()})
        response = editor_client.post(url, data)
        assert response.status_code == 200 and message in response.content.decode()
    assert Lineage.objects.count() == 5
