"""The report's content in the reader's language (issue #22, content): an editor's French or Spanish translation
of an item's title and text is shown to its readers marked as a translation, with the English original beside it;
where none exists, the English shows with a note in the reader's language. The English readers' pages, the
record's own columns and its history keep the report's words."""

import re

import pytest
from django.utils import translation

from gfmd_tracker.content import shown
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

ITEM = "/recommendations/2010/2.1/3/"
NB = "\u00a0"


def item():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 3)


def translate(obj, **values):
    obj.i18n = {**(obj.i18n or {}), **values}
    obj.save()
    return obj


def page(client, language):
    response = client.get(ITEM, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response["Content-Language"] == language
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


def test_a_translation_is_shown_to_its_readers_and_the_english_to_the_others():
    rec = translate(item(), title_fr="Coûts des transferts", text_fr="Réduire les coûts.")

    french, spanish, english = (shown(rec, "text", language) for language in ("fr", "es", "en"))

    assert (french.text, french.language, french.translated, french.untranslated) == (
        "Réduire les coûts.", "fr", True, False)
    assert french.original == rec.text  # the report's English beside it
    assert (spanish.text, spanish.language, spanish.translated, spanish.untranslated) == (rec.text, "en", False, True)
    assert (english.text, english.translated, english.untranslated) == (rec.text, False, False)


def test_the_page_language_chooses_the_translation():
    rec = translate(item(), title_es="Costes de las remesas")
    with translation.override("es"):
        assert str(shown(rec, "title")) == "Costes de las remesas"
    with translation.override("fr"):
        assert str(shown(rec, "title")) == rec.title


def test_a_blank_translation_is_no_translation():
    rec = translate(item(), text_fr="   ")
    assert shown(rec, "text", "fr").untranslated


def test_the_record_keeps_the_reports_english_and_its_history_the_translation():
    rec = item()
    english_title, english_text = rec.title, rec.text
    translate(rec, title_fr="Coûts des transferts", text_fr="Réduire les coûts.")

    rec = item()
    assert (rec.title, rec.text) == (english_title, english_text)
    assert rec.history.first().i18n == {"title_fr": "Coûts des transferts", "text_fr": "Réduire les coûts."}


def test_a_french_reader_reads_the_translation_marked_with_the_english_original_beside_it(client):
    rec = translate(item(), title_fr="Coûts des transferts de fonds", text_fr="Réduire les coûts des transferts.")

    body = page(client, "fr")

    assert re.search(r"<h1>Coûts des transferts de fonds <small class=\"translation-mark\">traduction</small></h1>",
                     body)
    assert "<title>2.1/3 Coûts des transferts de fonds" in body
    assert f"Traduction établie par un éditeur. Le texte anglais du rapport fait foi{NB}: " \
           '<a href="#original">lire l’original</a>.' in body
    assert '<blockquote class="verbatim translation"><p>3. Réduire les coûts des transferts.</p></blockquote>' in body
    original = re.search(r'<details class="original" id="original" open>(.*?)</details>', body).group(1)
    assert "Texte anglais du rapport (fait foi)" in original
    assert f'<blockquote class="verbatim" lang="en"><p>3. {rec.text}</p></blockquote>' in original


def test_a_spanish_reader_without_a_translation_reads_the_english_said_so(client):
    rec = translate(item(), title_fr="Coûts des transferts de fonds", text_fr="Réduire les coûts des transferts.")

    body = page(client, "es")

    assert "Aún sin traducir: el texto inglés del informe." in body
    assert f'<blockquote class="verbatim" lang="en"><p>3. {rec.text}</p></blockquote>' in body
    assert f'<h1><span lang="en">{rec.title}</span></h1>' in body
    assert "Réduire" not in body and "traducción" not in body


def test_an_english_reader_reads_the_report_unmarked(client):
    rec = translate(item(), title_fr="Coûts des transferts de fonds", text_fr="Réduire les coûts des transferts.")

    body = page(client, "en")

    assert f"<h1>{rec.title}</h1>" in body
    assert f'<blockquote class="verbatim"><p>3. {rec.text}</p></blockquote>' in body
    assert "translation" not in body.replace("translation-", "") and "Réduire" not in body
    assert 'id="original"' not in body


def test_the_session_title_and_the_neighbours_are_translated_too(client):
    rec = item()
    rec.session.i18n = {"title_fr": "Séance traduite"}
    rec.session.save()
    neighbour = Recommendation.objects.get_by_natural_key(2010, "2.1", 4)
    translate(neighbour, title_fr="Le suivant traduit")

    body = page(client, "fr")

    assert "Séance traduite" in body and "Le suivant traduit" in body
