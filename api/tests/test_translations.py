"""Editors' translations in the API (#22): each record's `translations` by language, the report's English fields
as they were; the same in every reader's language (an API's values are not translated by Accept-Language)."""

import pytest

from api.tests.conftest import ITEM_URL, get, item, token_for
from partnerships.models import Project
from recommendations.models import Recommendation, Session, Theme

pytestmark = pytest.mark.django_db


def test_an_item_carries_its_translations_and_its_english(client):
    rec = item()
    Recommendation.objects.filter(pk=rec.pk).update(i18n={"title_fr": "Envois de fonds", "text_es": "Reducir."})

    body = get(client, ITEM_URL, **{"Accept-Language": "fr"}).json()

    assert body["translations"] == {"fr": {"title": "Envois de fonds"}, "es": {"text": "Reducir."}}
    assert (body["title"], body["text"]) == (rec.title, rec.text)


def test_an_untranslated_item_has_an_empty_object_per_language(client, viewer):
    body = get(client, ITEM_URL, token_for(viewer)).json()
    assert body["translations"] == {"fr": {}, "es": {}}


def test_the_list_carries_each_rows_translations(client):
    Recommendation.objects.filter(pk=item().pk).update(i18n={"title_es": "Remesas"})
    rows = get(client, "/api/v1/recommendations/?session=2.1&page_size=100").json()["results"]
    assert {row["key"]: row["translations"] for row in rows if row["translations"] != {"fr": {}, "es": {}}} == {
        "2010/2.1/3": {"fr": {}, "es": {"title": "Remesas"}}}


def test_a_project_session_and_theme_carry_theirs(client):
    project = Project.objects.get(title="Developing Migration Profiles")
    Project.objects.filter(pk=project.pk).update(i18n={"description_fr": "Profils migratoires."})
    Session.objects.filter(meeting__year=2010, code="2.1").update(i18n={"title_es": "Sesión 2.1"})
    Theme.objects.filter(slug="gender").update(i18n={"name_fr": "Genre", "description_es": "Igualdad."})

    assert get(client, f"/api/v1/projects/{project.pk}/").json()["translations"] == {
        "fr": {"description": "Profils migratoires."}, "es": {}}
    assert get(client, "/api/v1/sessions/2010/2.1/").json()["translations"] == {"fr": {}, "es": {"title": "Sesión 2.1"}}
    assert get(client, "/api/v1/themes/gender/").json()["translations"] == {
        "fr": {"name": "Genre"}, "es": {"description": "Igualdad."}}


def test_the_schema_describes_the_translations_field_by_field(tmp_path):
    import io

    import yaml
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=io.StringIO())
    components = yaml.safe_load(out.read_text())["components"]["schemas"]
    assert components["Recommendation"]["properties"]["translations"]["allOf"] == [
        {"$ref": "#/components/schemas/ItemTranslations"}]
    assert set(components["ItemTranslations"]["properties"]) == {"fr", "es"}
    assert set(components["ItemTranslation"]["properties"]) == {"title", "text"}
    assert set(components["ProjectTranslation"]["properties"]) == {"title", "description"}
    assert set(components["SessionTranslation"]["properties"]) == {"title", "outcomes_intro"}
    assert set(components["ThemeTranslation"]["properties"]) == {"name", "description"}
