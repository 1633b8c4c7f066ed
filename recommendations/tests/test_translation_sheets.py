"""Editors' translations in the spreadsheets (#22): a column per translated field and language (`title_fr`,
`title_es`, `text_fr`, `text_es`), written by every export and read by the import through the update path."""

import csv
import io

import openpyxl
import pytest
import tablib
from django.urls import reverse

from recommendations import versioning
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, RecommendationUpdate

pytestmark = pytest.mark.django_db

TRANSLATIONS = ["title_fr", "title_es", "text_fr", "text_es"]


def item():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 3)


def translate(rec, **i18n):
    Recommendation.objects.filter(pk=rec.pk).update(i18n=i18n)


def exported(rec):
    return RecommendationResource().export(queryset=Recommendation.objects.filter(pk=rec.pk))


def with_values(dataset, **values):
    rows = [[values.get(h, v) for h, v in zip(dataset.headers, row)] for row in dataset]
    return tablib.Dataset(*rows, headers=dataset.headers)


def without_columns(dataset, *names):
    keep = [i for i, h in enumerate(dataset.headers) if h not in names]
    return tablib.Dataset(*[[row[i] for i in keep] for row in dataset], headers=[dataset.headers[i] for i in keep])


def test_the_spreadsheet_has_a_column_per_translation_after_the_text():
    headers = RecommendationResource().export().headers
    assert headers[:9] == ["meeting", "session", "number", "title", "text", *TRANSLATIONS]


def test_the_export_writes_each_translation_in_its_column():
    rec = item()
    translate(rec, title_fr="Envois de fonds", text_es="Reducir los costos de las remesas.")
    row = dict(zip(*[exported(rec).headers, exported(rec)[0]]))
    assert [row[name] for name in TRANSLATIONS] == ["Envois de fonds", "", "", "Reducir los costos de las remesas."]


def test_an_import_writes_a_translation_through_the_update_path(editor):
    rec = item()
    version, data_version, entries = rec.version, versioning.current(), RecommendationUpdate.objects.count()

    result = RecommendationResource().import_data(with_values(exported(rec), title_fr="Coût des envois de fonds",
                                                              text_es="Reducir los costos."), user=editor)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1
    rec.refresh_from_db()
    assert rec.i18n == {"title_fr": "Coût des envois de fonds", "text_es": "Reducir los costos."}
    assert rec.version == version + 1  # an open edit form of it is now out of date
    assert versioning.current() != data_version  # caches read again
    record = rec.history.first()
    assert (record.i18n, record.history_user, record.history_type) == (rec.i18n, editor, "~")
    assert RecommendationUpdate.objects.count() == entries  # a text, not the follow-up: no timeline entry


def test_a_blank_cell_removes_the_translation_and_keeps_the_others(editor):
    rec = item()
    translate(rec, title_fr="Envois de fonds", title_es="Remesas")

    result = RecommendationResource().import_data(with_values(exported(rec), title_fr=""), user=editor)

    assert result.totals["update"] == 1
    rec.refresh_from_db()
    assert rec.i18n == {"title_es": "Remesas"}
    assert rec.history.first().i18n == {"title_es": "Remesas"}


def test_a_file_without_the_translation_columns_leaves_translations_alone(editor):
    rec = item()
    translate(rec, title_fr="Envois de fonds", text_fr="Réduire les coûts.")
    data = without_columns(with_values(exported(rec), progress=20), *TRANSLATIONS)

    result = RecommendationResource().import_data(data, user=editor)

    assert result.totals["update"] == 1
    rec.refresh_from_db()
    assert (rec.progress, rec.i18n) == (20, {"title_fr": "Envois de fonds", "text_fr": "Réduire les coûts."})


def test_an_exported_file_imports_back_as_no_change(editor):
    rec = item()
    translate(rec, title_fr="=Envois de fonds", text_es="Reducir los costos.")  # a formula-like text too
    versions = rec.history.count()
    data = RecommendationResource().export()

    result = RecommendationResource().import_data(tablib.Dataset().load(data.export("csv"), format="csv"),
                                                  user=editor)

    assert (result.totals["update"], result.totals["new"], result.totals["skip"]) == (0, 0, 45)
    rec.refresh_from_db()
    assert rec.i18n == {"title_fr": "=Envois de fonds", "text_es": "Reducir los costos."}
    assert rec.history.count() == versions


def test_a_translated_title_longer_than_a_title_is_refused_and_nothing_changes(editor):
    rec = item()
    translate(rec, title_es="Remesas")
    data = with_values(exported(rec), title_fr="T" * 201, title_es="", progress=30)

    result = RecommendationResource().import_data(data, user=editor)

    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.error_dict == {"title_fr": ["The title_fr cell has 201 characters; at most 200 are accepted, "
                                               "as in the English."]}
    rec.refresh_from_db()
    assert (rec.i18n, rec.progress) == ({"title_es": "Remesas"}, 0)


def test_the_preview_shows_the_translation_before_and_after(editor):
    rec = item()
    translate(rec, title_fr="Envois de fonds")

    result = RecommendationResource().import_data(with_values(exported(rec), title_fr="Transferts de fonds"),
                                                  user=editor, dry_run=True)

    [row] = result.rows
    cell = row.diff[RecommendationResource().get_export_headers().index("title_fr")]
    assert "Envois de fonds" in cell and "Transferts de fonds" in cell
    rec.refresh_from_db()
    assert rec.i18n == {"title_fr": "Envois de fonds"}  # a dry run writes nothing


def test_the_list_csv_has_the_translations(viewer_client):
    translate(item(), title_fr="Envois de fonds", text_fr="+ Réduire les coûts.")
    response = viewer_client.get(reverse("recommendations:export", args=["csv"]), {"meeting": 2010, "session": "2.1"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    [row] = [r for r in rows if (r["session"], r["number"]) == ("2.1", "3")]
    assert [row[name] for name in TRANSLATIONS] == ["Envois de fonds", "", "'+ Réduire les coûts.", ""]
    assert list(rows[0])[3:9] == ["title", "text", *TRANSLATIONS]


def test_the_list_xlsx_labels_its_columns_in_the_readers_language(viewer_client):
    translate(item(), title_es="Remesas")
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]), HTTP_ACCEPT_LANGUAGE="fr")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:11] == ("Réunion", "Session", "Numéro", "Titre", "Texte", "Titre (français)", "Titre (espagnol)",
                            "Texte (français)", "Texte (espagnol)", "Thèmes", "Statut")
    [row] = [r for r in rows[1:] if (r[1], r[2]) == ("2.1", "3")]
    assert row[5:9] == (None, "Remesas", None, None)
    about = {r[0]: r[1] for r in openpyxl.load_workbook(io.BytesIO(response.content))["À propos de cet export"]
             .iter_rows(values_only=True)}
    assert about["Traductions"] == (
        "Les colonnes qui nomment une langue, comme «\u202fTitre (français)\u202f», contiennent les traductions des "
        "éditeurs\u202f; l’anglais du rapport est le texte officiel. Une cellule vide\u00a0: pas de traduction.")


def test_an_excel_sheet_labelled_by_the_export_imports_back(editor):
    """The labels of an Excel export ("Title (French)") read as the columns' names."""
    rec = item()
    data = exported(rec)
    labels = {"title_fr": "Title (French)", "text_es": "Text (Spanish)"}
    data = with_values(data, title_fr="Envois de fonds", text_es="Reducir los costos.")
    data.headers = [labels.get(h, h) for h in data.headers]

    result = RecommendationResource().import_data(data, user=editor)

    assert result.totals["update"] == 1
    rec.refresh_from_db()
    assert rec.i18n == {"title_fr": "Envois de fonds", "text_es": "Reducir los costos."}


@pytest.mark.parametrize("language, labels", [
    ("fr", {"title_fr": "Titre (français)", "text_es": "Texte (espagnol)", "status": "Statut"}),
    ("es", {"title_fr": "Título (francés)", "text_es": "Texto (español)", "status": "Estado"}),
])
def test_an_excel_sheet_labelled_in_another_language_imports_back_for_an_english_editor(editor, language, labels):
    """A sheet a French or Spanish colleague exported (its labels in their language) is read by anyone."""
    rec = item()
    data = with_values(exported(rec), title_fr="Envois de fonds", text_es="Reducir los costos.",
                       status="In progress")
    data.headers = [labels.get(h, h) for h in data.headers]

    result = RecommendationResource().import_data(data, user=editor)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1
    rec.refresh_from_db()
    assert rec.i18n == {"title_fr": "Envois de fonds", "text_es": "Reducir los costos."}
    assert rec.status == "in_progress"
