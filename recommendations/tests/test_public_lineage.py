"""Lineage is public (issue #19): the public reads an item's Lineage section as those who sign in do, except
that a link with an unpublished item at its other end is not there, either way; the lists' Lineage filter
counts for the public only the links it sees."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from partnerships.models import Project
from recommendations import services
from recommendations.models import Lineage, Recommendation
from recommendations.tests.test_lineage import HANDBOOK, sentence_of

pytestmark = pytest.mark.django_db


def link(kind, item, target, sentence, line):
    types = ContentType.objects.get_for_model(item), ContentType.objects.get_for_model(target)
    return Lineage.objects.create(kind=kind, item_type=types[0], item_id=item.pk, target_type=types[1],
                                  target_id=target.pk, sentence=sentence, line=line)


@pytest.fixture
def linked(editor):
    """2.1/1 builds on 2.1/2 (published) and reiterates 2.1/3, which an editor unpublishes; 2.1/4 originates
    from 2.1/3 and is the origin of nothing else. Sentences made up for the test (none of the report's)."""
    rec = {n: Recommendation.objects.get_by_natural_key(2010, "2.1", n) for n in (1, 2, 3, 4)}
    link(Lineage.Kind.BUILDS_ON, rec[1], rec[2], "One builds on two.", 1)
    link(Lineage.Kind.REITERATES, rec[1], rec[3], "One reiterates the draft.", 2)
    link(Lineage.Kind.ORIGINATES_FROM, rec[4], rec[3], "Four comes from the draft.", 3)
    services.set_items_public([rec[3]], public=False, by=editor)
    return rec


def test_the_public_reads_a_projects_lineage_as_the_report_states_it():
    page = Client().get(Project.objects.get(title=HANDBOOK).get_absolute_url()).content.decode()
    assert '<h2 id="lineage">Lineage</h2>' in page
    assert sentence_of(785, "The proposal for a handbook") in page  # report, line 785
    assert "(report, line 785)" in page


def test_no_link_to_an_unpublished_item_shows_to_the_public(linked, viewer_client):
    public = Client()
    one = public.get(linked[1].get_absolute_url()).content.decode()
    assert "One builds on two." in one and linked[2].get_absolute_url() in one
    assert "One reiterates the draft." not in one and linked[3].get_absolute_url() not in one
    two = public.get(linked[2].get_absolute_url()).content.decode()
    assert "Built on by" in two and "One builds on two." in two  # the other way, between published items
    four = public.get(linked[4].get_absolute_url()).content.decode()
    assert "Four comes from the draft." not in four and '<h2 id="lineage">' not in four  # nothing left to show
    signed_in = viewer_client.get(linked[1].get_absolute_url()).content.decode()
    assert "One reiterates the draft." in signed_in and linked[3].get_absolute_url() in signed_in


def test_the_public_links_are_those_between_published_items(linked):
    shown = Lineage.objects.public()
    assert set(shown.values_list("sentence", flat=True)) >= {"One builds on two."}
    assert not shown.filter(sentence__in=["One reiterates the draft.", "Four comes from the draft."]).exists()
    assert shown.filter(target_type=None).count() == Lineage.objects.filter(target_type=None).count()  # references


def listed(client, query):
    return {item.pk for item in client.get("/recommendations/?" + query).context["page"]}


@pytest.mark.parametrize(("query", "for_all", "for_the_public"), [
    ("lineage=reiterates", {1}, set()),
    ("lineage=originates_from", {4}, set()),
    ("lineage=any", {1, 2, 3, 4}, {1, 2}),
])
def test_the_lineage_filter_counts_the_links_the_reader_sees(linked, viewer_client, query, for_all, for_the_public):
    ids = {n: rec.pk for n, rec in linked.items()}
    session = "&meeting=2010&session=2.1"
    assert listed(viewer_client, query + session) & set(ids.values()) == {ids[n] for n in for_all}
    assert listed(Client(), query + session) & set(ids.values()) == {ids[n] for n in for_the_public}


def test_a_project_implementing_only_an_unpublished_outcome_is_no_implementation_for_the_public(editor, viewer_client):
    draft = Recommendation.objects.get_by_natural_key(2010, "2.1", 5)
    project = Project.objects.create(title="Serves the draft only", description="A test's project.")
    project.recommendations.add(draft)
    services.set_items_public([draft], public=False, by=editor)

    def implementing(client):
        return {item.pk for item in client.get("/projects/?lineage=implemented").context["page"]}

    assert project.pk in implementing(viewer_client)
    assert project.pk not in implementing(Client())
    assert draft.pk not in listed(Client(), "lineage=implemented")
