"""The open-data page in the reader's language (README, "Languages"): its words, never the file's name, its
addresses or its tables' names (the data package stays as it is). The French and Spanish expected here are
opendata/locale's, reviewed against the glossary."""

import pytest
from django.utils import translation

from .conftest import build_package

pytestmark = pytest.mark.django_db

PAGE, ZIP = "/open-data/", "/open-data/gfmd-tracker.zip"
NOT_BUILT = {
    "en": ("<h1>Open data</h1>", "The open-data download has not been built yet: the tracker's operators build it"),
    "fr": ("<h1>Données ouvertes</h1>",
           "Le fichier de données ouvertes n’a pas encore été produit\u00a0: les exploitants de l’outil de suivi le"),
    "es": ("<h1>Datos abiertos</h1>",
           "La descarga de datos abiertos todavía no se ha generado: los operadores de la herramienta de"),
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_before_any_build_the_page_says_so_in_the_readers_language(client, language):
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE=language)
    body = page.content.decode().replace("&#x27;", "'")
    assert (page["Content-Language"], [text in body for text in NOT_BUILT[language]]) == (language, [True, True])


def test_a_built_package_is_offered_under_its_one_name_in_every_language(client):
    build_package()
    french = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    spanish = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert f'<a class="button" href="{ZIP}" download>Télécharger gfmd-tracker.zip</a>' in french
    assert f'<a class="button" href="{ZIP}" download>Descargar gfmd-tracker.zip</a>' in spanish
    assert "<code>csv/recommendations.csv</code>" in french and "<code>csv/recommendations.csv</code>" in spanish
    assert '<th scope="col" class="num">Lignes</th>' in french and '<th scope="col" class="num">Filas</th>' in spanish


def test_the_package_is_written_in_english_whatever_language_is_active_when_it_is_built():
    with translation.override("fr"):  # a build asked for from a French page, or after one in the same process
        package = build_package()
    assert {row["stage"] for row in package.csv("projects")} == {"Initiation", "Implementation"}
    assert {row["item_kind"] for row in package.csv("lineage")} >= {"project"}
