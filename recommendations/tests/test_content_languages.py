"""The report's content in the reader's language on the lists and reports (issue #22, content): an editor's
translation of a title, a session's or a roundtable's title or a theme's name is shown marked as a translation,
linked to where its English original is read; an untranslated one shows the English in `lang="en"`, and a list
says once, above its rows, that titles not yet translated are in the report's English. The English pages are
as they were, and no page reads the database more for the translations."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from recommendations import versioning
from recommendations.models import FollowUpItem, Recommendation, Roundtable, Session, Theme

pytestmark = pytest.mark.django_db

NB = "\u00a0"
ITEM = "/recommendations/2010/2.1/3/"
LIST = "/recommendations/?session=2.1"
MEETING = "/meetings/2010/"
MARK_TITLE = f"Traduction établie par un éditeur{NB}: le texte anglais du rapport fait foi. Lire l’original."
FR_NOTE = "Les titres non encore traduits s’affichent en anglais, tels qu’ils figurent dans le rapport."
ES_NOTE = "Los títulos aún no traducidos se muestran en inglés, tal como figuran en el informe."


def translate(obj, **values):
    obj.i18n = {**(obj.i18n or {}), **values}
    obj.save()
    return obj


def item(number=3):
    return Recommendation.objects.get_by_natural_key(2010, "2.1", number)


def session():
    return Session.objects.get_by_natural_key(2010, "2.1")


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response["Content-Language"] == language
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


def linked_mark(url):
    return f'<small class="translation-mark"><a href="{url}" title="{MARK_TITLE}">traduction</a></small>'


# The lists

def test_a_french_reader_sees_a_translated_title_marked_and_linked_to_its_original(client):
    translate(item(), title_fr="Réduire les coûts des transferts de fonds")

    body = page(client, LIST, "fr")

    assert (f'<td class="main"><a href="{ITEM}">Réduire les coûts des transferts de fonds</a> '
            f'{linked_mark(ITEM + "#original")}') in body


def test_a_french_list_with_untranslated_titles_says_so_once_above_the_table(client):
    translate(item(), title_fr="Réduire les coûts des transferts de fonds")
    other = item(4)

    body = page(client, LIST, "fr")

    assert body.count(FR_NOTE) == 1
    assert body.index(FR_NOTE) < body.index('<table class="items">')
    assert f'<a href="/recommendations/2010/2.1/4/"><span lang="en">{escape(other.title)}</span></a>' in body


def test_a_french_list_whose_titles_are_all_translated_has_no_note(client):
    for number, rec in enumerate(Recommendation.objects.filter(session__code="2.1"), start=1):
        translate(rec, title_fr=f"Titre traduit {number}")
    translate(session(), title_fr="Réduire les coûts de la migration")

    body = page(client, LIST, "fr")

    assert FR_NOTE not in body
    rows = body.split('<table class="items">')[1].split("</table>")[0]
    assert '/"><span lang="en">' not in rows  # no row's title in English (the themes' names are not translated)


def test_a_spanish_reader_without_translations_reads_the_english_in_its_language(client):
    translate(item(), title_fr="Réduire les coûts des transferts de fonds")
    rec = item()

    body = page(client, LIST, "es")

    assert f'<td class="main"><a href="{ITEM}"><span lang="en">{escape(rec.title)}</span></a>' in body
    assert body.count(ES_NOTE) == 1
    assert "Réduire" not in body and "translation-mark\"" not in body


def test_the_session_heading_is_marked_and_linked_to_the_sessions_place_on_the_meeting_page(client):
    translate(session(), title_fr="Réduire les coûts de la migration")

    body = page(client, LIST, "fr")

    assert (f'Table ronde 2 · Session 2.1{NB}: Réduire les coûts de la migration '
            f'{linked_mark(MEETING + "#session-2.1")} <span class="count">FMMD 2010</span>') in body


def test_a_theme_name_is_translated_in_the_rows_and_in_the_filter_without_a_mark(client):
    theme = item().themes.order_by("name").first()
    translate(theme, name_fr="Nom de thème traduit")

    body = page(client, LIST, "fr")

    assert '<span class="tag">Nom de thème traduit <small class="translation-mark">traduction</small></span>' in body
    label = re.search(rf'<label[^>]*><input type="checkbox" name="theme" value="{theme.slug}"[^>]*> ?([^<]*)</label>',
                      body)
    assert label.group(1).strip() == "Nom de thème traduit"


def test_the_stated_filters_name_a_theme_in_the_readers_language(client):
    theme = item().themes.order_by("name").first()
    translate(theme, name_fr="Nom de thème traduit")

    body = page(client, f"/recommendations/?theme={theme.slug}", "fr")

    assert f"Thème{NB}: Nom de thème traduit" in body


def test_an_english_reader_reads_the_lists_unmarked(client):
    translate(item(), title_fr="Réduire les coûts des transferts de fonds", title_es="Reducir los costes")
    translate(session(), title_fr="Réduire les coûts de la migration")
    rec = item()

    body = page(client, LIST, "en")

    assert f'<td class="main"><a href="{ITEM}">{escape(rec.title)}</a>' in body
    assert "translation-mark" not in body.replace(".translation-mark", "")
    assert '<span lang="en">' not in body and "Titles not yet translated" not in body


def test_the_follow_up_list_is_translated_too(client):
    followed = FollowUpItem.objects.filter(session__code="CSD").order_by("number").first()
    translate(followed, title_fr="Élément de suivi traduit")

    body = page(client, "/follow-up/?session=CSD", "fr")

    url = followed.get_absolute_url()
    assert f'<a href="{url}">Élément de suivi traduit</a> {linked_mark(url + "#original")}' in body


# The meeting page

def test_the_meeting_page_shows_a_translated_session_title_with_its_english_original_beside_it(client):
    english = session().title
    translate(session(), title_fr="Réduire les coûts de la migration")

    body = page(client, MEETING, "fr")

    mark = '<small class="translation-mark">traduction</small>'
    assert f'<a href="#session-2.1">2.1 Réduire les coûts de la migration {mark}</a>' in body
    assert (f'<h3 id="session-2.1-title">Session 2.1{NB}: Réduire les coûts de la migration {mark}</h3> '
            f'<p class="translation-original">En anglais dans le rapport{NB}: <span lang="en">{escape(english)}</span>'
            '</p>') in body


def test_the_meeting_page_translates_a_roundtable_and_says_once_what_is_untranslated(client):
    roundtable = Roundtable.objects.get(meeting__year=2010, number=2)
    english = roundtable.title
    translate(roundtable, title_fr="Table ronde traduite")

    french, spanish = page(client, MEETING, "fr"), page(client, MEETING, "es")

    assert (f'<h2 id="roundtable-2">Table ronde 2{NB}: Table ronde traduite '
            '<small class="translation-mark">traduction</small></h2>') in french
    assert f'<span lang="en">{escape(english)}</span>' in french
    assert french.count(FR_NOTE) == 1  # the sessions' titles are not translated
    assert spanish.count(ES_NOTE) == 1
    assert f'<h2 id="roundtable-2">Mesa redonda 2: <span lang="en">{escape(english)}</span></h2>' in spanish


def test_the_english_meeting_page_is_unmarked(client):
    english = session().title
    translate(session(), title_fr="Réduire les coûts de la migration")

    body = page(client, MEETING, "en")

    assert f'<h3 id="session-2.1-title">Session 2.1: {escape(english)}</h3>' in body
    assert "translation-" not in body.replace(".translation-", "") and '<span lang="en">' not in body


# The reports

def test_the_matrix_shows_session_and_roundtable_titles_in_the_readers_language(client):
    translate(session(), title_fr="Réduire les coûts de la migration")
    translate(Roundtable.objects.get(meeting__year=2010, number=2), title_fr="Table ronde traduite")

    body = page(client, "/reports/matrix/", "fr")

    assert (f'<span class="code">2.1</span> Réduire les coûts de la migration '
            f'{linked_mark(MEETING + "#session-2.1")}</th>') in body
    assert (f"FMMD 2010 · Table ronde 2{NB}: Table ronde traduite "
            '<small class="translation-mark">traduction</small></th>') in body


def test_my_items_name_an_item_in_the_readers_language(editor_client, editor):
    Recommendation.objects.filter(pk=item().pk).update(owner=editor)
    translate(item(), title_fr="Réduire les coûts des transferts de fonds")

    body = page(editor_client, "/my-items/", "fr")

    assert (f'<td class="main"><a href="{ITEM}">2.1/3 Réduire les coûts des transferts de fonds</a> '
            f'{linked_mark(ITEM + "#original")}</td>') in body


def test_the_print_stylesheet_keeps_the_marks_black_and_bracketed():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "gfmd_tracker/static/gfmd_tracker/site.css").read_text()
    printed = re.findall(r"@media print \{(.*?)\n\}", css, re.S)
    assert any(".translation-mark, .translation-note, .translation-original { color: #000; }" in block
               and '.translation-mark::before { content: "["; }' in block for block in printed)


# What it costs

PAGES = ["/recommendations/", "/recommendations/?session=2.1&sort=status", "/follow-up/", "/reports/matrix/",
         "/meetings/2010/", "/projects/", "/projects/1/", "/search/?q=migration", "/my-items/", "/",
         "/actions/", "/reports/changes/", ITEM]


def queries(client, url, language):
    versioning.clear()
    with CaptureQueriesContext(connection) as read:
        assert client.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
    return len(read)


@pytest.mark.parametrize("url", PAGES)
def test_translations_cost_no_query(editor_client, url):
    from partnerships.models import Project

    queries(editor_client, url, "en")  # what a first request reads once (the session, the content types)
    english = queries(editor_client, url, "en")
    for model, values in [(Recommendation, {"title_fr": "Titre", "text_fr": "Texte"}),
                          (FollowUpItem, {"title_fr": "Titre"}), (Session, {"title_fr": "Séance"}),
                          (Roundtable, {"title_fr": "Table ronde"}), (Theme, {"name_fr": "Thème"}),
                          (Project, {"title_fr": "Projet", "description_fr": "Description"})]:
        model.objects.update(i18n=values)

    assert queries(editor_client, url, "fr") == english
