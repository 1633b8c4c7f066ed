"""Editors' translations in the projects sheet (#22): title_fr, title_es, description_fr, description_es."""

import csv
import io

import pytest
import tablib
from django.urls import reverse

from partnerships.models import Project
from partnerships.resources import ProjectResource

pytestmark = pytest.mark.django_db

TITLE = "Developing Migration Profiles"
TRANSLATIONS = ["title_fr", "title_es", "description_fr", "description_es"]


def sheet(project):
    return ProjectResource().export(queryset=Project.objects.filter(pk=project.pk))


def with_values(dataset, **values):
    rows = [[values.get(h, v) for h, v in zip(dataset.headers, row)] for row in dataset]
    return tablib.Dataset(*rows, headers=dataset.headers)


def test_the_sheet_has_the_translations_after_the_description():
    project = Project.objects.get(title=TITLE)
    Project.objects.filter(pk=project.pk).update(i18n={"title_es": "Perfiles migratorios"})
    data = sheet(project)
    assert data.headers[:6] == ["title", "description", *TRANSLATIONS]
    assert list(data[0][2:6]) == ["", "Perfiles migratorios", "", ""]


def test_an_import_writes_and_removes_translations_with_a_new_version(editor):
    project = Project.objects.get(title=TITLE)
    Project.objects.filter(pk=project.pk).update(i18n={"title_es": "Perfiles migratorios"})
    version = project.version

    result = ProjectResource().import_data(with_values(sheet(project), title_es="", description_fr="Profils."),
                                           user=editor)

    assert result.totals["update"] == 1 and not result.has_validation_errors()
    project.refresh_from_db()
    assert (project.i18n, project.version) == ({"description_fr": "Profils."}, version + 1)
    assert project.history.first().i18n == {"description_fr": "Profils."}


def test_a_translated_title_over_300_characters_is_refused(editor):
    project = Project.objects.get(title=TITLE)
    result = ProjectResource().import_data(with_values(sheet(project), title_fr="P" * 301), user=editor)
    assert result.invalid_rows[0].error_dict == {
        "title_fr": ["The title_fr cell has 301 characters; at most 300 are accepted, as in the English."]}
    project.refresh_from_db()
    assert project.i18n is None


def test_translations_round_trip_through_an_empty_table(editor):
    Project.objects.filter(title=TITLE).update(i18n={"title_fr": "Profils migratoires", "description_es": "Texto."})
    exported = ProjectResource().export().export("csv")
    Project.objects.all().delete()

    result = ProjectResource().import_data(tablib.Dataset().load(exported, format="csv"), user=editor)

    assert not result.has_errors() and not result.has_validation_errors()
    assert Project.objects.get(title=TITLE).i18n == {"title_fr": "Profils migratoires", "description_es": "Texto."}


def test_the_projects_list_download_has_the_translations(viewer_client):
    Project.objects.filter(title=TITLE).update(i18n={"description_fr": "Profils."})
    response = viewer_client.get(reverse("partnerships:export", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [[row[name] for name in TRANSLATIONS] for row in rows if row["title"] == TITLE] == [
        ["", "", "Profils.", ""]]
