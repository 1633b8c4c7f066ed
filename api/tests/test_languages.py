"""The API's human words in the reader's language (README, "Languages"): the tokens page, and the messages of its
refusals by the client's Accept-Language; never its field names, addresses or values. The French and Spanish
expected here are api/locale's, reviewed against the glossary."""

import pytest

from api.tests.conftest import UPDATES_URL, item, post, token_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "detail"), [
    ("en", "You may read this item but not log updates on it."),
    ("fr", "Vous pouvez consulter cet élément, mais pas y consigner de mises à jour."),
    ("es", "Puede consultar este elemento, pero no registrar actualizaciones en él."),
])
def test_a_refusal_says_why_in_the_clients_language_under_the_same_field(client, viewer, language, detail):
    refused = post(client, UPDATES_URL, token_for(viewer), {"note": "Me too.", "version": item().version},
                   **{"Accept-Language": language})
    assert (refused.status_code, refused.json()) == (403, {"detail": detail})


def test_a_missing_note_is_named_in_spanish_under_its_field(client, viewer, staff):
    response = post(client, UPDATES_URL, token_for(staff), {"status": "stalled", "version": item().version},
                    **{"Accept-Language": "es"})
    assert response.json() == {"note": ["Escriba una nota: qué ocurrió o el motivo del cambio."]}


@pytest.mark.parametrize(("language", "texts"), [
    ("en", ("<h1>API tokens</h1>", '<h2 id="create-heading">Create a token</h2>', "You have no tokens.")),
    ("fr", ("<h1>Jetons d’API</h1>", '<h2 id="create-heading">Créer un jeton</h2>', "Vous n’avez aucun jeton.")),
    ("es", ("<h1>Tokens de API</h1>", '<h2 id="create-heading">Crear un token</h2>', "No tiene tokens.")),
])
def test_the_tokens_page_in_the_readers_language(client, staff, language, texts):
    client.force_login(staff)
    body = client.get("/api/tokens/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert [text in body for text in texts] == [True] * 3
