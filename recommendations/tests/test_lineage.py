"""Lineage: the links the report itself states (README, "The data"), read off the report's lines in this test,
and the Lineage section of the item pages, both ways."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from partnerships.models import Project
from recommendations.models import FollowUpItem, Lineage, Recommendation

pytestmark = pytest.mark.django_db

REPORT = (Path(settings.BASE_DIR) / "fixtures" / "gfmd2010" / "report.txt").read_text(encoding="utf-8").splitlines()

HANDBOOK = "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries"
CHILDREN = "Protecting Unaccompanied Migrant Children"
PROFILES = "Developing Migration Profiles"


def line(number):
    """The report's line as the seed quotes it: emphasis markers (*…*) removed."""
    return REPORT[number - 1].replace("*", "")


def sentence_of(number, start):
    """The sentence of the report's line `number` that begins with `start`."""
    text = line(number)
    begin = text.index(start)
    return text[begin:text.index(". ", begin) + 1]


# What the report's lines say of the three PfP projects' origins, read off the report: (kind, who or where,
# session, line, where the sentence starts, the words naming the earlier outcome).
PROJECTS = {
    HANDBOOK: [("originates_from", "GFMD 2009, Athens", "Roundtable 1.2", 785, "The proposal for a handbook",
                "the discussions of Roundtable 1.2 of the 2009 Athens GFMD")],
    CHILDREN: [("builds_on", "GFMD 2008", "Roundtable on the protection and empowerment of migrants", 791,
                "It relates to", "the 2008 Roundtable on the protection and empowerment of migrants")],
    PROFILES: [("forms_part_of", "ad hoc Working Group on Policy Coherence, Data and Research", "", 799,
                "The Migration Profiles (MP) project",
                "the thematic agenda of the ad hoc Working Group on Policy Coherence, Data and Research"),
               ("originates_from", "GFMD 2009", "", 799, "The 2009 GFMD meeting",
                "The 2009 GFMD meeting recommended the development of migration profiles")],
}


def links_of(project):
    return sorted(Lineage.objects.filter(item_type=ContentType.objects.get_for_model(Project), item_id=project.pk),
                  key=lambda link: link.kind)


@pytest.mark.parametrize("title", PROJECTS)
def test_the_three_projects_lineage_is_what_the_report_states(title):
    project = Project.objects.get(title=title)
    links = links_of(project)
    assert [(link.kind, link.reference_source, link.reference_part, link.line) for link in links] == [
        expected[:4] for expected in PROJECTS[title]]
    for link, (*_, number, start, words) in zip(links, PROJECTS[title]):
        assert link.sentence == sentence_of(number, start)
        assert link.reference_words.startswith(words) and link.reference_words in link.sentence
        assert link.target_type_id is None  # named references: the report holds no earlier outcome as an item


def test_a_named_reference_says_only_what_its_sentence_says():
    """Who or where, and the session, come from the sentence; the 2008 meeting's city is not in the report's
    sentence, so no city is added (the seed does not say Manila)."""
    for link in Lineage.objects.filter(target_type=None):
        year = re.search(r"\b20\d\d\b", link.reference_source)
        assert year is None or year.group() in link.sentence
        for name in re.findall(r"[A-Z][a-z]+", link.reference_source.replace("GFMD", "")):
            assert name in link.sentence, (name, link.sentence)
        assert link.reference_part in link.sentence
    assert not Lineage.objects.filter(reference_source__icontains="Manila").exists()


def test_every_link_quotes_a_sentence_found_verbatim_on_its_line():
    assert Lineage.objects.count() == 4
    for link in Lineage.objects.all():
        assert link.sentence and link.sentence in line(link.line), link


def test_no_sentence_about_a_whole_session_makes_links_for_its_items():
    """Line 620 puts session 3.1's discussion in line with Athens 2009's recommendations: a sentence about the
    session, not about any of its items. 2.1/5's "e.g. based on the study" names material, not an origin."""
    assert "In line with the follow-up recommendations of the 2009 Athens GFMD meeting" in line(620)
    for model in (Recommendation, FollowUpItem):
        assert not Lineage.objects.filter(item_type=ContentType.objects.get_for_model(model)).exists()


def lineage_section(body):
    """The Lineage section's lines as a reader sees them (tags removed, spaces collapsed)."""
    found = re.search(r'<ul class="lineage">(.*?)</ul>', body, re.S)
    if found is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", "", item).split())) for item in items]


def test_a_project_page_shows_where_the_project_comes_from_and_what_it_implements(viewer_client):
    handbook, profiles = Project.objects.get(title=HANDBOOK), Project.objects.get(title=PROFILES)
    assert lineage_section(viewer_client.get(handbook.get_absolute_url()).content.decode()) == [
        'Originates from: GFMD 2009, Athens — Roundtable 1.2: "the discussions of Roundtable 1.2 of the 2009 Athens '
        'GFMD, where it was concluded that a reference guide for diaspora engagement was lacking" (report, line 785)']
    assert lineage_section(viewer_client.get(profiles.get_absolute_url()).content.decode()) == [
        'Originates from: GFMD 2009: "The 2009 GFMD meeting recommended the development of migration profiles" '
        "(report, line 799)",
        'Forms part of: ad hoc Working Group on Policy Coherence, Data and Research: "the thematic agenda of the ad '
        'hoc Working Group on Policy Coherence, Data and Research" (report, line 799)',
        "Implements: GFMD 2010 3.1/3 Produce and update Migration Profiles",
        "Implements: GFMD 2010 3.3/3 Regional data collection and cross-fertilization",
    ]


def test_a_recommendation_page_shows_the_projects_that_implement_it(viewer_client):
    body = viewer_client.get("/recommendations/2010/3.1/3/").content.decode()
    assert lineage_section(body) == ["Is implemented by: Developing Migration Profiles"]
    assert 'href="/projects/' in body.split('<ul class="lineage">')[1]


def test_an_item_without_lineage_has_no_lineage_section(viewer_client):
    body = viewer_client.get("/recommendations/2010/2.1/3/").content.decode()
    assert 'id="lineage"' not in body


def link(item, target, kind=Lineage.Kind.BUILDS_ON, sentence="A sentence.", line=1):
    return Lineage.objects.create(kind=kind, item=item, target=target, sentence=sentence, line=line)


def test_a_link_between_two_items_shows_on_both_pages(viewer_client):
    """A follow-up item that builds on a recommendation: "Builds on" on the one, "Built on by" on the other."""
    review = FollowUpItem.objects.get_by_natural_key(2010, "FOF", 5)
    profiles = Recommendation.objects.get_by_natural_key(2010, "3.1", 3)
    link(review, profiles, sentence=sentence_of(825, "It has become imperative"), line=825)

    assert lineage_section(viewer_client.get(review.get_absolute_url()).content.decode()) == [
        'Builds on: GFMD 2010 3.1/3 Produce and update Migration Profiles: "It has become imperative to review the '
        'funding mechanisms." (report, line 825)']
    assert lineage_section(viewer_client.get(profiles.get_absolute_url()).content.decode()) == [
        'Built on by: GFMD 2010 FOF/5 Review the Forum\'s funding mechanisms: "It has become imperative to review '
        'the funding mechanisms." (report, line 825)',
        "Is implemented by: Developing Migration Profiles"]


def queries_for(client, url):
    from recommendations import versioning

    versioning.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["project", "recommendation"])
def test_the_lineage_section_reads_the_same_number_of_queries_however_many_links(viewer_client, page,
                                                                               django_assert_max_num_queries):
    """One query for the links both ways (read on every page), and one per kind of item at their other ends:
    at most three more than an item page without lineage (bounded at 22 in test_query_counts)."""
    item = (Project.objects.get(title=PROFILES) if page == "project"
            else Recommendation.objects.get_by_natural_key(2010, "3.1", 3))
    handbook, children = Project.objects.get(title=HANDBOOK), Project.objects.get(title=CHILDREN)
    Lineage.objects.all().delete()
    viewer_client.get(item.get_absolute_url())  # the content types are read once per process
    without = queries_for(viewer_client, item.get_absolute_url())
    link(item, Recommendation.objects.get_by_natural_key(2010, "1.1", 1))
    link(item, children)
    link(FollowUpItem.objects.get_by_natural_key(2010, "FOF", 1), item)
    every_kind = queries_for(viewer_client, item.get_absolute_url())

    for other in Recommendation.objects.filter(session__code="2.2")[:4]:
        link(item, other, kind=Lineage.Kind.REITERATES)
    for follow_up in FollowUpItem.objects.filter(session__code="CSD")[:5]:
        link(follow_up, item, kind=Lineage.Kind.ORIGINATES_FROM)
    link(handbook, item)
    link(item, handbook)

    assert every_kind == without + 3
    assert queries_for(viewer_client, item.get_absolute_url()) == every_kind
    assert len(lineage_section(viewer_client.get(item.get_absolute_url()).content.decode())) >= 15
    with django_assert_max_num_queries(22 + 3):
        queries_for(viewer_client, item.get_absolute_url())


# --- the rules a link keeps, in the model and in the database -------------------------------------------------


def test_a_link_to_both_a_tracked_item_and_a_named_reference_is_refused():
    handbook = Project.objects.get(title=HANDBOOK)
    both = Lineage(kind=Lineage.Kind.BUILDS_ON, item=handbook, target=Recommendation.objects.first(),
                   reference_source="GFMD 2009", reference_words="words", sentence="A sentence.", line=1)
    with pytest.raises(ValidationError, match="not both"):
        both.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        both.save()


def test_a_link_with_no_target_is_refused():
    neither = Lineage(kind=Lineage.Kind.BUILDS_ON, item=Project.objects.get(title=HANDBOOK), sentence="A sentence.",
                      line=1)
    with pytest.raises(ValidationError, match="needs a target"):
        neither.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        neither.save()


def test_an_item_cannot_be_its_own_lineage_nor_have_one_link_twice():
    handbook = Project.objects.get(title=HANDBOOK)
    itself = Lineage(kind=Lineage.Kind.BUILDS_ON, item=handbook, target=handbook, sentence="A sentence.", line=1)
    with pytest.raises(ValidationError, match="itself"):
        itself.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        itself.save()
    seeded = Lineage.objects.get(item_id=handbook.pk, kind=Lineage.Kind.ORIGINATES_FROM)
    again = Lineage(kind=seeded.kind, item=handbook, reference_source="GFMD 2009", sentence="Another.", line=2,
                    reference_words=seeded.reference_words)
    with pytest.raises(ValidationError, match="has this link already"):
        again.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        again.save()


def test_deleting_an_item_deletes_its_links_both_ways(editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "3.1", 3)
    link(rec, FollowUpItem.objects.get_by_natural_key(2010, "FOF", 1))
    link(Project.objects.get(title=PROFILES), rec)
    assert Lineage.objects.count() == 6
    rec.delete()
    assert Lineage.objects.count() == 4


# --- the seed: idempotent, and never over an editor's correction ------------------------------------------------


def seed_again():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed_gfmd", stdout=out)
    return out.getvalue()


def test_a_second_seed_creates_no_link_and_keeps_an_editors_correction():
    from recommendations.models import SeedRecord

    corrected = Lineage.objects.get(kind=Lineage.Kind.BUILDS_ON)
    corrected.reference_source = "GFMD 2008 (corrected by an editor)"
    corrected.save()
    Lineage.objects.get(kind=Lineage.Kind.FORMS_PART_OF).delete()

    assert seed_again() == "GFMD 2010 (Puerto Vallarta): created nothing (already seeded).\n"
    assert Lineage.objects.count() == 3  # the deleted link is not brought back
    assert Lineage.objects.get(kind=Lineage.Kind.BUILDS_ON).reference_source == "GFMD 2008 (corrected by an editor)"
    assert SeedRecord.objects.filter(key__startswith="lineage ").count() == 4


def test_a_database_seeded_before_lineage_gets_the_links_once():
    from recommendations.models import SeedRecord

    SeedRecord.objects.filter(key__startswith="lineage ").delete()
    kept = Lineage.objects.get(kind=Lineage.Kind.BUILDS_ON)  # as if made by hand before: found by its natural key
    Lineage.objects.exclude(pk=kept.pk).delete()

    assert seed_again() == "GFMD 2010 (Puerto Vallarta): created 3 lineage links.\n"
    assert seed_again() == "GFMD 2010 (Puerto Vallarta): created nothing (already seeded).\n"
    assert Lineage.objects.count() == 4 and Lineage.objects.filter(pk=kept.pk).exists()
