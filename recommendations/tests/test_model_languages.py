"""The models' own words in French and Spanish (issue #22): the names of models and fields an editor reads in the
admin, and the models' validation messages, as the catalogues write them; the kinds of tracked item keep their
English names wherever a spreadsheet, its import or a file name uses them as keys."""

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from partnerships.models import Project
from recommendations.models import Action, FollowUpItem, Lineage, Meeting, Recommendation, kind_name, tracked_kinds
from recommendations.tests.test_excel_sheets import admin_export
from recommendations.tests.test_lineage_admin import BUILDS_ON_ITEM, COLUMNS, import_file, sheet

pytestmark = pytest.mark.django_db


def in_french(client):
    client.cookies["django_language"] = "fr"
    return client


def test_a_french_editor_reads_the_meetings_fields_in_french(editor_client):
    meeting = Meeting.objects.get(year=2010)
    body = in_french(editor_client).get(reverse("admin:recommendations_meeting_change", args=[meeting.pk]))
    body = body.content.decode()
    for field, label in [("year", "Année"), ("edition", "Édition"), ("city", "Ville"), ("chair", "Présidence"),
                         ("ageing_after_days", "Vieillissant après (jours)"),
                         ("closure_verification_required", "Vérification des clôtures requise")]:
        assert f'for="id_{field}">{label}' in body, field


def test_a_french_editor_reads_the_lineage_fields_and_an_unknown_item_in_french(editor_client):
    data = {"kind": "reiterates", "item_kind": "follow-up item", "item_key": "2010/CSD/6",
            "target_kind": "recommendation", "target_key": "2010/9.9/1", "reference_source": "",
            "reference_part": "", "reference_words": "", "sentence": "A sentence.", "line": "1127"}
    response = in_french(editor_client).post(reverse("admin:recommendations_lineage_add"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Introuvable\u00a0: recommandation «\u202f2010/9.9/1\u202f»." in body
    assert 'for="id_reference_source">Référence\u00a0: qui ou où' in body
    assert "Ajout de lien de filiation | GFMD Tracker</title>" in body
    assert not Lineage.objects.filter(kind=Lineage.Kind.REITERATES).exists()


def test_the_admin_names_the_models_in_french_and_spanish():
    expected = {
        "fr": ["recommandation", "éléments de suivi", "lien de filiation", "mises à jour d’action"],
        "es": ["recomendación", "elementos de seguimiento", "vínculo de filiación", "actualizaciones de acción"],
    }
    for language, names in expected.items():
        with translation.override(language):
            assert [str(Recommendation._meta.verbose_name), str(FollowUpItem._meta.verbose_name_plural),
                    str(Lineage._meta.verbose_name),
                    str(Action._meta.get_field("updates").related_model._meta.verbose_name_plural)] == names


def test_a_models_validation_message_is_in_spanish_with_the_kinds_as_spreadsheets_name_them():
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        Lineage.find_end("statement", "2010/3.1/3")
    assert refused.value.messages == [
        "Tipo de elemento desconocido: «statement». Utilice uno de estos: recommendation, follow-up item, project."]


def test_an_action_under_no_item_is_refused_in_spanish():
    action = Action(parent=Recommendation.objects.get_by_natural_key(2010, "3.1", 3), title="A survey")
    action.parent_id = 0
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        action.clean()
    assert refused.value.messages == ["No se encuentra: recomendación con el identificador 0."]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_kinds_of_item_keep_their_english_names_in_every_language(language):
    with translation.override(language):
        assert list(tracked_kinds()) == ["recommendation", "follow-up item", "project"]
        assert [kind_name(Action), kind_name(Project.objects.first())] == ["action", "project"]
        link = Lineage.objects.with_ends().get(line=785)
        assert link.item_label().startswith("project Handbook on Engaging Diasporas")


def test_a_french_editor_imports_a_lineage_sheet_naming_the_kinds_in_english(editor_client):
    preview = import_file(in_french(editor_client), sheet(BUILDS_ON_ITEM).export("csv"))
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    done = editor_client.post(reverse("admin:recommendations_lineage_process_import"),
                              {name: confirm.initial[name] for name in confirm.fields})
    assert done.status_code == 302
    link = Lineage.objects.with_ends().get(kind=Lineage.Kind.BUILDS_ON, line=825)
    assert (link.item_label(), link.target_label()) == ("follow-up item 2010/FOF/5", "recommendation 2010/3.1/3")


def test_a_french_editors_exports_keep_their_english_file_names_and_columns(editor_client):
    today = f"{timezone.localdate():%Y-%m-%d}"
    Lineage.objects.create(kind=Lineage.Kind.BUILDS_ON, item=FollowUpItem.objects.get_by_natural_key(2010, "FOF", 5),
                           target=Recommendation.objects.get_by_natural_key(2010, "3.1", 3), sentence="A.", line=825)
    in_french(editor_client)
    assert admin_export(editor_client, 1)["Content-Disposition"] == (
        f'attachment; filename="gfmd-recommendations-{today}.xlsx"')
    response = editor_client.post(reverse("admin:recommendations_lineage_export"),
                                  {"format": 0, "resource": 0, **{f"lineageresource_{c}": "on" for c in COLUMNS}})
    assert response["Content-Disposition"] == f'attachment; filename="gfmd-lineage-links-{today}.csv"'
    data = tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv")
    assert data.headers == COLUMNS
    assert {row[1] for row in data} == {"follow-up item", "project"}
    assert [row[:5] for row in data if row[2] == "2010/FOF/5"] == [
        ("Builds on", "follow-up item", "2010/FOF/5", "recommendation", "2010/3.1/3")]
