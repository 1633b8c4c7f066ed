"""The PfP pages in the Forum's three languages (README, "Languages"): the interface in the reader's language, the
report's own words (titles, actors' names) as they are. The French and Spanish expected here are those of
partnerships/locale, reviewed against docs/translation-glossary.md."""

import pytest

from partnerships.models import Project

pytestmark = pytest.mark.django_db

PARTNERS = {
    "en": ('<h2>Partners</h2>', '<th scope="col">Partner</th><th scope="col">Role</th>',
           '<td>Proposer / owner</td>', '<td>Implementer</td>'),
    "fr": ('<h2>Partenaires</h2>', '<th scope="col">Partenaire</th><th scope="col">Rôle</th>',
           '<td>Proposant / porteur du projet</td>', '<td>Partenaire de mise en œuvre</td>'),
    "es": ('<h2>Socios</h2>', '<th scope="col">Socio</th><th scope="col">Función</th>',
           '<td>Proponente / titular del proyecto</td>', '<td>Socio de ejecución</td>'),
}
EYEBROW = {
    "en": 'Platform for Partnerships project · presented at <a href="/meetings/2010/#session-PFP">GFMD 2010, '
          'session PFP</a>',
    "fr": 'Projet de la Plateforme de partenariats · présenté à la <a href="/meetings/2010/#session-PFP">session PFP '
          'du FMMD 2010</a>',
    "es": 'Proyecto de la Plataforma de Alianzas · presentado en la <a href="/meetings/2010/#session-PFP">sesión PFP '
          'del FMMD 2010</a>',
}
LIST = {
    "en": ("<h1>Platform for Partnerships projects</h1>", '<a href="?sort=stage">Stage</a>',
           '<td data-label="Stage">Initiation</td>'),
    "fr": ("<h1>Projets de la Plateforme de partenariats</h1>", '<a href="?sort=stage">Étape</a>',
           '<td data-label="Étape">Lancement</td>'),
    "es": ("<h1>Proyectos de la Plataforma de Alianzas</h1>", '<a href="?sort=stage">Etapa</a>',
           '<td data-label="Etapa">Inicio</td>'),
}


def profiles():
    return Project.objects.get(title="Developing Migration Profiles")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_projects_page_speaks_the_readers_language_and_quotes_the_report_as_it_is(client, viewer, language):
    client.force_login(viewer)
    body = client.get(profiles().get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert [text in body for text in (*PARTNERS[language], EYEBROW[language])] == [True] * 5
    # the report's title, in every language: in French and Spanish marked as the English (no translation written)
    title = "Developing Migration Profiles"
    title = title if language == "en" else f'<span lang="en">{title}</span>'
    assert f"<h1>{title}</h1>" in body
    assert '<a href="/actors/91/">GFMD ad hoc Working Group on Policy Coherence, Data and Research</a>' in body


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_projects_list_names_its_columns_and_stages_in_the_readers_language(client, language):
    body = client.get("/projects/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert [text in body for text in LIST[language]] == [True] * 3


def test_the_english_page_holds_none_of_the_translations(client, viewer):
    client.force_login(viewer)
    body = client.get(profiles().get_absolute_url()).content.decode()
    assert [text in body for text in (*PARTNERS["fr"], *PARTNERS["es"])] == [False] * 8
