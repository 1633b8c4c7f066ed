"""Search finds items in the reader's language and in English (issue #22, content): an item's English and an
editor's translation into the page's language, each read as its own language on PostgreSQL (its text search
configuration: stems of French words for a French reader, never Spanish ones), word by word on SQLite. A
translation into another language than the reader's does not make an item found."""

import pytest
from django.db import connection
from django.urls import reverse

from partnerships.models import Project
from recommendations.models import Recommendation, Session

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")
PROJECTS = reverse("partnerships:list")
SEARCH = reverse("search")


@pytest.fixture
def item():
    """An item of the report's English, with an editor's French and Spanish (no other item has these words)."""
    session = Session.objects.get(meeting__year=2010, code="1.1")
    created = Recommendation.objects.create(
        session=session, number=99, title="Cheaper Zanzibar corridors", text="Lower the cost of sending money home.",
        i18n={"title_fr": "Des transferts de fonds moins chers",
              "text_fr": "Réduire le coût des envois d'argent des migrantes et migrants.",
              "title_es": "Remesas más baratas", "text_es": "Reducir los costos sociales de enviar dinero."})
    Recommendation.objects.filter(pk=created.pk).renumber()  # its place in the report's order, as the seed's
    created.refresh_from_db()
    return created


def found(client, words, language, url=LIST):
    response = client.get(url, {"q": words}, HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Language"] == language
    return {item.pk for item in response.context["page"].paginator.object_list}


def test_a_french_reader_finds_an_item_by_its_french_translation(viewer_client, item):
    assert found(viewer_client, "transferts", "fr") == {item.pk}
    assert found(viewer_client, "envois d'argent", "fr") == {item.pk}


def test_a_spanish_reader_finds_an_item_by_its_spanish_translation(viewer_client, item):
    assert found(viewer_client, "remesas", "es") == {item.pk}
    assert found(viewer_client, "costos sociales", "es") == {item.pk}


def test_the_english_words_find_the_item_for_every_reader(viewer_client, item):
    for language in ("en", "fr", "es"):
        assert found(viewer_client, "zanzibar corridors", language) == {item.pk}, language


def test_a_translation_is_searched_for_its_own_readers_only(viewer_client, item):
    # Each reader's search first (on PostgreSQL the matches are kept per search): another reader's must not be
    # served the French reader's matches.
    assert found(viewer_client, "transferts", "fr") == {item.pk}
    assert found(viewer_client, "transferts", "en") == set()
    assert found(viewer_client, "transferts", "es") == set()
    assert found(viewer_client, "remesas", "fr") == set()
    assert found(viewer_client, "remesas", "en") == set()


def test_a_french_reader_does_not_find_an_item_by_its_spanish_translation_even_where_the_stems_agree(
        viewer_client, item):
    # French and Spanish both reduce "sociales" to "social": only the Spanish translation has it. (English
    # reduces it so too, and some items' English says "social": they are found for every reader.)
    assert item.pk in found(viewer_client, "sociales", "es")
    in_english = found(viewer_client, "sociales", "en")
    assert item.pk not in in_english
    assert found(viewer_client, "sociales", "fr") == in_english


def test_the_translation_followed_as_an_editor_changes_it(viewer_client, item):
    item.i18n = {**item.i18n, "title_fr": "Des corridors moins chers"}
    item.save()
    assert found(viewer_client, "corridors", "fr") == {item.pk}  # English and French now
    assert found(viewer_client, "transferts", "fr") == set()
    item.i18n = {}
    item.save()
    assert found(viewer_client, "envois", "fr") == set()
    assert found(viewer_client, "zanzibar", "fr") == {item.pk}


def test_the_items_found_by_either_language_come_in_the_reports_order(viewer_client, item):
    first, third = (Recommendation.objects.get_by_natural_key(2010, *code) for code in (("1.1", 1), ("2.1", 3)))
    for other in (first, third):
        other.i18n = {"title_fr": "Des corridors de migration"}
        other.save()
    response = viewer_client.get(LIST, {"q": "corridors"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert [obj.pk for obj in response.context["page"].object_list] == [first.pk, item.pk, third.pk]


def test_a_project_is_found_by_its_translated_description(viewer_client):
    project = Project.objects.order_by("pk").first()
    project.i18n = {"description_fr": "Un guide des diasporas et de leurs associations de ressortissants."}
    project.save()
    assert found(viewer_client, "ressortissants", "fr", url=PROJECTS) == {project.pk}
    assert found(viewer_client, "ressortissants", "es", url=PROJECTS) == set()


def test_the_search_page_finds_the_item_in_the_readers_language(viewer_client, item):
    response = viewer_client.get(SEARCH, {"q": "remesas"}, HTTP_ACCEPT_LANGUAGE="es")
    recommendations = response.context["groups"][0]
    assert ([obj.pk for obj in recommendations[1]], recommendations[2]) == ([item.pk], 1)


# PostgreSQL: each language's own analysis (stems, websearch syntax), the documents the triggers write.


@pytest.mark.postgresql
def test_a_french_reader_s_words_are_stemmed_as_french(viewer_client, item):
    assert found(viewer_client, "transfert", "fr") == {item.pk}  # the translation says "transferts"
    # French reduces these to the translation's "cher" ("chers") and "coût"; English does not.
    assert found(viewer_client, "chère", "fr") == {item.pk}
    assert found(viewer_client, "coûter", "fr") == {item.pk}
    assert found(viewer_client, "coûter", "en") == set()
    assert found(viewer_client, '"transferts de fonds"', "fr") == {item.pk}
    assert found(viewer_client, "transferts -argent", "fr") == set()


@pytest.mark.postgresql
def test_a_french_reader_s_words_are_not_stemmed_as_spanish(viewer_client, item):
    # Spanish stems "fondos" and "migrar" as "fond" and "migr", which the French translation's "fonds" and
    # "migrantes" are in French; French and English leave them as they are.
    assert found(viewer_client, "fondos", "fr") == set()
    assert found(viewer_client, "migrar", "fr") == set()
    assert found(viewer_client, "fondos", "es") == set()  # the Spanish translation does not say it either


@pytest.mark.postgresql
def test_a_spanish_reader_s_words_are_stemmed_as_spanish(viewer_client, item):
    assert found(viewer_client, "remesa barata", "es") == {item.pk}
    assert found(viewer_client, "remesa barata", "fr") == set()


def documents(item):
    with connection.cursor() as cursor:
        cursor.execute("SELECT document::text, document_fr::text, document_es::text "
                       "FROM recommendations_recommendationsearch WHERE item_id = %s", [item.pk])
        return cursor.fetchone()


@pytest.mark.postgresql
def test_each_language_has_its_own_document_analysed_as_that_language(item):
    english, french, spanish = documents(item)
    assert "'zanzibar':2" in english.split() and "'transfert':2" in french.split()
    assert "'remes':1" in spanish.split() and "'social':7" in spanish.split()
    item.i18n = {"title_fr": item.i18n["title_fr"]}  # no Spanish any longer, and a French title only
    item.save()
    assert documents(item) == (english, "'cher':6 'fond':4 'moin':5 'transfert':2", None)
