"""The spreadsheets' columns as people read them (gfmd_tracker/columns.py): an Excel sheet's labels and the admin
export page's boxes in the reader's language; the names (what CSV files and other systems read) never change."""

import csv
import io
import itertools

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.utils import translation

from gfmd_tracker.columns import COLUMN_TITLES, column_choice, column_label
from gfmd_tracker.content import translated_fields
from gfmd_tracker.spreadsheets import column_names

LIST_EXPORTS = ["/recommendations/export.csv", "/follow-up/export.csv", "/actions/export.csv", "/actors/export.csv",
                "/projects/export.csv", "/reports/slipped/recommendations/export.csv",
                "/reports/slipped/actions/export.csv"]


@pytest.mark.parametrize("language, labels", [
    ("en", ["Status", "Responsible actors", "Progress (%)", "Title (French)", "Due date"]),
    ("fr", ["Statut", "Acteurs responsables", "Avancement (%)", "Titre (français)", "Échéance"]),
    ("es", ["Estado", "Actores responsables", "Avance (%)", "Título (francés)", "Fecha límite"]),
])
def test_a_columns_label_is_in_the_readers_language(language, labels):
    with translation.override(language):
        assert [column_label(name) for name in ("status", "responsible_actors", "progress", "title_fr",
                                                "due_date")] == labels


def test_the_export_pages_box_names_the_column_as_a_csv_file_does_where_the_label_differs():
    with translation.override("en"):
        assert [column_choice(name) for name in ("status", "responsible_actors", "title_fr")] == [
            "Status", "Responsible actors", "Title (French) (title_fr)"]
    with translation.override("fr"):
        assert [column_choice(name) for name in ("status", "session", "title_fr")] == [
            "Statut (status)", "Session", "Titre (français) (title_fr)"]


def test_no_two_columns_share_a_label_in_any_language():
    """An import reads a header as the column whose label it is in any language: two columns may never share one."""
    translated = {field for model in apps.get_models() for field in translated_fields(model)}
    assert {"title", "text", "description", "name", "outcomes_intro"} <= translated
    names = [*COLUMN_TITLES, *[f"{field}_{code}" for field in translated for code in ("fr", "es")]]
    owner = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in names:
                label = column_label(name).lower()
                assert owner.setdefault(label, name) == name, (language, label, owner[label], name)


@pytest.mark.django_db
def test_every_column_of_every_download_and_admin_export_has_a_label(admin_client):
    """No column falls back to its name made readable in English ("Some column") in a French sheet."""
    names = set()
    for url in LIST_EXPORTS:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8-sig")
        names |= set(next(csv.reader(io.StringIO(text))))
    for model_admin in admin.site._registry.values():
        for resource in getattr(model_admin, "get_export_resource_classes", lambda request: [])(None):
            names |= {field.column_name for field in resource().fields.values()}
    translated = set(itertools.chain.from_iterable((f"{f}_fr", f"{f}_es") for f in ("title", "text", "description")))
    assert len(names) > 60
    assert sorted(names - set(COLUMN_TITLES) - translated) == []


@pytest.mark.django_db
def test_the_admin_export_page_names_each_column_in_the_editors_language(editor_client):
    response = editor_client.get("/admin/recommendations/recommendation/export/", HTTP_ACCEPT_LANGUAGE="fr")
    boxes = [str(field.label) for field in response.context["form"].fields.values()
             if getattr(field, "is_selectable_field", False)]
    assert boxes[:6] == ["Réunion (meeting)", "Session", "Numéro (number)", "Titre (title)", "Texte (text)",
                         "Titre (français) (title_fr)"]
    assert "Acteurs responsables (responsible_actors)" in boxes


@pytest.mark.django_db
@pytest.mark.parametrize("url, en, fr, es", [
    ("/recommendations/export.xlsx", "Recommendations", "Recommandations", "Recomendaciones"),
    ("/follow-up/export.xlsx", "Follow-up items", "Éléments de suivi", "Elementos de seguimiento"),
    ("/projects/export.xlsx", "PfP projects", "Projets de la PfP", "Proyectos de la PfP"),
    ("/actors/export.xlsx", "Actors", "Acteurs", "Actores"),
    ("/reports/slipped/actions/export.xlsx", "Slipped due dates", "Échéances repoussées", "Fechas límite aplazadas"),
])
def test_a_downloads_sheet_is_named_in_the_readers_language(admin_client, url, en, fr, es):
    import openpyxl

    for language, title in (("en", en), ("fr", fr), ("es", es)):
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        assert book.sheetnames[0] == title


def test_a_sheet_labelled_before_the_labels_were_translated_still_reads():
    """The English labels an earlier export wrote (the lineage's "Item kind", "Target kind", "Reference part") are
    the labels still: a sheet kept from then imports."""
    headers = ["Kind", "Item kind", "Item", "Target kind", "Target", "Reference source", "Reference part",
               "Reference words", "Sentence", "Line"]
    names = ["kind", "item_kind", "item", "target_kind", "target", "reference_source", "reference_part",
             "reference_words", "sentence", "line"]
    with translation.override("fr"):
        assert column_names(headers, names) == names
