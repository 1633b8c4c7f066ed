"""A PfP project's title and description in the reader's language (issue #22, content): like an item's page, a
translation is marked, with the English original beside it; an untranslated description is said to be the report's
English; the list marks a translated title and links the mark to the original."""

import re

import pytest
from django.utils.html import escape

from partnerships.models import Project

pytestmark = pytest.mark.django_db

NB = "\u00a0"
TITLE = "Protecting Unaccompanied Migrant Children"


def project():
    return Project.objects.get(title=TITLE)


def translate(obj, **values):
    obj.i18n = {**(obj.i18n or {}), **values}
    obj.save()
    return obj


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response["Content-Language"] == language
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


def test_a_french_reader_reads_the_project_translated_with_its_english_original(client):
    english = project().description
    translate(project(), title_fr="Protéger les enfants migrants non accompagnés",
              description_fr="Un projet de protection.\n\nSa deuxième partie.")

    body = page(client, project().get_absolute_url(), "fr")

    assert ('<h1>Protéger les enfants migrants non accompagnés <small class="translation-mark">traduction</small>'
            '</h1>') in body
    assert f'<p class="translation-original">En anglais dans le rapport{NB}: <span lang="en">{TITLE}</span></p>' in body
    assert "<title>Protéger les enfants migrants non accompagnés" in body
    assert (f"Traduction établie par un éditeur. Le texte anglais du rapport fait foi{NB}: "
            '<a href="#original">lire l’original</a>.') in body
    assert ('<blockquote class="verbatim translation"><p>Un projet de protection.</p> <p>Sa deuxième partie.</p>'
            '</blockquote>') in body
    original = re.search(r'<details class="original" id="original" open>(.*?)</details>', body).group(1)
    assert "Texte anglais du rapport (fait foi)" in original
    assert escape(english.split("\n")[0].strip()) in original and 'lang="en"' in original


def test_a_spanish_reader_reads_the_untranslated_project_in_english_said_so(client):
    translate(project(), title_fr="Protéger les enfants migrants non accompagnés")

    body = page(client, project().get_absolute_url(), "es")

    assert f'<h1><span lang="en">{TITLE}</span></h1>' in body
    assert '<p class="translation-note" id="original">Aún sin traducir: el texto inglés del informe.</p>' in body
    assert '<blockquote class="verbatim" lang="en">' in body
    assert "Protéger" not in body and "translation-original" not in body.replace(".translation-original", "")


def test_an_english_reader_reads_the_project_unmarked(client):
    translate(project(), title_fr="Protéger les enfants migrants non accompagnés", description_fr="Un projet.")

    body = page(client, project().get_absolute_url(), "en")

    assert f"<h1>{TITLE}</h1>" in body
    assert '<blockquote class="verbatim">' in body and 'id="original"' not in body
    assert "Protéger" not in body and "translation-note" not in body.replace(".translation-note", "")


def test_the_project_list_marks_a_translated_title_and_says_once_what_is_untranslated(client):
    translate(project(), title_fr="Protéger les enfants migrants non accompagnés")
    url = project().get_absolute_url()

    body = page(client, "/projects/", "fr")

    assert (f'<td class="main"><a href="{url}">Protéger les enfants migrants non accompagnés</a> '
            f'<small class="translation-mark"><a href="{url}#original" title="Traduction établie par un éditeur{NB}: '
            'le texte anglais du rapport fait foi. Lire l’original.">traduction</a></small></td>') in body
    assert body.count("Les titres non encore traduits s’affichent en anglais") == 1
    assert '"><span lang="en">Developing Migration Profiles</span></a>' in body
