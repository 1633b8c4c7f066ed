"""Full-text search follows every change of the searched text, and only of the text.

On PostgreSQL the documents live in tables of their own, written by triggers
(the migrations 0002_postgresql, recommendations.db); SQLite searches the columns word by word and leaves those tables
empty. The same searches must find the same items on both."""

import pytest
from django.db import connection
from django.urls import reverse

from partnerships.models import Project, ProjectSearch
from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, RecommendationSearch, Session

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")
PROJECTS = reverse("partnerships:list")


def found(client, url, words):
    return {item.pk for item in client.get(url, {"q": words}).context["page"].paginator.object_list}


def document_version(item):
    """The search document's row version (PostgreSQL's xmin): it changes when the row is written."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM recommendations_recommendationsearch WHERE item_id = %s", [item.pk])
        return cursor.fetchone()[0]


def test_changed_text_is_found_by_its_new_words_and_no_longer_by_the_old(viewer_client):
    item = Recommendation.objects.get_by_natural_key(2010, "3.2", 1)  # the "Virtual Library" one
    assert found(viewer_client, LIST, "Virtual Library") == {item.pk}
    item.text = "Establish a clearinghouse of circular migration schemes."
    item.title = "Clearinghouse"
    item.save()
    assert found(viewer_client, LIST, "clearinghouse") == {item.pk}
    assert item.pk not in found(viewer_client, LIST, "Virtual Library")


def test_a_new_item_is_found_at_once(viewer_client):
    session = Session.objects.get(meeting__year=2010, code="1.1")
    item = Recommendation.objects.create(session=session, number=99, title="Quinoa", text="Zanzibar ferries.")
    assert found(viewer_client, LIST, "zanzibar") == {item.pk}


@pytest.mark.postgresql
def test_a_new_item_gets_its_document_and_it_goes_with_the_item():
    session = Session.objects.get(meeting__year=2010, code="1.1")
    item = Recommendation.objects.create(session=session, number=99, title="Quinoa", text="Zanzibar ferries.")
    assert RecommendationSearch.objects.filter(item=item).count() == 1
    item.delete()
    assert not RecommendationSearch.objects.filter(item_id=item.pk).exists()


@pytest.mark.postgresql
def test_follow_up_changes_leave_the_document_alone(editor):
    """Only a change of the searched text rewrites the document: status, progress, notes and
    imports of follow-up fields do not (that is what keeps imports fast)."""
    item = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    before = document_version(item)
    item.record_update(by=editor, progress=40, note="Workshop held")
    exported = RecommendationResource().export(queryset=Recommendation.objects.filter(pk=item.pk))
    row = list(exported[0])
    row[exported.headers.index("due_date")] = "2011-06-30"
    dataset = type(exported)(row, headers=exported.headers)
    result = RecommendationResource().import_data(dataset, user=editor)
    assert result.totals["update"] == 1
    item.refresh_from_db()
    assert (item.progress, str(item.due_date)) == (40, "2011-06-30")
    assert document_version(item) == before
    item.title = item.title + " (revised)"
    item.save()
    assert document_version(item) != before


def test_projects_are_searched_by_title_description_and_origin(viewer_client):
    project = Project.objects.order_by("pk").first()
    assert project.pk in found(viewer_client, PROJECTS, project.title)
    project.origin = "Proposed by the Quokka Working Group"
    project.save()
    assert found(viewer_client, PROJECTS, "quokka") == {project.pk}


@pytest.mark.postgresql
def test_every_project_has_its_search_document():
    assert ProjectSearch.objects.count() == Project.objects.count() == 3
