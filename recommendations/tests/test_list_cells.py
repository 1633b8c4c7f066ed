"""The export's list cells (themes, responsible actors): each item's links as they are at the
download, '; '-joined in name order, whatever changed them (links added, removed, moved, set,
cleared; a theme or actor renamed or deleted; an import; the admin form). On PostgreSQL the
database writes the CSV (COPY), elsewhere Python: both are checked against the links as the
ORM reads them."""

import csv
import io

import pytest
import tablib
from django.urls import reverse

from partnerships.models import Project
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Actor, Recommendation, Theme

from .test_admin import admin_form_data

pytestmark = pytest.mark.django_db

EXPORTS = {Recommendation: "recommendations:export", Project: "partnerships:export"}


def expected(item):
    return ("; ".join(item.themes.order_by("name").values_list("slug", flat=True)),
            "; ".join(item.responsible_actors.order_by("name").values_list("name", flat=True)))


def downloaded(client, model):
    response = client.get(reverse(EXPORTS[model], args=["csv"]))
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def cells(client, item):
    """The item's themes and responsible actors cells in a download of every row."""
    if isinstance(item, Project):
        [row] = [r for r in downloaded(client, Project) if r["title"] == item.title]
    else:
        year, code, number = item.natural_key()
        [row] = [r for r in downloaded(client, Recommendation)
                 if (r["meeting"], r["session"], r["number"]) == (str(year), code, str(number))]
    return row["themes"], row["responsible_actors"]


def test_links_added_removed_moved_set_and_cleared(viewer_client):
    rec, other = Recommendation.objects.order_by("pk")[:2]
    project = Project.objects.order_by("pk").first()
    themes = list(Theme.objects.order_by("-name"))
    rec.themes.set(themes[:3])
    project.themes.add(themes[0])
    rec.responsible_actors.add(*Actor.objects.order_by("-name")[:2])
    assert cells(viewer_client, rec) == expected(rec) and all(expected(rec))
    assert cells(viewer_client, project)[0] == expected(project)[0] != ""
    rec.themes.remove(themes[1])
    assert cells(viewer_client, rec)[0] == f"{themes[2].slug}; {themes[0].slug}"  # in name order
    through = Recommendation.themes.through
    through.objects.filter(recommendation=rec, theme=themes[2]).exclude(
        theme__in=other.themes.all()).update(recommendation=other)  # a link moved to another item
    assert (cells(viewer_client, rec), cells(viewer_client, other)) == (expected(rec), expected(other))
    rec.themes.set(themes[4:6])
    project.responsible_actors.set(Actor.objects.order_by("name")[:3])
    assert (cells(viewer_client, rec), cells(viewer_client, project)) == (expected(rec), expected(project))
    rec.themes.clear()
    project.responsible_actors.clear()
    assert cells(viewer_client, rec)[0] == "" and cells(viewer_client, project)[1] == ""


def test_a_renamed_or_deleted_theme_or_actor_shows_at_once(viewer_client):
    rec = Recommendation.objects.get_by_natural_key(2010, "3.2", 1)
    first, last = Theme.objects.order_by("name")[0], Theme.objects.order_by("-name")[0]
    rec.themes.set([first, last])
    actor, kept = (Actor.objects.create(name=name, kind=Actor.Kind.OTHER) for name in ("Nnn actor", "Mmm actor"))
    rec.responsible_actors.add(actor, kept)
    first.name = "Zz last now"  # reorders the cell
    first.save()
    last.slug = "renamed-slug"  # changes what the cell shows
    last.save()
    actor.name = "Aaa renamed government"
    actor.save()
    themes, actors = cells(viewer_client, rec)
    assert themes == f"renamed-slug; {first.slug}"
    assert actors == "Aaa renamed government; Mmm actor" and (themes, actors) == expected(rec)
    last.delete()
    actor.delete()
    assert cells(viewer_client, rec) == (first.slug, "Mmm actor") == expected(rec)


def test_an_import_and_the_admin_form_show_in_the_next_download(editor, editor_client):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    exported = RecommendationResource().export(queryset=Recommendation.objects.filter(pk=rec.pk))
    row = list(exported[0])
    slugs = list(Theme.objects.order_by("-name").values_list("slug", flat=True)[:2])
    row[exported.headers.index("themes")] = "; ".join(slugs)
    result = RecommendationResource().import_data(tablib.Dataset(row, headers=exported.headers), user=editor)
    assert not result.has_errors() and not result.has_validation_errors()
    assert cells(editor_client, rec)[0] == "; ".join(reversed(slugs))  # in name order, not as imported

    url = reverse("admin:recommendations_recommendation_change", args=[rec.pk])
    data = admin_form_data(editor_client.get(url))
    data["themes"] = list(Theme.objects.order_by("name").values_list("pk", flat=True)[:3])
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert cells(editor_client, rec)[0] == "; ".join(Theme.objects.order_by("name").values_list("slug", flat=True)[:3])


def test_the_csv_exports_match_the_python_rows(viewer_client):
    from partnerships.views import project_table
    from recommendations.views.lists import recommendation_table

    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 1)
    rec.themes.set(Theme.objects.order_by("-name")[:2])
    rec.responsible_actors.add(Actor.objects.create(name="=Formula Lookalike", kind=Actor.Kind.OTHER))
    Theme.objects.filter(pk=rec.themes.order_by("name")[0].pk).update(name="Aa first")
    Project.objects.order_by("pk").first().responsible_actors.add(Actor.objects.get(name="=Formula Lookalike"))
    for url, table, model in (("recommendations:export", recommendation_table, Recommendation),
                              ("partnerships:export", project_table, Project)):
        response = viewer_client.get(reverse(url, args=["csv"]))
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert rows == list(table(model.objects.all()).rows())
        assert any(cell.startswith("'=Formula Lookalike") for row in rows for cell in row)
