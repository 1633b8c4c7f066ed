"""Editors' translations in the open data (#22): a column per translated field and language in the CSV files (and
a key per column in the JSON), described in datapackage.json; the report's English columns as they were."""

import pytest

from partnerships.models import Project
from recommendations.models import Recommendation, Roundtable, Session, Theme

from .conftest import build_package

pytestmark = pytest.mark.django_db


def row(rows, **key):
    [found] = [r for r in rows if all(r[name] == value for name, value in key.items())]
    return found


def test_the_files_have_each_translation_in_its_column():
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    Recommendation.objects.filter(pk=rec.pk).update(i18n={"title_fr": "Envois de fonds", "text_es": "=Reducir."})
    Project.objects.filter(title="Developing Migration Profiles").update(i18n={"description_es": "Perfiles."})
    Session.objects.filter(code="2.1").update(i18n={"title_fr": "Séance 2.1"})
    Roundtable.objects.filter(number=2).update(i18n={"title_es": "Mesa redonda 2"})
    Theme.objects.filter(slug="gender").update(i18n={"name_fr": "Genre"})

    package = build_package()

    recommendation = row(package.csv("recommendations"), session="2.1", number="3")
    assert [recommendation[name] for name in ("title", "text", "title_fr", "title_es", "text_fr", "text_es")] == [
        rec.title, rec.text, "Envois de fonds", "", "", "'=Reducir."]
    in_json = row(package.json("recommendations"), session="2.1", number=3)
    assert (in_json["title_fr"], in_json["title_es"], in_json["text_es"]) == ("Envois de fonds", None, "=Reducir.")
    project = row(package.csv("projects"), title="Developing Migration Profiles")
    assert (project["title_fr"], project["description_es"]) == ("", "Perfiles.")
    assert row(package.csv("sessions"), code="2.1")["title_fr"] == "Séance 2.1"
    assert row(package.csv("roundtables"), number="2")["title_es"] == "Mesa redonda 2"
    assert row(package.csv("themes"), slug="gender")["name_fr"] == "Genre"


def test_the_translation_columns_are_described():
    package = build_package()
    fields = {f["name"]: f for f in package.resources["recommendations"]["schema"]["fields"]}
    assert fields["text_es"] == {"name": "text_es", "type": "string", "description": (
        "An editor's Spanish translation of text; empty if there is none. text is the report's English, the "
        "official text.")}
    columns = {name: [f["name"] for f in package.resources[name]["schema"]["fields"]]
               for name in ("recommendations", "follow-up-items", "projects", "sessions", "roundtables", "themes")}
    assert columns["recommendations"][3:9] == ["title", "text", "title_fr", "title_es", "text_fr", "text_es"]
    assert columns["follow-up-items"][3:9] == ["title", "text", "title_fr", "title_es", "text_fr", "text_es"]
    assert columns["projects"][:6] == ["title", "description", "title_fr", "title_es", "description_fr",
                                       "description_es"]
    assert columns["sessions"][-4:] == ["title_fr", "title_es", "outcomes_intro_fr", "outcomes_intro_es"]
    assert columns["roundtables"][-2:] == ["title_fr", "title_es"]
    assert columns["themes"] == ["slug", "name", "description", "name_fr", "name_es", "description_fr",
                                 "description_es"]
