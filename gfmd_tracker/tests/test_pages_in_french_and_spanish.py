"""The project's pages and partials in French and Spanish (issue #22, step 2): the dashboard, My items, the
search, an item page's facts, timeline and forms, the feeds (in the language their reader's Accept-Language asks
for, whatever the cookie says) and an upload's refusal. The expected words are the catalogues' (gfmd_tracker/locale),
read there; the English pages are checked unchanged beside them."""

import re

import pytest
import tablib
from django.test import Client
from django.utils import translation

from gfmd_tracker.spreadsheets import UploadRefused, check_table

pytestmark = pytest.mark.django_db

NB, NN = "\u00a0", "\u202f"  # French: a no-break space before ":", a narrow one before ";" and inside « »
ITEM = "/recommendations/2010/2.1/3/"


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response["Content-Language"] == language
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())  # the no-break spaces kept


def tiles(body):
    return re.findall(r'<a class="tile[^"]*" href="[^"]*">(.*?)</a>', body)


@pytest.mark.parametrize(("language", "heading", "first", "share", "overdue"), [
    ("en", "Where the follow-up stands", '<span class="big">45</span> recommendations',
     '<span class="big">0%</span> of recommendations closed (implemented or not pursued)', "<h2>Overdue</h2>"),
    ("fr", "Où en est le suivi", '<span class="big">45</span> recommandations',
     f'<span class="big">0{NN}%</span> des recommandations clôturées (mises en œuvre ou non poursuivies)',
     "<h2>En retard</h2>"),
    ("es", "Estado del seguimiento", '<span class="big">45</span> recomendaciones',
     f'<span class="big">0{NB}%</span> de las recomendaciones cerradas (aplicadas o descartadas)',
     "<h2>Atrasados</h2>"),
])
def test_the_dashboard_speaks_the_readers_language(client, language, heading, first, share, overdue):
    body = page(client, "/", language)

    assert f"<h1>{heading}</h1>" in body
    assert tiles(body)[0] == first and tiles(body)[3] == share
    assert overdue in body


def test_the_dashboard_counts_a_single_item_in_the_singular(client):
    """A count of one takes the singular: French counts 0 and 1 so, Spanish 1 only."""
    from recommendations.models import Recommendation

    Recommendation.objects.exclude(pk=Recommendation.objects.order_by("pk")[0].pk).update(is_public=False)
    assert tiles(page(client, "/", "fr"))[0] == '<span class="big">1</span> recommandation'
    assert tiles(page(client, "/", "es"))[0] == '<span class="big">1</span> recomendación'


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["<h1>My items <span", "You own no items yet.", "Browse the recommendations"]),
    ("fr", ["<h1>Mes éléments <span", "Vous n’êtes encore responsable d’aucun élément.",
            "Parcourir les recommandations"]),
    ("es", ["<h1>Mis elementos <span", "Todavía no es responsable de ningún elemento.",
            "Consultar las recomendaciones"]),
])
def test_my_items_speaks_the_readers_language(client, staff, language, words):
    client.force_login(staff)
    body = page(client, "/my-items/", language)
    assert [word for word in words if word not in body] == []


@pytest.mark.parametrize(("language", "title", "heading", "none"), [
    ("en", "<title>Search: zzzqx · GFMD Tracker</title>", "<h1>Search results for “zzzqx”</h1>", "<p>None found.</p>"),
    ("fr", f"<title>Recherche{NB}: zzzqx · GFMD Tracker</title>", f"<h1>Résultats de la recherche «{NN}zzzqx{NN}»</h1>",
     "<p>Aucun résultat.</p>"),
    ("es", "<title>Búsqueda: zzzqx · GFMD Tracker</title>", "<h1>Resultados de la búsqueda «zzzqx»</h1>",
     "<p>Ningún resultado.</p>"),
])
def test_the_search_speaks_the_readers_language(client, language, title, heading, none):
    body = page(client, "/search/?q=zzzqx", language)
    assert (title in body, heading in body, body.count(none)) == (True, True, 4)


@pytest.mark.parametrize(("language", "facts"), [
    ("en", ['<dt>Status</dt>', '<dt>Responsible actors</dt>', '<h2 id="timeline">Timeline <span',
            '<span class="visually-hidden">: the public changes of this item</span>']),
    ("fr", ['<dt>Statut</dt>', '<dt>Acteurs responsables</dt>', '<h2 id="timeline">Historique <span',
            f'S’abonner (Atom)<span class="visually-hidden">{NB}: modifications publiques concernant cet élément'
            '</span>']),
    ("es", ['<dt>Estado</dt>', '<dt>Actores responsables</dt>', '<h2 id="timeline">Cronología <span',
            'Suscribirse (Atom)<span class="visually-hidden">: cambios públicos sobre este elemento</span>']),
])
def test_an_item_pages_facts_and_timeline_speak_the_readers_language(client, language, facts):
    body = page(client, ITEM, language)
    assert [fact for fact in facts if fact not in body] == []


def test_the_update_form_speaks_the_owners_language(client, editor):
    client.force_login(editor)
    body = page(client, ITEM, "es")
    assert '<h2 id="log-update">Registrar una actualización</h2>' in body
    assert '<button type="submit">Guardar la actualización</button>' in body


@pytest.mark.parametrize(("language", "title", "subtitle"), [
    ("en", "Every public change · GFMD Tracker", "Public changes, newest first (the latest 50): the notes"),
    ("fr", "Toutes les modifications publiques · GFMD Tracker",
     f"Modifications publiques, des plus récentes aux plus anciennes (les 50 dernières){NB}: les notes"),
    ("es", "Todos los cambios públicos · GFMD Tracker",
     "Cambios públicos, del más reciente al más antiguo (los 50 últimos): las notas"),
])
def test_a_feed_is_in_the_language_its_reader_asks_for(language, title, subtitle):
    response = Client().get("/feeds/changes.atom", HTTP_ACCEPT_LANGUAGE=language)
    xml = response.content.decode()

    assert (response["Content-Language"], f'xml:lang="{language}"' in xml) == (language, True)
    assert f"<title>{title}</title>" in xml and f"<subtitle>{subtitle}" in xml
    assert "Accept-Language" in response["Vary"]


def test_a_feed_follows_accept_language_not_the_switchers_cookie():
    """A feed is the same for everybody who asks in one language: a shared cache keys it on Accept-Language."""
    reader = Client()
    reader.cookies["django_language"] = "fr"
    response = reader.get("/feeds/changes.atom", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert response["Content-Language"] == "es"
    assert "<title>Todos los cambios públicos · GFMD Tracker</title>" in response.content.decode()

    english = Client().get("/feeds/changes.atom", HTTP_ACCEPT_LANGUAGE="de")
    assert english["Content-Language"] == "en" and english["ETag"] != response["ETag"]


def test_an_entrys_id_is_the_same_in_every_language():
    ids = {language: re.findall(r"<id>(tag:[^<]+)</id>", Client().get(
        "/feeds/changes.atom", HTTP_ACCEPT_LANGUAGE=language).content.decode()) for language in ("en", "fr", "es")}
    assert ids["en"] and ids["fr"] == ids["en"] and ids["es"] == ids["en"]


@pytest.mark.parametrize(("language", "message"), [
    ("en", "Column 2 has no name in the first row; name it or delete it."),
    ("fr", f"La colonne 2 n’a pas de nom dans la première ligne{NN}; nommez-la ou supprimez-la."),
    ("es", "La columna 2 no tiene nombre en la primera fila; asígnele uno o elimínela."),
])
def test_an_upload_is_refused_in_the_readers_language(language, message):
    with translation.override(language), pytest.raises(UploadRefused) as refused:
        check_table(tablib.Dataset(["1", "2"], headers=["title", ""]))
    assert str(refused.value) == message
