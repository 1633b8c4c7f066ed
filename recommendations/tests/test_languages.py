"""The recommendations app in the Forum's three languages (issue #22): what a French or Spanish reader reads on the
lists, item pages, matrix and meetings, and in the messages of the follow-up rules, as the catalogues reviewed
(recommendations/locale) write it; the English unchanged. The downloads keep their column names and their cells in
English whatever the reader's language (an import reads an exported sheet back); their "About this export" sheet
is in the reader's language."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from recommendations.filters import session_item_sort
from recommendations.models import Status
from recommendations.tests.test_item_page import UPDATE, URL, loans

pytestmark = pytest.mark.django_db

SESSION_2_1 = "Reducing the costs of migration and maximizing human development"  # the report's title: not translated


def page(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


@pytest.mark.parametrize(("language", "heading", "session"), [
    ("en", "<h1>Recommendations</h1>",
     f"Roundtable 2 · Session 2.1: {SESSION_2_1} <span class=\"count\">GFMD 2010</span>"),
    ("fr", "<h1>Recommandations</h1>",
     f"Table ronde 2 · Session 2.1\u00a0: <span lang=\"en\">{SESSION_2_1}</span> "
     "<span class=\"count\">FMMD 2010</span>"),
    ("es", "<h1>Recomendaciones</h1>",
     f"Mesa redonda 2 · Sesión 2.1: <span lang=\"en\">{SESSION_2_1}</span> <span class=\"count\">FMMD 2010</span>"),
])
def test_the_list_and_its_session_headings_are_in_the_readers_language(editor_client, language, heading, session):
    body = page(editor_client, "/recommendations/?session=2.1", language)
    assert heading in body
    assert f'<tr class="session-heading"><th colspan="10" scope="rowgroup">{session}</th></tr>' in body


@pytest.mark.parametrize(("language", "status"), [("en", "Not started"), ("fr", "Non commencé"),
                                                  ("es", "No iniciado")])
def test_the_public_reads_the_list_in_the_language_of_its_browser(client, language, status):
    body = client.get("/recommendations/?session=2.1", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<span class="badge status-not_started">{status}</span>' in body


@pytest.mark.parametrize(("language", "eyebrow"), [
    ("en", "GFMD 2010 · Roundtable session 2.1 · Recommendation 3"),
    ("fr", "FMMD 2010 · Session de table ronde 2.1 · Recommandation 3"),
    ("es", "FMMD 2010 · Sesión de mesa redonda 2.1 · Recomendación 3"),
])
def test_the_item_page_says_where_the_item_comes_from(editor_client, language, eyebrow):
    assert f'<p class="eyebrow">{eyebrow}</p>' in page(editor_client, URL, language)


@pytest.mark.parametrize(("language", "total", "subtotal", "share"), [
    ("en", "All sessions", "Subtotal", "0%"),
    ("fr", "Toutes les sessions", "Sous-total", "0\u202f%"),
    ("es", "Todas las sesiones", "Subtotal", "0\u00a0%"),
])
def test_the_matrix_names_its_totals_and_writes_its_shares_in_the_readers_language(editor_client, language, total,
                                                                                   subtotal, share):
    body = page(editor_client, "/reports/matrix/", language)
    assert f'<tr class="total"><th scope="row">{total}</th>' in body
    assert f'<tr class="subtotal"><th scope="row">{subtotal}</th>' in body
    assert f'<td class="num">{share}</td></tr>' in body


@pytest.mark.parametrize(("language", "refusal"), [
    ("en", "An item cannot go from Not started to Ongoing."),
    ("fr", "Un élément ne peut pas passer de «\u202fNon commencé\u202f» à «\u202fEn continu\u202f»."),
    ("es", "Un elemento no puede pasar de «No iniciado» a «Continuo»."),
])
def test_a_refused_change_of_status_is_explained_in_the_readers_language(editor_client, language, refusal):
    editor_client.cookies["django_language"] = language
    response = editor_client.post(UPDATE, {"version": loans().version, "note": "Moving on.", "status": "ongoing"})

    assert response.status_code == 400 and f'class="error">{refusal}</p>' in response.content.decode()
    assert loans().status == Status.NOT_STARTED


@pytest.mark.parametrize(("language", "practices"), [
    ("en", "4 good practices the session names"), ("fr", "4 bonnes pratiques citées par la session"),
    ("es", "4 buenas prácticas citadas por la sesión"),
])
def test_a_meetings_sessions_count_their_good_practices_in_the_readers_language(editor_client, language, practices):
    assert f"<summary>{practices}</summary>" in page(editor_client, "/meetings/2010/", language)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_csv_keeps_its_column_names_and_english_cells_for_every_reader(viewer_client, language):
    viewer_client.cookies["django_language"] = language
    response = viewer_client.get(reverse("recommendations:export", args=["csv"]), {"session": "2.1"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert rows[0][:13] == ["meeting", "session", "number", "title", "text", "title_fr", "title_es", "text_fr",
                            "text_es", "themes", "status", "owner", "responsible_actors"]
    assert [row[10] for row in rows[1:3]] == ["In progress", "Not started"]
    assert rows[1][rows[0].index("freshness")] == "Inactive"


@pytest.mark.parametrize(("language", "sheet", "rows", "filter_row", "status"), [
    ("en", "About this export", ("Rows", 8), ("Filter", "Session code: 2.1"), "Status"),
    ("fr", "À propos de cet export", ("Lignes", 8), ("Filtre", "Code de la session\u00a0: 2.1"), "Statut"),
    ("es", "Acerca de esta exportación", ("Filas", 8), ("Filtro", "Código de la sesión: 2.1"), "Estado"),
])
def test_the_xlsx_says_about_itself_in_the_readers_language_and_keeps_english_cells(viewer_client, language, sheet,
                                                                                    rows, filter_row, status):
    """The labels over the columns are the reader's; the cells keep the values files keep (English)."""
    viewer_client.cookies["django_language"] = language
    response = viewer_client.get(reverse("recommendations:export", args=["xlsx"]), {"session": "2.1"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    about = [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
    assert rows in about and filter_row in about
    table = list(book.worksheets[0].iter_rows(values_only=True))
    assert table[1][table[0].index(status)] == "In progress"


def test_a_sorts_descending_labels_are_drawn_in_the_readers_language_not_that_of_the_first_request():
    with translation.override("fr"):  # the module is first loaded by a French request
        labels = dict(session_item_sort("ordinal").extra["choices"])
    with translation.override("en"):
        assert str(labels["-updated"]) == "Last update (descending)"
    with translation.override("fr"):
        assert str(labels["-updated"]) == "Dernière mise à jour (décroissant)"
    with translation.override("es"):
        assert str(labels["-updated"]) == "Última actualización (descendente)"


@pytest.mark.parametrize(("language", "label"), [("en", "Sort by"), ("fr", "Trier par"), ("es", "Ordenar por")])
@pytest.mark.parametrize("url", ["/recommendations/", "/follow-up/", "/actions/", "/actors/", "/projects/",
                                 "/reports/slipped/"])
def test_a_phone_says_sort_by_in_the_readers_language(client, language, label, url):
    """On a phone the sortable headings become a line of links after "Sort by", which the stylesheet takes from the
    table's own attribute (a stylesheet holds no words: they would stay English)."""
    assert f'<thead><tr data-sort-label="{label}">' in page(client, url, language)


def test_the_stylesheets_hold_no_words():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "gfmd_tracker/static/gfmd_tracker/site.css").read_text()
    quoted = re.findall(r'content:\s*"([^"]*)"', css)
    assert quoted and [text for text in quoted if re.search(r"[a-z]{2}", text) and text != "GFMD Tracker"] == []
