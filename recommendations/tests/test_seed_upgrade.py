"""A database seeded by the version before the practices in running text, the partners of the enumerated
practices, the Common Space and the whole contributions annex: the next `seed_gfmd` brings what it lacks,
and takes back no correction an editor made (README "The data")."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Q

from recommendations.models import Actor, GoodPractice, MeetingContribution, Recommendation, SeedRecord, Session

from .test_seed import counts

pytestmark = pytest.mark.django_db

# What the earlier version did not seed: actors, the partners the enumerated practices name (report lines
# 345-402), the contributions beyond lines 120, 1052, 1056 and 1072, the Common Space and its practices, and
# the practices of 2.1, 3.3 and 2.2's running text.
NEW_ACTORS = ["Cameroon", "Georgia", "Guatemala", "Honduras", "Mauritania", "Pakistan", "Paraguay", "Peru", "Singapore",
              "Uzbekistan", "European Union", "Mercosur", "Ibero-American Conference of Heads of State and Presidents",
              "Save the Children", "HSBC", "Microsoft"]
NEW_PARTNERS = {345: ["Republic of Moldova", "Georgia"], 346: ["Argentina", "Paraguay", "Chile", "Mercosur"],
                347: ["Nigeria", "Ghana"], 348: ["Office of the United Nations High Commissioner for Refugees"],
                349: ["France", "Spain"], 401: ["Peru"], 402: ["Ukraine"]}
OLD_CONTRIBUTIONS = Q(source_line__in=[120, 1052, 1056]) | Q(source_line=1072, actor__short_name__in=["ILO", "UNOG"])


def links():
    return {(p.text, a.name) for p in GoodPractice.objects.prefetch_related("actors") for a in p.actors.all()}


def as_seeded_by_the_earlier_version():
    """Take away what the earlier version did not make, and the seed's memory of it."""
    practices = GoodPractice.objects.filter(Q(session__code__in=["2.1", "3.3", "CS"])
                                            | Q(session__code="2.2") & ~Q(source_line=586))
    contributions = MeetingContribution.objects.exclude(OLD_CONTRIBUTIONS)
    actors = Actor.objects.filter(name__in=NEW_ACTORS)
    common_space = Session.objects.filter(code="CS")
    SeedRecord.objects.filter(Q(goodpractice__in=practices) | Q(meetingcontribution__in=contributions)
                              | Q(actor__in=actors) | Q(session__in=common_space)
                              | Q(key__startswith="goodpractice-actor ")).delete()
    practices.delete()
    contributions.delete()
    common_space.delete()
    for line, names in NEW_PARTNERS.items():
        GoodPractice.objects.get(source_line=line).actors.remove(*Actor.objects.filter(name__in=names))
    actors.delete()
    GoodPractice.objects.update(source_line=None)  # the earlier version kept no line
    assert GoodPractice.objects.count() == 23 and MeetingContribution.objects.count() == 5


def seed_again():
    out = io.StringIO()
    call_command("seed_gfmd", stdout=out)
    return out.getvalue()


def test_the_next_run_brings_what_the_earlier_version_did_not_seed_and_the_report_order_stays():
    before, linked = counts(), links()
    ordinals = list(Recommendation.objects.values_list("pk", "ordinal"))
    as_seeded_by_the_earlier_version()
    assert seed_again() == (
        "GFMD 2010 (Puerto Vallarta): created 16 actors, 13 good practice links, 50 good practices, "
        "20 meeting contributions, 1 sessions.\n")
    assert counts() == before
    assert links() == linked
    assert list(Recommendation.objects.values_list("pk", "ordinal")) == ordinals
    assert seed_again() == "GFMD 2010 (Puerto Vallarta): created nothing (already seeded).\n"


def test_a_link_an_editor_removed_before_the_upgrade_stays_removed():
    as_seeded_by_the_earlier_version()
    germany = GoodPractice.objects.get(text__startswith="Germany has partnerships with Moldova and Georgia")
    germany.actors.remove(Actor.objects.get(name="Germany"))  # an editor's correction, under the earlier version
    seed_again()
    assert sorted(a.name for a in germany.actors.all()) == ["Georgia", "Republic of Moldova"]


def test_a_new_link_an_editor_removed_is_not_made_again():
    mali = GoodPractice.objects.get(text__startswith="Mali has an agreement with France")
    mali.actors.remove(Actor.objects.get(name="Spain"))
    assert seed_again() == "GFMD 2010 (Puerto Vallarta): created nothing (already seeded).\n"
    assert sorted(a.name for a in mali.actors.all()) == ["France", "Mali"]


def test_a_practice_an_editor_deleted_gets_no_links_and_is_not_brought_back():
    GoodPractice.objects.filter(text__startswith="Germany has partnerships with Moldova and Georgia").delete()
    SeedRecord.objects.filter(key__startswith="goodpractice-actor ").delete()
    seed_again()
    assert not GoodPractice.objects.filter(text__startswith="Germany has partnerships").exists()
    assert not Actor.objects.get(name="Georgia").good_practices.exists()
