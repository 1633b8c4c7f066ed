"""The admin's and the imports' own words in the editor's language (issue #22): an action's message, the bulk-update
page, an import's row errors, as the catalogues (recommendations/locale) write them; English unchanged. What a
spreadsheet must hold stays English in every language: the column names and values a message quotes."""

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, RecommendationUpdate, Status

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:recommendations_recommendation_changelist")


def in_language(client, language):
    client.cookies["django_language"] = language
    return client


def said(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(("language", "message"), [
    ("en", "Updated 3 items; each timeline has the note."),
    ("fr", "3 éléments mis à jour\u202f; chaque historique contient la note."),
    ("es", "3 elementos actualizados; cada cronología contiene la nota."),
])
def test_a_bulk_action_says_what_it_did_in_the_editors_language(editor_client, staff, language, message):
    items = list(Recommendation.objects.filter(session__code="3.2"))
    response = in_language(editor_client, language).post(CHANGELIST, {
        "action": "assign_owner", "_selected_action": [i.pk for i in items], "apply": "1", "owner": staff.pk,
        "note": "Sam covers climate."}, follow=True)
    assert said(response) == [message]
    entries = RecommendationUpdate.objects.filter(item__in=items, owner_after=staff)
    assert sorted(entries.values_list("note", flat=True)) == ["Sam covers climate."] * 3  # the editor's words, as typed


@pytest.mark.parametrize(("language", "message"), [
    ("en", "1 item unpublished: only those who sign in see it; the others already were."),
    ("fr", "1 élément retiré de la publication\u00a0: seules les personnes connectées le voient\u202f; les autres "
           "l’étaient déjà."),
    ("es", "1 elemento retirado de la publicación: solo lo ven quienes han iniciado sesión; los demás ya lo estaban."),
])
def test_unpublishing_one_item_is_said_in_the_singular_in_each_language(editor_client, language, message):
    item = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    response = in_language(editor_client, language).post(CHANGELIST, {
        "action": "unpublish", "_selected_action": [item.pk]}, follow=True)
    assert said(response) == [message]
    item.refresh_from_db()
    assert item.is_public is False


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["Change the status of the selected items", "3 selected items:", "Reintegration of returnees — Not started",
            '<label for="id_status">Status:</label>',
            "Written to each item's timeline; for stalled or not pursued it is the reason.",
            '<input type="submit" name="apply" value="Apply to 3 items" class="default">', '>Cancel</a>']),
    ("fr", ["Changer le statut des éléments sélectionnés", "3 éléments sélectionnés\u00a0:",
            "Reintegration of returnees — Non commencé", '<label for="id_status">Statut\u00a0:</label>',
            "Inscrite dans l’historique de chaque élément\u202f; pour «\u202fau point mort\u202f» ou «\u202fnon "
            "poursuivi\u202f», c’en est le motif.",
            '<input type="submit" name="apply" value="Appliquer à 3 éléments" class="default">', '>Annuler</a>']),
    ("es", ["Cambiar el estado de los elementos seleccionados", "3 elementos seleccionados:",
            "Reintegration of returnees — No iniciado", '<label for="id_status">Estado:</label>',
            "Se añade a la cronología de cada elemento; para «estancado» o «descartado», es el motivo.",
            '<input type="submit" name="apply" value="Aplicar a 3 elementos" class="default">', '>Cancelar</a>']),
])
def test_the_bulk_update_page_is_in_the_editors_language(editor_client, language, words):
    items = list(Recommendation.objects.filter(session__code="3.2"))
    Recommendation.objects.filter(pk=items[0].pk).update(title="Reintegration of returnees")  # data: not translated
    client = in_language(editor_client, language)
    changelist = unescape(client.get(CHANGELIST).content.decode())
    page = unescape(client.post(CHANGELIST, {"action": "change_status",
                                             "_selected_action": [i.pk for i in items]}).content.decode())
    assert words[0] in changelist  # the action's description in the list's menu
    assert [word for word in words[1:] if word not in page] == []
    assert not Recommendation.objects.filter(session__code="3.2").exclude(status=Status.NOT_STARTED).exists()


def import_page(client, rows):
    """The admin's import of 1.2's recommendations with `rows` ({row index: {column: cell}}) changed: its preview
    (a dry run), as the editor reads it."""
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="1.2"))
    cells = [list(row) for row in data]
    for index, changes in rows.items():
        for column, value in changes.items():
            cells[index][data.headers.index(column)] = value
    upload = SimpleUploadedFile("recommendations.csv", type(data)(*cells, headers=data.headers).export("csv").encode(),
                                content_type="text/csv")
    response = client.post(reverse("admin:recommendations_recommendation_import"),
                           {"import_file": upload, "format": 0, "resource": 0})
    assert "confirm_form" not in response.context  # refused rows: nothing to confirm
    return unescape(response.content.decode())


@pytest.mark.parametrize(("language", "errors"), [
    ("en", ["Unknown session '7.7' for meeting 2010.",
            "Progress must be a whole number from 0 to 100, not '50.5'.",
            "The number must be a whole number from 1 to 32,767, not '0'.",
            "Unknown status 'Done'. Use one of: Not started, Planned, In progress, Implemented, Ongoing, Stalled, "
            "Not pursued."]),
    ("fr", ["Session inconnue pour la réunion 2010\u00a0: «\u202f7.7\u202f».",
            "L’avancement doit être un nombre entier de 0 à 100, et non «\u202f50.5\u202f».",
            "Le numéro doit être un nombre entier de 1 à 32\u00a0767, et non «\u202f0\u202f».",
            "Valeur inconnue dans la colonne status\u00a0: «\u202fDone\u202f». Utilisez l’une de ces valeurs\u00a0: "
            "Not started, Planned, In progress, Implemented, Ongoing, Stalled, Not pursued."]),
    ("es", ["Sesión desconocida para la reunión 2010: «7.7».",
            "El avance debe ser un número entero de 0 a 100, no «50.5».",
            "El número debe ser un número entero de 1 a 32\u00a0767, no «0».",
            "Valor desconocido en la columna status: «Done». Utilice uno de estos valores: Not started, Planned, "
            "In progress, Implemented, Ongoing, Stalled, Not pursued."]),
])
def test_an_imports_row_errors_are_in_the_editors_language(editor_client, language, errors):
    before = RecommendationUpdate.objects.count()
    page = import_page(in_language(editor_client, language), {
        0: {"session": "7.7"}, 1: {"progress": "50.5"}, 2: {"number": "0"}, 3: {"status": "Done"}})
    assert [error for error in errors if error not in page] == []
    assert RecommendationUpdate.objects.count() == before


@pytest.mark.parametrize(("language", "apps", "kinds", "roundtable"), [
    ("en", ["Recommendations", "Platform for Partnerships", "Notifications"],
     ["Recommendation", "Follow-up item", "Project"], "Roundtable 2: "),
    ("fr", ["Recommandations", "Plateforme de partenariats", "Notifications"],
     ["Recommandation", "Élément de suivi", "Projet"], "Table ronde 2\u00a0: "),
    ("es", ["Recomendaciones", "Plataforma de Alianzas", "Notificaciones"],
     ["Recomendación", "Elemento de seguimiento", "Proyecto"], "Mesa redonda 2: "),
])
def test_the_admins_headings_kinds_and_roundtables_in_the_editors_language(
        editor_client, language, apps, kinds, roundtable):
    """The apps' headings of the admin's index, the lineage form's kinds of item (their values stay the English that
    spreadsheets write) and a roundtable's name (a session's choice)."""
    from django.utils import translation

    from recommendations.admin.lineage import LineageForm
    from recommendations.models import Roundtable

    index = unescape(in_language(editor_client, language).get(reverse("admin:index")).content.decode())
    assert all(f">{name}</a>" in index for name in apps), [name for name in apps if f">{name}</a>" not in index]
    with translation.override(language):
        choices = list(LineageForm().fields["item_kind"].choices)
        assert choices == list(zip(["recommendation", "follow-up item", "project"], kinds, strict=True))
        assert str(Roundtable.objects.get(number=2)).startswith(roundtable)
