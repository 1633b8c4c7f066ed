"""Editors' translations on the admin's change pages (#22): a "Translations" fieldset with a box per field and
language, saved with the rest of the form through the same path (version check, history, new version)."""

import pytest
from django.urls import reverse
from django.utils.module_loading import import_string

from recommendations.models import Recommendation, Roundtable, Session, Status, Theme
from recommendations.tests.test_admin import admin_form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def translations_fieldset(response):
    [fieldset] = [f for f in response.context["adminform"] if f.name == "Translations"]
    return fieldset


def labels(fieldset):
    return [field.field.label for line in fieldset for field in line]


@pytest.mark.parametrize(("model_path", "boxes"), [
    ("recommendations.models.Recommendation", ["Title (French)", "Title (Spanish)", "Text (French)",
                                               "Text (Spanish)"]),
    ("recommendations.models.FollowUpItem", ["Title (French)", "Title (Spanish)", "Text (French)",
                                             "Text (Spanish)"]),
    ("recommendations.models.Session", ["Title (French)", "Title (Spanish)", "Outcomes intro (French)",
                                        "Outcomes intro (Spanish)"]),
    ("recommendations.models.Roundtable", ["Title (French)", "Title (Spanish)"]),
    ("recommendations.models.Theme", ["Name (French)", "Name (Spanish)", "Description (French)",
                                      "Description (Spanish)"]),
    ("partnerships.models.Project", ["Title (French)", "Title (Spanish)", "Description (French)",
                                     "Description (Spanish)"]),
])
def test_each_translated_model_has_a_folded_translations_fieldset(editor_client, model_path, boxes):
    obj = import_string(model_path).objects.order_by("pk").first()
    response = editor_client.get(change_url(obj))
    fieldset = translations_fieldset(response)
    assert labels(fieldset) == boxes
    assert "collapse" in fieldset.classes  # nothing translated yet
    # No box for django-modeltrans's other names (title_en is the English itself, title_i18n the reader's).
    assert not [name for name in response.context["adminform"].form.fields if name.endswith(("_en", "_i18n"))]


def test_the_fieldset_is_open_when_the_record_has_a_translation(editor_client):
    theme = Theme.objects.get(slug="gender")
    Theme.objects.filter(pk=theme.pk).update(i18n={"name_es": "Género"})
    fieldset = translations_fieldset(editor_client.get(change_url(theme)))
    assert "collapse" not in fieldset.classes


def test_an_item_translation_is_saved_through_the_update_path(editor_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 5)
    Recommendation.objects.filter(pk=rec.pk).update(i18n={"text_es": "Texto."})
    rec.refresh_from_db()
    history, version, timeline = rec.history.count(), rec.version, rec.updates.count()
    data = admin_form_data(editor_client.get(change_url(rec)))
    data.update(title_fr="Titre traduit", text_es="")

    response = editor_client.post(change_url(rec), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    rec.refresh_from_db()
    assert (rec.i18n, rec.version) == ({"title_fr": "Titre traduit"}, version + 1)  # the emptied box: removed
    newest = rec.history.first()
    assert (rec.history.count(), newest.i18n, newest.history_user) == (history + 1, {"title_fr": "Titre traduit"},
                                                                       editor)
    assert rec.updates.count() == timeline  # a text: no timeline entry


def test_a_translation_and_a_status_change_are_saved_together(editor_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 6)
    version = rec.version
    data = admin_form_data(editor_client.get(change_url(rec)))
    data.update(text_fr="Texte traduit.", status=Status.PLANNED, update_note="Planned.")

    assert editor_client.post(change_url(rec), data).status_code == 302

    rec.refresh_from_db()
    assert (rec.status, rec.i18n, rec.version) == (Status.PLANNED, {"text_fr": "Texte traduit."}, version + 1)
    assert rec.history.first().i18n == {"text_fr": "Texte traduit."}
    assert rec.updates.first().note == "Planned."


def test_a_translation_based_on_an_old_version_is_refused(editor_client, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 7)
    data = admin_form_data(editor_client.get(change_url(rec)))
    rec.record_update(by=editor, note="Meanwhile someone planned it.", status=Status.PLANNED)
    data.update(title_fr="Titre traduit")

    response = editor_client.post(change_url(rec), data)

    assert response.status_code == 200
    assert "Someone else changed this item while you were editing it." in response.content.decode()
    rec.refresh_from_db()
    assert rec.i18n is None  # as seeded: no translation


def test_a_translated_title_longer_than_a_title_is_refused(editor_client):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 8)
    data = admin_form_data(editor_client.get(change_url(rec)))
    data.update(title_es="T" * 201)

    response = editor_client.post(change_url(rec), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title_es"] == [
        "Ensure this value has at most 200 characters (it has 201)."]
    rec.refresh_from_db()
    assert rec.i18n is None  # as seeded: no translation


@pytest.mark.parametrize("model", [Session, Roundtable, Theme])
def test_a_forum_record_translation_is_saved(editor_client, model):
    obj = model.objects.order_by("pk").first()
    field = "name" if model is Theme else "title"
    data = admin_form_data(editor_client.get(change_url(obj)))
    data.update({f"{field}_fr": "Traduit", f"{field}_es": "Traducido"})

    response = editor_client.post(change_url(obj), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    obj.refresh_from_db()
    assert obj.i18n == {f"{field}_fr": "Traduit", f"{field}_es": "Traducido"}
    if model is Session:  # the one with a change history
        assert obj.history.first().i18n == obj.i18n


def test_a_project_translation_is_saved(editor_client, editor):
    from partnerships.models import Project

    project = Project.objects.get(title="Developing Migration Profiles")
    version = project.version
    data = admin_form_data(editor_client.get(change_url(project)))
    data.update(description_es="Perfiles migratorios.")

    assert editor_client.post(change_url(project), data).status_code == 302

    project.refresh_from_db()
    assert (project.i18n, project.version) == ({"description_es": "Perfiles migratorios."}, version + 1)
    assert project.history.first().i18n == project.i18n


@pytest.mark.parametrize("model", [Recommendation, Session])
def test_a_past_version_of_a_translated_record_opens(editor_client, model):
    """The History's view of a past version reads the record back without django-modeltrans's names (title_fr is
    no column): it once was a server error."""
    obj = model.objects.order_by("pk").first()
    data = admin_form_data(editor_client.get(change_url(obj)))
    data.update(title_fr="Titre traduit")
    assert editor_client.post(change_url(obj), data).status_code == 302
    opts, record = obj._meta, obj.history.first()

    page = editor_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                                     args=[obj.pk, record.history_id]))

    assert page.status_code == 200
    assert page.context["adminform"].form.initial["title_fr"] == "Titre traduit"


def test_the_fieldset_speaks_the_editors_language(editor_client):
    theme = Theme.objects.get(slug="gender")
    response = editor_client.get(change_url(theme), HTTP_ACCEPT_LANGUAGE="es")
    [fieldset] = [f for f in response.context["adminform"] if f.name == "Traducciones"]
    assert labels(fieldset) == ["Nombre (francés)", "Nombre (español)",
                                "Descripción (francés)", "Descripción (español)"]
    assert fieldset.description.startswith("El inglés del informe es el texto oficial.")
