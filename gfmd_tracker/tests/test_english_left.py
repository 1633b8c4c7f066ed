"""The check that no English interface text is left on a page shown in French or Spanish (english_left.py), on
small pages written here, and on the dashboard as the site serves it."""

import pytest

from gfmd_tracker.tests.english_left import _entries, english_left, no_english_left


def page(body, language="fr"):
    return (f'<!DOCTYPE html><html lang="{language}"><head><title>GFMD Tracker</title></head>'
            f"<body><main>{body}</main></body></html>")


def test_an_english_button_on_a_french_page_is_found():
    found = english_left(page("<form><button>Apply filters</button></form>"), "fr")
    assert found == [("Apply filters", "Apply filters")]


def test_the_same_button_in_french_passes():
    assert english_left(page("<form><button>Appliquer les filtres</button></form>"), "fr") == []


def test_english_is_found_in_what_is_read_out_and_in_the_title():
    html = ('<!DOCTYPE html><html lang="es"><head><title>Sign in · GFMD Tracker</title></head><body>'
            '<input type="search" placeholder="Search, or a code like 2.1/6"></body></html>')
    assert english_left(html, "es") == [("Search, or a code like 2.1/6", "Search, or a code like 2.1/6"),
                                        ("Sign in", "Sign in · GFMD Tracker")]


def test_a_message_with_a_count_is_found_whatever_the_count():
    html = page('<a class="tile"><span class="big">45</span> recommendations</a>')
    assert english_left(html, "fr") == [("%(n)s recommendations", "45 recommendations"),
                                        ('<span class="big">%(shown)s</span> recommendations', "45 recommendations")]
    assert english_left(page("<p>3.1/5 Implement the Migrants Count data recommendations</p>"), "fr") == []


def test_djangos_own_form_error_is_found():
    html = page('<ul class="errorlist"><li>This field is required.</li></ul>', "es")
    assert english_left(html, "es") == [("This field is required.", "This field is required.")]


def test_marked_english_content_code_and_the_language_names_are_not_counted():
    html = page('<h1 lang="en">Apply filters to the recruitment of migrant workers</h1>'
                "<p>Envoyez <code>Apply filters</code> dans l’en-tête.</p>"
                '<form class="languages"><button lang="en">English</button><button lang="fr">Français</button></form>')
    assert english_left(html, "fr") == []


def test_a_word_alone_counts_as_a_label_not_inside_a_sentence():
    assert english_left(page("<ul><li>Status : <strong>En cours</strong></li></ul>"), "fr") == [
        ("Status", "Status : En cours")]
    assert english_left(page("<p>Le Status quo des migrations</p>"), "fr") == []


def test_english_inside_the_reports_content_is_not_counted():
    note = "Seeded from the report.\nThe co-chairs asked to apply filters to the budget."
    html = page("<p>The co-chairs asked to apply filters to the budget.</p><p>Apply filters</p>")
    assert english_left(html, "fr", content=[note]) == [("Apply filters", "Apply filters")]
    assert english_left(page("<p>Sign in to the co-chairs’ …</p>"), "fr",
                        content=["Sign in to the co-chairs’ meeting in Geneva"]) == []


def test_no_english_left_names_what_it_found_and_lets_a_known_message_pass():
    html = page("<dl><dt>Status</dt><dd>En cours</dd></dl><button>Save update</button>")
    with pytest.raises(AssertionError, match="'Save update' in 'Save update'"):
        no_english_left(html, "fr", known={"Status"})
    no_english_left(page("<dl><dt>Status</dt></dl>"), "fr", known={"Status"})
    no_english_left(html, "en")


def test_a_fuzzy_or_untranslated_message_counts_as_english(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n#, fuzzy\nmsgid "Save update"\nmsgstr "Enregistrer"\n\n'
                  'msgid "Log out"\nmsgstr ""\n\nmsgctxt "verb"\nmsgid "Search"\nmsgstr "Rechercher"\n\n'
                  'msgid "%(n)s item"\nmsgid_plural "%(n)s items"\nmsgstr[0] "%(n)s élément"\n'
                  'msgstr[1] ""\n"%(n)s éléments"\n', encoding="utf-8")
    assert list(_entries(po)) == [("Save update", None, ["Enregistrer"], True), ("Log out", None, [""], False),
                                  ("Search", None, ["Rechercher"], False),
                                  ("%(n)s item", "%(n)s items", ["%(n)s élément", "%(n)s éléments"], False)]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_dashboard_in_french_and_spanish_has_no_english_left_and_in_english_would(client, language):
    from gfmd_tracker.tests.english_left import report_content

    content = report_content()
    french_or_spanish = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode().replace('lang="en"', f'lang="{language}"')
    assert english_left(french_or_spanish, language, content) == []
    found = {message for message, line in english_left(english, language, content)}
    assert {"Where the follow-up stands", "Sign in", "Overdue"} <= found


# The pages the journeys do not all reach (e2e/test_journeys_in_three_languages.py), rendered by the test client.
PAGES = ["/", "/my-items/", "/recommendations/", "/recommendations/2010/2.1/1/", "/follow-up/2010/CSD/1/",
         "/actions/", "/reports/matrix/", "/reports/slipped/", "/reports/changes/", "/actors/", "/projects/",
         "/follow-up/", "/search/?q=migration", "/meetings/", "/meetings/2010/", "/open-data/", "/api/docs/",
         "/api/tokens/", "/accounts/profile/", "/notifications/", "/notifications/preferences/",
         "/notifications/following/", "/notifications/saved-views/", "/accounts/password-reset/"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_signed_in_pages_have_no_english_left(client, editor, language):
    from gfmd_tracker.tests.english_left import report_content

    content = report_content()
    client.force_login(editor)
    for url in PAGES:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        no_english_left(response.content.decode(), language, where=url, content=content)
    client.logout()
    no_english_left(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode(), language,
                    where="/accounts/login/")


# The admin an editor works in: the lists (and their search box), a change page with its Translations, a record's
# History, the export page's column boxes, the import page and the bulk update's own page.
ADMIN_PAGES = ["/admin/", "/admin/recommendations/recommendation/", "/admin/recommendations/recommendation/1/change/",
               "/admin/recommendations/recommendation/1/history/", "/admin/recommendations/recommendation/export/",
               "/admin/recommendations/recommendation/import/", "/admin/recommendations/followupitem/export/",
               "/admin/recommendations/action/export/", "/admin/recommendations/lineage/export/",
               "/admin/recommendations/actor/export/", "/admin/recommendations/session/1/history/",
               "/admin/recommendations/theme/1/change/", "/admin/recommendations/recommendationupdate/",
               "/admin/partnerships/project/", "/admin/partnerships/project/export/",
               "/admin/partnerships/projectupdate/", "/admin/notifications/digestrecipient/"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_editors_admin_pages_have_no_english_left(client, editor, language):
    from gfmd_tracker.tests.english_left import report_content
    from recommendations.models import Recommendation, RecommendationUpdate

    content = report_content()
    client.force_login(editor)
    entry = RecommendationUpdate.objects.order_by("pk").first()
    pks = list(Recommendation.objects.order_by("pk").values_list("pk", flat=True)[:2])
    for url in [*ADMIN_PAGES, f"/admin/recommendations/recommendationupdate/{entry.pk}/change/"]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        no_english_left(response.content.decode(), language, where=url, content=content)
    for apply in ({}, {"apply": "1"}):  # the bulk update's page, then the same refused (no owner, no note)
        bulk = client.post("/admin/recommendations/recommendation/",
                           {"action": "assign_owner", "_selected_action": pks, **apply}, HTTP_ACCEPT_LANGUAGE=language)
        assert [t.name for t in bulk.templates][0] == "admin/recommendations/bulk_update.html"
        assert bool(bulk.context["form"].errors) == bool(apply)
        no_english_left(bulk.content.decode(), language, where="the bulk update", content=content)


@pytest.mark.django_db
@pytest.mark.parametrize("language, heading", [("fr", "Avancement (%) (progress)"), ("es", "Avance (%) (progress)")])
def test_an_import_preview_speaks_the_editors_language_and_marks_the_files_english(client, editor, language,
                                                                                   heading):
    """The preview's headings are the columns' labels; its cells are the file's, whose values stay in English
    ("In progress"): marked lang="en", so that a screen reader reads them as English and no check counts them."""
    import tablib
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gfmd_tracker.tests.english_left import report_content
    from recommendations.imports.resources import RecommendationResource
    from recommendations.models import Recommendation

    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="3.1", number=4))
    row = dict(zip(data.headers, data[0]), progress="35", status="In progress")
    upload = tablib.Dataset([row[h] for h in data.headers], headers=data.headers).export("csv").encode()
    client.force_login(editor)
    response = client.post("/admin/recommendations/recommendation/import/", {
        "import_file": SimpleUploadedFile("recs.csv", upload), "format": "0", "resource": "0"},
        HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert f'<th scope="col">{heading}</th>' in page
    assert ('<td lang="en"><span class="change"><del>Not started</del> → <ins>In progress</ins></span></td>'
            in page)
    no_english_left(page, language, where="the import preview", content=report_content())


@pytest.mark.django_db
@pytest.mark.parametrize("language, label", [
    ("fr", "Recommandations | Recommandation | Peut modifier\u00a0: recommandation"),
    ("es", "Recomendaciones | Recomendación | Puede modificar: recomendación"),
])
def test_a_roles_permissions_are_named_in_the_administrators_language(client, administrator, language, label):
    """Django keeps each permission's name in English ("Can change recommendation"): the role's page names them
    from their model and action instead, the history's permissions too."""
    from django.contrib.auth.models import Group

    from gfmd_tracker.roles import EDITOR

    client.force_login(administrator)
    url = f"/admin/auth/group/{Group.objects.get(name=EDITOR).pk}/change/"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    labels = [label for _value, label in response.context["adminform"].form.fields["permissions"].choices]
    assert label in labels
    assert not [label for label in labels if "Can " in label or "historical" in label]
    no_english_left(response.content.decode(), language, where=url)


@pytest.mark.django_db
def test_a_records_history_shows_no_python_none_where_a_change_gave_no_reason(client, editor):
    """django-simple-history's list printed "None" in the reason's column of a change without one, in any language."""
    import re

    from recommendations.models import Recommendation

    rec = Recommendation.objects.order_by("pk").first()
    assert rec.history.filter(history_change_reason__isnull=True).exists()
    client.force_login(editor)
    page = client.get(f"/admin/recommendations/recommendation/{rec.pk}/history/",
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()
    cells = [" ".join(cell.split()) for cell in re.findall(r"<td>(.*?)</td>", page, re.S)]
    assert cells and "None" not in cells and "" in cells


@pytest.mark.django_db
@pytest.mark.parametrize("language, header", [("fr", "GFMD Tracker — gestion des données"),
                                              ("es", "GFMD Tracker — gestión de datos")])
def test_the_admins_header_is_in_the_editors_language(client, editor, language, header):
    """A Python string the catalogues never knew is invisible to english_left: the admin's own header was one."""
    client.force_login(editor)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<a href="/admin/">{header}</a>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language, heading, columns", [
    ("fr", "Historique\u00a0: ", ["Objet", "Date/heure", "Commentaire", "Modifié par", "Motif de la modification"]),
    ("es", "Historial: ", ["Objeto", "Fecha/hora", "Comentario", "Modificado por", "Motivo del cambio"]),
])
def test_a_records_history_is_in_the_glossarys_words(client, editor, language, heading, columns):
    """django-simple-history's own French ("Historique de vue", "Raison de la modification") and its missing Spanish
    are replaced by the catalogue in LOCALE_PATHS; english_left cannot see wrong French, so the words are named."""
    import re

    client.force_login(editor)
    page = client.get("/admin/recommendations/recommendation/1/history/", HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    assert re.search(r"<h1>([^<]*)</h1>", html).group(1).startswith(heading)
    table = html[html.index('id="change-history"'):]
    assert re.findall(r'<th scope="col">([^<]*)</th>', table)[:5] == columns
