"""What the seed asserts beyond the report's verbatim text (a status other than not started, a project's stage,
a project's link to a recommendation, a partner's role) rests on a sentence of the report, quoted with its
line in the item's first timeline entry (README, "The data"). The expectations are read off the report
(fixtures/gfmd2010/report.txt, a copy of shared/source/gfmd-2010-report.txt), not off the fixtures."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from partnerships.models import Project, ProjectPartner, Stage
from recommendations.models import Actor, FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db

FOLDER = Path(settings.BASE_DIR) / "fixtures" / "gfmd2010"
REPORT = (FOLDER / "report.txt").read_text(encoding="utf-8").splitlines()

HANDBOOK = "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries"
CHILDREN = "Protecting Unaccompanied Migrant Children"
PROFILES = "Developing Migration Profiles"


def line(number):
    """The report's line, as the fixtures hold its words: emphasis markers (*…*) removed."""
    return REPORT[number - 1].replace("*", "")


def cites(note, quote, number):
    return f'"{quote}" (report, line {number}).' in note


# The rule: in progress where a sentence says, in the past or present tense, that the work the item itself
# asks for has begun within the GFMD process (or is the work the item asks to continue).
IN_PROGRESS = {
    (Recommendation, "1.1", 8): (803, "Some best practices on the development of Migration Profiles were shared: "),
    (Recommendation, "3.1", 3): (799, 'More than 70 "first generation" migration profiles have been completed to '
                                      "date by various agencies, with many more in process."),
    (Recommendation, "3.3", 3): (805, "It was also reported that the South American Conference on Migration (CSM) "
                                      "is helping to support and harmonize migration profiles."),
    (FollowUpItem, "FOF", 1): (823, "Delegates welcomed the launch of the assessment process of the GFMD under the "
                                    "Mexican Chair"),
}


# Under way from an event the report dates after the meeting: not started as of the report, then in progress
# in an entry of its own (test_seed_dates: the Dubai workshop of January 2011, line 461).
LATER = {(Recommendation, "2.1", 1)}

# The one item the report shows done: its whole text is the sentence (line 831).
IMPLEMENTED = {(FollowUpItem, "FOF", 2): (831, "Draft Terms of Reference for the Assessment Team were distributed "
                                               "and endorsed.")}


def first_entry(item):
    return item.updates.order_by("created_at", "pk").first()


@pytest.mark.parametrize(("model", "code", "number"), IN_PROGRESS)
def test_an_item_the_report_shows_under_way_is_in_progress_and_quotes_the_sentence(model, code, number):
    item = model.objects.get_by_natural_key(2010, code, number)
    at, words = IN_PROGRESS[model, code, number]
    assert words in line(at)
    assert item.status == Status.IN_PROGRESS
    note = first_entry(item).note
    assert "Status as of the report, in progress: " in note and f"(report, line {at})." in note
    quoted = note[note.index("in progress: ") + len('in progress: "'):note.index(f'" (report, line {at}).')]
    assert words in quoted and quoted in line(at)  # the whole sentence, word for word, on that line


def test_every_other_item_is_not_started_and_claims_nothing():
    seeded = [*Recommendation.objects.all(), *FollowUpItem.objects.all()]
    assert len(seeded) > 45
    for item in seeded:
        if (type(item), item.session.code, item.number) in {**IN_PROGRESS, **IMPLEMENTED}:
            continue
        first = first_entry(item)
        assert first.status_after == Status.NOT_STARTED, item
        assert "Status as of the report" not in first.note, item
        if (type(item), item.session.code, item.number) not in LATER:
            assert item.status == Status.NOT_STARTED, item


@pytest.mark.parametrize("fixture", ["recommendations.json", "follow_up_items.json", "projects.json"])
def test_every_status_in_the_fixtures_other_than_not_started_cites_its_line_of_the_report(fixture):
    for row in json.loads((FOLDER / fixture).read_text(encoding="utf-8")):
        if row["status"] == Status.NOT_STARTED:
            assert not row["status_source"], row
        else:
            assert row["status_source"] and row["status_source"] in line(row["status_line"]), row


def test_activity_the_report_only_announces_or_cites_as_an_example_leaves_the_item_not_started():
    # 2.1/3: "The UAE are looking to test low cost loans schemes ..." (an intention, line 461);
    # 2.1/5: "The UAE hopes to benefit from the study ..." (a hope, line 491);
    # 2.1/8: "By the end of 2010, the Commission will complete a major study on circular migration ..." (line 497,
    # on circular migration, not on its costs).
    assert "are looking to test low cost loans" in line(461) and "hopes to benefit from the study" in line(491)
    assert "will complete a major study on circular migration" in line(497)
    for number in (3, 5, 8):
        assert Recommendation.objects.get_by_natural_key(2010, "2.1", number).status == Status.NOT_STARTED


# --- PfP projects: status, stage, links and roles

PROJECTS = {
    HANDBOOK: dict(
        status=(Status.IN_PROGRESS, 785, "and is being implemented by the International Organization for Migration"),
        stage=(Stage.IMPLEMENTATION, 785, "and is being implemented by the International Organization for Migration"),
        links={},
    ),
    CHILDREN: dict(
        status=(Status.IN_PROGRESS, 791, "has trained over 300 federal INM and other departments' agents"),
        stage=(Stage.INITIATION, 793, "Through the PfP, Mexico would like to offer similar trainings to other states"),
        links={"1.2/9": (791, "It relates to the GFMD 2010 Roundtable themes of human development, irregular "
                              "migration and migration and family")},
    ),
    PROFILES: dict(
        status=(Status.PLANNED, 799, "IOM will assist in implementing the MP project"),
        stage=(Stage.INITIATION, 799, "IOM will assist in implementing the MP project"),
        links={"3.1/3": (805, "The discussion pointed out the need to standardize the templates to some extent"),
               "3.3/3": (805, "the South American Conference on Migration (CSM) is helping to support and "
                              "harmonize migration profiles")},
    ),
}


def quote_after(note, label, number):
    """The words the note quotes after `label: "`, up to `" (report, line N).`"""
    start = note.index(f'{label}: "') + len(f'{label}: "')
    return note[start:note.index(f'" (report, line {number}).', start)]


@pytest.mark.parametrize("title", PROJECTS)
def test_a_projects_status_and_stage_are_the_ones_the_report_supports_with_the_sentence_quoted(title):
    project = Project.objects.get(title=title)
    expected = PROJECTS[title]
    (status, status_at, status_words), (stage, stage_at, stage_words) = expected["status"], expected["stage"]
    assert (project.status, project.stage) == (status, stage)
    note = first_entry(project).note
    for label, at, words in ((f"Status as of the report, {project.get_status_display().lower()}", status_at,
                              status_words),
                             (f"Stage {project.get_stage_display().lower()}", stage_at, stage_words)):
        quoted = quote_after(note, label, at)
        assert words in quoted and quoted in line(at)


def test_implementation_is_the_stage_of_the_handbook_only():
    assert list(Project.objects.filter(stage=Stage.IMPLEMENTATION).values_list("title", flat=True)) == [HANDBOOK]
    # Project 2's offer is conditional; project 3 is in the future tense.
    assert "Mexico would like to offer similar trainings" in line(793)
    assert "IOM will assist in implementing the MP project" in line(799)
    assert "The PfP will assist the MP project" in line(801)


@pytest.mark.parametrize("title", PROJECTS)
def test_a_project_is_linked_only_to_recommendations_a_quoted_sentence_ties_it_to(title):
    project = Project.objects.get(title=title)
    links = PROJECTS[title]["links"]
    assert sorted(f"{r.session.code}/{r.number}" for r in project.recommendations.all()) == sorted(links)
    note = first_entry(project).note
    for ref, (at, words) in links.items():
        quoted = quote_after(note, f"Serves {ref}", at)
        assert words in quoted and quoted in line(at)


def test_the_handbook_is_not_linked_to_1_1_8():
    # The report ties the Handbook to Roundtable 1.2 of Athens 2009 (line 785), not to 2010's 1.1/8.
    assert "goes back to the discussions of Roundtable 1.2 of the 2009 Athens GFMD" in line(785)
    handbook = Project.objects.get(title=HANDBOOK)
    assert not handbook.recommendations.exists()
    assert not Recommendation.objects.get_by_natural_key(2010, "1.1", 8).projects.exists()


def test_the_european_commission_implements_migration_profiles_alongside_iom():
    sentence = "IOM will assist in implementing the MP project alongside other interested partners, such as the " \
               "European Commission."
    assert sentence in line(799)
    roles = ProjectPartner.objects.filter(project__title=PROFILES)
    assert sorted((p.role, p.actor.name) for p in roles) == [
        ("implementer", "European Commission"), ("implementer", "International Organization for Migration"),
        ("proposer", "GFMD ad hoc Working Group on Policy Coherence, Data and Research"),
    ]
    ec = roles.get(actor__name="European Commission")
    assert ec.note == f'Role: "{sentence}" (report, line 799).'
    assert not ProjectPartner.objects.filter(role=ProjectPartner.Role.INTERESTED_PARTY).exists()


def test_the_eu_delegation_and_the_european_commission_stay_two_actors():
    # The report names the "EU Delegation" only in the annex of government teams (2.1 and 3.1) and the
    # "European Commission" (or "the EC", "the Commission") only in running text; no sentence says they
    # are one body, so the seed does not merge them.
    annex = [n for n, text in enumerate(REPORT, 1) if "EU Delegation" in text]
    assert annex == [1089, 1102]
    assert not any("European Commission" in line(n) or "EC" in line(n).split() for n in annex)
    assert Actor.objects.filter(name__in=["EU Delegation", "European Commission"]).count() == 2


def test_the_terms_of_reference_endorsed_are_implemented_and_quote_their_sentence():
    item = FollowUpItem.objects.get_by_natural_key(2010, "FOF", 2)
    at, words = IMPLEMENTED[FollowUpItem, "FOF", 2]
    assert words in line(at)
    assert item.status == Status.IMPLEMENTED
    assert f'Status as of the report, implemented: "{words}" (report, line {at}).' in first_entry(item).note
