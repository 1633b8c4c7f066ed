"""The export's list cells (themes, responsible actors) follow every change of links and names.

On PostgreSQL they live in tables of their own written by triggers (recommendations.listcells)
and the CSV reads them; SQLite leaves those tables empty and its export aggregates the links
(the export's whole cells are checked on both databases in test_reports). Every test here
checks each item's stored cells against its links as the ORM reads them: PostgreSQL only."""

import csv
import io
import threading
import time

import pytest
import tablib
from django.db import connection, connections, transaction
from django.urls import reverse

from partnerships.models import Project, ProjectListCells
from recommendations import listcells
from recommendations.exports import Many
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Actor, Recommendation, RecommendationListCells, Theme

from .test_admin import admin_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]

CELLS = {Recommendation: RecommendationListCells, Project: ProjectListCells}


def expected(item):
    return ("; ".join(item.themes.order_by("name").values_list("slug", flat=True)),
            "; ".join(item.responsible_actors.order_by("name").values_list("name", flat=True)))


def stored(item):
    row = CELLS[type(item)].objects.filter(item_id=item.pk).values_list("themes", "responsible_actors").first()
    return row or ("", "")


def assert_cells_right(*models):
    """Every item's stored cells are its links, joined in name order (PostgreSQL); none on SQLite
    (for the tests elsewhere that use this on both databases)."""
    for model in models or CELLS:
        if connection.vendor != "postgresql":
            assert not CELLS[model].objects.exists()
            continue
        items = model.objects.prefetch_related("themes", "responsible_actors")
        kept = {pk: (themes, actors) for pk, themes, actors in
                CELLS[model].objects.values_list("item_id", "themes", "responsible_actors")}
        for item in items:
            want = ("; ".join(t.slug for t in sorted(item.themes.all(), key=lambda t: t.name)),
                    "; ".join(a.name for a in sorted(item.responsible_actors.all(), key=lambda a: a.name)))
            assert kept.get(item.pk, ("", "")) == want, item
        assert set(kept) <= set(items.values_list("pk", flat=True))


def cells_version(item):
    """The stored row's version (PostgreSQL's xmin): it changes when the row is written."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {CELLS[type(item)]._meta.db_table} WHERE item_id = %s", [item.pk])
        return cursor.fetchone()[0]


def test_the_seeded_report_has_the_cells_of_every_item():
    assert_cells_right()
    rec = Recommendation.objects.filter(themes__isnull=False, responsible_actors__isnull=False).first()
    assert stored(rec) == expected(rec) and all(stored(rec))


def test_links_added_removed_moved_set_and_cleared():
    rec, other = Recommendation.objects.order_by("pk")[:2]
    project = Project.objects.order_by("pk").first()
    themes = list(Theme.objects.order_by("-name"))
    rec.themes.add(*themes[:3])
    project.themes.add(themes[0])
    rec.responsible_actors.add(*Actor.objects.order_by("-name")[:2])
    assert_cells_right()
    rec.themes.remove(themes[1])
    assert_cells_right()
    through = Recommendation.themes.through
    through.objects.filter(recommendation=rec, theme=themes[2]).exclude(
        theme__in=other.themes.all()).update(recommendation=other)  # a link moved to another item
    assert_cells_right()
    rec.themes.set(themes[4:6])
    project.responsible_actors.set(Actor.objects.order_by("name")[:3])
    assert_cells_right()
    rec.themes.clear()
    project.responsible_actors.clear()
    assert_cells_right()
    assert stored(rec)[0] == "" and stored(project)[1] == ""


def test_a_renamed_theme_or_actor_rewrites_the_cells_and_other_changes_do_not():
    rec = Recommendation.objects.get_by_natural_key(2010, "3.2", 1)
    first, last = Theme.objects.order_by("name")[0], Theme.objects.order_by("-name")[0]
    rec.themes.set([first, last])
    actor = Actor.objects.exclude(pk__in=rec.responsible_actors.all()).order_by("name").first()
    rec.responsible_actors.add(actor)
    Project.objects.order_by("pk").first().themes.add(first)
    first.name = "Zz last now"  # reorders the cell
    first.save()
    last.slug = "renamed-slug"  # changes what the cell shows
    last.save()
    actor.name = "Aaa renamed government"
    actor.save()
    assert_cells_right()
    assert stored(rec)[0].startswith("renamed-slug; ") and stored(rec)[1].startswith("Aaa renamed government")
    before = cells_version(rec)
    Actor.objects.filter(pk=actor.pk).update(short_name="ARG")  # not shown, not ordered by
    Theme.objects.filter(pk=first.pk).update(description="Changed")
    assert cells_version(rec) == before


def test_deleted_themes_actors_and_items_take_their_cells_along():
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 1)
    theme = Theme.objects.order_by("name").first()
    actor = Actor.objects.create(name="Aaa first actor", kind=Actor.Kind.OTHER)
    rec.themes.add(theme)
    rec.responsible_actors.add(actor)
    theme.delete()
    actor.delete()
    assert_cells_right()
    project = Project.objects.order_by("pk").first()
    project.themes.add(Theme.objects.first())
    rec.delete()
    project.delete()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign keys hold now, not at commit
    assert not RecommendationListCells.objects.filter(item_id=rec.pk).exists()
    assert not ProjectListCells.objects.filter(item_id=project.pk).exists()
    assert_cells_right()


def test_an_import_and_the_admin_form_keep_them(editor, editor_client):
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    exported = RecommendationResource().export(queryset=Recommendation.objects.filter(pk=rec.pk))
    row = list(exported[0])
    slugs = list(Theme.objects.order_by("-name").values_list("slug", flat=True)[:2])
    row[exported.headers.index("themes")] = "; ".join(slugs)
    result = RecommendationResource().import_data(tablib.Dataset(row, headers=exported.headers), user=editor)
    assert not result.has_errors() and not result.has_validation_errors()
    assert set(rec.themes.values_list("slug", flat=True)) == set(slugs)
    assert_cells_right(Recommendation)

    url = reverse("admin:recommendations_recommendation_change", args=[rec.pk])
    data = admin_form_data(editor_client.get(url))
    data["themes"] = list(Theme.objects.order_by("name").values_list("pk", flat=True)[:3])
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert rec.themes.count() == 3
    assert_cells_right(Recommendation)


def test_the_csv_exports_read_the_kept_cells_and_match_the_python_rows(viewer_client):
    from partnerships.views import project_table
    from recommendations.views import recommendation_table

    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 1)
    rec.themes.set(Theme.objects.order_by("-name")[:2])
    rec.responsible_actors.add(Actor.objects.create(name="=Formula Lookalike", kind=Actor.Kind.OTHER))
    Theme.objects.filter(pk=rec.themes.order_by("name")[0].pk).update(name="Aa first")
    Project.objects.order_by("pk").first().responsible_actors.add(Actor.objects.get(name="=Formula Lookalike"))
    for url, table, model, lists in (
        ("recommendations:export", recommendation_table, Recommendation, ["themes", "responsible_actors"]),
        ("partnerships:export", project_table, Project, [None, "themes", "responsible_actors"]),  # not outcomes
    ):
        kept = [listcells.kept(model, c.field, c.values, c.order, c.template)
                for c in table(model.objects.all()).columns if isinstance(c, Many)]
        assert [k and k[1] for k in kept] == lists
        response = viewer_client.get(reverse(url, args=["csv"]))
        downloaded = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert downloaded == list(table(model.objects.all()).rows())
        assert any("=Formula Lookalike" in cell for row in downloaded for cell in row)
        sql, _ = table(model.objects.all()).copy_sql()
        assert CELLS[model]._meta.db_table in sql and sql.count("STRING_AGG") == lists.count(None)


def test_two_transactions_linking_one_item_at_once_both_show(request):
    """Each transaction's trigger reads the item's links after taking the item's row lock, so
    the second one to write sees the first one's links (without the lock, the last one to
    commit would write a cell missing the other's theme). Runs on its own connections, which
    commit; it removes what it added at the end."""
    rec = Recommendation.objects.get_by_natural_key(2010, "3.1", 1)
    first, second = Theme.objects.exclude(pk__in=rec.themes.all()).order_by("name")[:2]
    before = set(rec.themes.values_list("pk", flat=True))
    written, started, errors = threading.Event(), threading.Event(), []

    def link(theme, wait_for, then_set, hold):
        try:
            if wait_for:
                wait_for.wait(10)
            with transaction.atomic():
                if not hold:
                    then_set.set()
                Recommendation.themes.through.objects.create(recommendation_id=rec.pk, theme_id=theme.pk)
                if hold:
                    then_set.set()
                    started.wait(10)
                    time.sleep(0.5)  # the other transaction reaches its trigger meanwhile
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    def unlink():
        Recommendation.themes.through.objects.filter(
            recommendation_id=rec.pk, theme_id__in=[first.pk, second.pk]).delete()
        connections.close_all()

    def cleanup():
        thread = threading.Thread(target=unlink)
        thread.start()
        thread.join()

    request.addfinalizer(cleanup)
    threads = [threading.Thread(target=link, args=(first, None, written, True)),
               threading.Thread(target=link, args=(second, written, started, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors
    assert set(rec.themes.values_list("pk", flat=True)) == before | {first.pk, second.pk}
    assert_cells_right(Recommendation)
