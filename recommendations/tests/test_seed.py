"""The seeded data against the report (shared/source/gfmd-2010-report.txt)."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from partnerships.models import Project, ProjectSeedRecord
from recommendations.models import (
    Actor,
    FollowUpItem,
    GoodPractice,
    Meeting,
    Recommendation,
    RecommendationUpdate,
    Roundtable,
    SeedRecord,
    Session,
    SessionParticipant,
    Status,
    Theme,
)

pytestmark = pytest.mark.django_db

ROLE = SessionParticipant.Role


def names(actors):
    return [a.name for a in actors]


def test_it_seeds_the_fourth_meeting_in_puerto_vallarta():
    meeting = Meeting.objects.get(year=2010)
    assert (meeting.edition, meeting.city, meeting.country.code) == ("Fourth", "Puerto Vallarta", "MX")
    assert (meeting.start_date, meeting.end_date) == (datetime.date(2010, 11, 8), datetime.date(2010, 11, 11))
    assert meeting.chair == "Amb. Julián Ventura Valero"
    assert meeting.theme == (
        "Partnerships for migration and human development: shared prosperity - shared responsibility"
    )
    assert [(rt.number, rt.coordinator) for rt in meeting.roundtables.all()] == [
        (1, "Dr. Jorge Durand"), (2, "Dr. Irena Omelaniuk"), (3, "Dr. Rolph K. Jenny"),
    ]


def test_each_roundtable_session_has_the_reports_number_of_recommendations():
    counts = {
        s.code: s.recommendations.count()
        for s in Session.objects.filter(meeting__year=2010, kind=Session.Kind.ROUNDTABLE)
    }
    assert counts == {"1.1": 8, "1.2": 10, "2.1": 8, "2.2": 6, "3.1": 5, "3.2": 3, "3.3": 5}
    assert Recommendation.objects.count() == 45


def test_sessions_belong_to_their_roundtables_and_segments_have_none():
    sessions = {s.code: s for s in Session.objects.select_related("roundtable")}
    assert {code: s.roundtable.number for code, s in sessions.items() if s.roundtable} == {
        "1.1": 1, "1.2": 1, "2.1": 2, "2.2": 2, "3.1": 3, "3.2": 3, "3.3": 3,
    }
    assert {code for code, s in sessions.items() if s.roundtable is None} == {"CSD", "CS", "PFP", "FOF"}


def test_co_chairs_of_every_session_are_those_of_the_annex():
    co_chairs = {s.code: names(s.co_chairs) for s in Session.objects.prefetch_related("participants__actor")}
    assert co_chairs == {
        "CSD": [], "CS": [], "PFP": [], "FOF": [],
        "1.1": ["France", "Brazil"],
        "1.2": ["Ecuador", "Netherlands"],
        "2.1": ["Sweden", "United Arab Emirates", "Sri Lanka"],
        "2.2": ["Mexico"],
        "3.1": ["Argentina", "Kenya", "Switzerland"],
        "3.2": ["Bangladesh", "United Kingdom"],
        "3.3": ["Indonesia", "Morocco", "Spain"],
    }


def test_team_members_and_organizations_are_those_of_the_annex():
    session = Session.objects.get_by_natural_key(2010, "2.2")
    assert sorted(names(session.team_members)) == [
        "Armenia", "Chile", "Ecuador", "Greece", "Israel", "Philippines", "Portugal", "Spain", "Sudan", "Ukraine",
        "United Kingdom",
    ]
    assert sorted(a.short_name for a in session.international_organizations) == [
        "IFAD", "ILO", "IOM", "UNICEF", "UNIFEM", "WHO",
    ]
    rt11 = Session.objects.get_by_natural_key(2010, "1.1")
    assert len(rt11.team_members) == 11
    assert "United States of America" in names(rt11.team_members)
    assert sorted(a.short_name for a in rt11.international_organizations) == ["IOM", "OECD"]


def test_rapporteurs_the_report_names_are_recorded():
    assert Session.objects.get_by_natural_key(2010, "2.1").rapporteurs == "Mr. Johan Fick, South Africa"
    assert Session.objects.get_by_natural_key(2010, "3.2").rapporteurs == "Prof. Ronald Skeldon"
    assert "Mr. Manuel Imson" in Session.objects.get_by_natural_key(2010, "1.1").roundtable.rapporteurs


@pytest.mark.parametrize(("code", "number", "text"), [
    ("1.1", 2, "Enforce the respect of relevant international conventions by all countries."),
    ("1.2", 5, "The respect for human rights of migrants, regardless of their immigration status, is an absolute "
               "threshold principle."),
    ("2.1", 6, "Promote one-stop-shops in countries of origin and destination for information on migration and "
               "return (also circular migration), to minimize the “information asymmetry” for migrants."),
    ("2.2", 5, "Establish an ad hoc Working Group on Gender within the GFMD (the Mexican Chair of the session "
               "recommends the Working Group address both Gender and Family issues)."),
    ("3.1", 2, "Establish a clearing house that would include information on indicators, methods of evaluations "
               "and documents of relevant impact assessments of policies, programs and projects linking migration "
               "and development."),
    ("3.3", 5, "The creation of RCPs should be at the initiative of interested governments, to ensure appropriate "
               "ownership."),
])
def test_recommendation_text_is_verbatim(code, number, text):
    assert Recommendation.objects.get_by_natural_key(2010, code, number).text == text


def test_markdown_emphasis_is_removed_and_nothing_else_is_empty():
    for rec in Recommendation.objects.all():
        assert "*" not in rec.text
        assert rec.text and rec.title


def test_every_recommendation_has_at_least_one_theme():
    assert not Recommendation.objects.filter(themes=None).exists()
    children = Recommendation.objects.filter(themes__slug="family-children")
    assert Recommendation.objects.get_by_natural_key(2010, "1.2", 9) in children


def test_seeded_items_start_not_started_unless_the_report_says_work_is_under_way():
    in_progress = {str(r.natural_key()[1:]) for r in Recommendation.objects.exclude(status=Status.NOT_STARTED)}
    # See test_seed_claims; 2.1/1 from January 2011, in an entry of its own (test_seed_dates).
    assert in_progress == {"('1.1', 8)", "('2.1', 1)", "('3.1', 3)", "('3.3', 3)"}
    assert Recommendation.objects.get_by_natural_key(2010, "2.1", 1).status == Status.IN_PROGRESS


def test_each_seeded_recommendation_starts_its_timeline_on_11_november_2010():
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 7)
    [entry] = rec.updates.all()
    assert entry.created_at.date() == datetime.date(2010, 11, 11)
    assert entry.note.startswith("Seeded from the report of GFMD 2010 (Puerto Vallarta): RT session 1.2, ")
    assert "recommendation 7" in entry.note
    assert (entry.status_before, entry.status_after, entry.author) == ("", Status.NOT_STARTED, None)
    # One more: 2.1/1's Dubai workshop, an event the report dates January 2011 (test_seed_dates).
    assert RecommendationUpdate.objects.count() == 46


def test_good_practices_of_every_enumerated_list_are_linked_to_their_actors():
    counts = {}
    for practice in GoodPractice.objects.select_related("session"):
        counts[practice.session.code] = counts.get(practice.session.code, 0) + 1
    # The enumerated lists (1.1: 5, 1.2: 6, 2.2: 6, CSD: 4, PFP: 2), then the practices in running text
    # (test_practices: 2.1: 31, 2.2: 16, CS: 3, 3.3: 1).
    assert counts == {"1.1": 5, "1.2": 6, "2.1": 31, "2.2": 22, "3.3": 1, "CS": 3, "CSD": 4, "PFP": 2}
    jordan = GoodPractice.objects.get(actors__name="Jordan")
    assert jordan.text.startswith("Jordan recognizes domestic work in its labour legislation")
    ghana = GoodPractice.objects.get(session__code="PFP", actors__name="Ghana")
    assert "interagency working group" in ghana.text
    germany_morocco = GoodPractice.objects.get(text="a technological training network between Germany and Morocco")
    assert sorted(names(germany_morocco.actors.all())) == ["Germany", "Morocco"]
    assert not GoodPractice.objects.filter(actors=None).exists()


def test_civil_society_priorities_and_the_assessment_are_tracked_items():
    csd = FollowUpItem.objects.filter(session__code="CSD").order_by("number")
    assert [i.text for i in csd][:2] == [
        "The pitfalls of temporary and circular migration",
        "Effective partnerships and serious measures to increase protection of migrants in transit",
    ]
    # The five priority subjects are 1-5; the statement's calls follow them (test_seed_commitments).
    assert csd.filter(number__lte=5).count() == 5
    assessment = FollowUpItem.objects.get(session__code="FOF", number=1)
    assert names(assessment.responsible_actors.all()) == ["GFMD assessment team"]
    assert "High Level Dialogue in 2013" in assessment.text
    # The report names a year, not a day: due 2013 at the precision of a year (test_seed_dates).
    assert (assessment.due_date, assessment.due_date_precision) == (datetime.date(2013, 12, 31), "year")
    assert assessment.updates.count() == 1


def test_actors_have_iso_codes_and_groups_their_members():
    assert Actor.objects.get(name="Philippines").country.code == "PH"
    assert Actor.objects.get(short_name="UK").country.code == "GB"
    assert Actor.objects.get(name="International Organization for Migration").country == ""
    assert not Actor.objects.filter(kind=Actor.Kind.GOVERNMENT, country="").exists()
    assert Actor.objects.get(name="GFMD Steering Group").members.count() == 35
    team = names(Actor.objects.get(name="GFMD assessment team").members.all())
    assert "Greece" not in team and "Switzerland" in team and len(team) == 13
    assert "Spain" not in names(Actor.objects.get(name="GFMD Troika").members.all())


def test_the_troika_is_the_extended_troika_of_the_footnote_as_it_stood_sweden_included():
    footnote = (Path(__file__).resolve().parents[2] / "fixtures" / "gfmd2010" / "report.txt").read_text(
        encoding="utf-8").split("\n")[111]
    assert footnote == (
        "² The extended Troika for the 2010 GFMD was comprised by Belgium, Philippines, Greece, Spain (replaced by "
        "Switzerland in October 2010) and Morocco (withdrew in October 2010). Sweden was included in the Troika after "
        "announcing its commitment to host in 2014.")
    troika = Actor.objects.get(name="GFMD Troika")
    # Spain replaced by Switzerland, Morocco withdrawn, Sweden included: members hold no dates, the note the words.
    assert sorted(names(troika.members.all())) == ["Belgium", "Greece", "Philippines", "Sweden", "Switzerland"]
    assert troika.notes == footnote.removeprefix("² ")


def counts():
    from django.apps import apps

    return {m._meta.label: m.objects.count() for app in ("recommendations", "partnerships")
            for m in apps.get_app_config(app).get_models() if not m.__name__.startswith("Historical")}


def test_a_second_run_creates_nothing():
    before = counts()
    out = io.StringIO()
    call_command("seed_gfmd", stdout=out)
    assert "created nothing" in out.getvalue()
    assert counts() == before


def test_seeding_never_touches_follow_up_that_staff_entered(staff, editor):
    rec = Recommendation.objects.get_by_natural_key(2010, "3.2", 1)
    rec.record_update(by=editor, note="Assigned to Sam.", owner=staff)
    rec.record_update(by=staff, note="Virtual library scoped with IOM.", status=Status.PLANNED, progress=10)
    rec.title = "Virtual Library (corrected by an editor)"
    rec.save()
    call_command("seed_gfmd", stdout=io.StringIO())
    rec.refresh_from_db()
    assert (rec.status, rec.owner, rec.progress) == (Status.PLANNED, staff, 10)
    assert rec.title == "Virtual Library (corrected by an editor)"
    assert [u.note for u in rec.updates.all()][0] == "Virtual library scoped with IOM."
    assert rec.updates.count() == 3


def test_seeding_an_empty_database_creates_everything():
    expected = counts()
    SeedRecord.objects.all().delete()
    ProjectSeedRecord.objects.all().delete()
    Project.objects.all().delete()
    Recommendation.objects.all().delete()
    FollowUpItem.objects.all().delete()
    Meeting.objects.all().delete()
    Actor.objects.all().delete()
    assert counts()["recommendations.Actor"] == 0
    call_command("seed_gfmd", stdout=io.StringIO())
    assert counts() == expected


def test_an_unknown_fixtures_folder_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no meeting.json"):
        call_command("seed_gfmd", "no-such-meeting", stdout=io.StringIO())


# --- Corrections an editor makes, then the seed runs again (as on every deploy) -------------


def seed_again():
    out = io.StringIO()
    call_command("seed_gfmd", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["Family & children", "Children and families"])
def test_a_theme_whose_slug_was_corrected_is_kept_and_not_seeded_again(name):
    before = counts()
    Theme.objects.filter(slug="family-children").update(slug="children-families", name=name)
    assert seed_again() == "GFMD 2010 (Puerto Vallarta): created nothing (already seeded).\n"
    assert counts() == before
    theme = Theme.objects.get(slug="children-families")
    assert theme.name == name
    assert Recommendation.objects.get_by_natural_key(2010, "1.2", 9) in theme.recommendations.all()


def test_a_renamed_actor_is_kept_and_not_seeded_again():
    before = counts()
    Actor.objects.filter(name="Philippines").update(name="Republic of the Philippines", short_name="PH")
    seed_again()
    assert counts() == before
    assert list(Actor.objects.filter(country="PH").values_list("name", "short_name")) == [
        ("Republic of the Philippines", "PH")]


def test_a_session_whose_code_changed_keeps_its_code_and_its_recommendations_are_not_seeded_again():
    before = counts()
    Session.objects.filter(code="3.3").update(code="3.3b")
    seed_again()
    assert counts() == before
    assert Recommendation.objects.count() == 45
    assert sorted(Session.objects.filter(meeting__year=2010, kind=Session.Kind.ROUNDTABLE).values_list(
        "code", flat=True)) == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3b"]
    assert Session.objects.get_by_natural_key(2010, "3.3b").recommendations.count() == 5


def test_a_meeting_whose_year_changed_keeps_it_and_nothing_is_seeded_again():
    before = counts()
    Meeting.objects.filter(year=2010).update(year=2011, city="Puerto Vallarta (Jalisco)")
    assert seed_again() == "GFMD 2011 (Puerto Vallarta (Jalisco)): created nothing (already seeded).\n"
    assert counts() == before
    assert list(Meeting.objects.values_list("year", "city")) == [(2011, "Puerto Vallarta (Jalisco)")]


def test_a_renumbered_recommendation_keeps_its_number_and_is_not_seeded_again():
    before = counts()
    rec = Recommendation.objects.get_by_natural_key(2010, "3.3", 5)
    Recommendation.objects.filter(pk=rec.pk).update(number=15)
    FollowUpItem.objects.filter(session__code="CSD", number=1).update(number=101)
    seed_again()
    assert counts() == before
    assert list(Recommendation.objects.filter(session__code="3.3").order_by("number").values_list(
        "number", flat=True)) == [1, 2, 3, 4, 15]
    assert sorted(FollowUpItem.objects.filter(session__code="CSD").values_list("number", flat=True)) == [
        *range(2, 49), 101]


def test_a_retitled_project_and_corrected_practice_and_roundtable_are_kept_and_not_seeded_again():
    before = counts()
    Project.objects.filter(title="Developing Migration Profiles").update(title="Migration Profiles (MPs)")
    GoodPractice.objects.filter(actors__name="Jordan").update(text="Jordan: domestic work in labour law.")
    Roundtable.objects.filter(number=3).update(number=4)
    seed_again()
    assert counts() == before
    assert sorted(Project.objects.values_list("title", flat=True)) == [
        "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries",
        "Migration Profiles (MPs)", "Protecting Unaccompanied Migrant Children"]
    assert GoodPractice.objects.get(actors__name="Jordan").text == "Jordan: domestic work in labour law."
    assert sorted(Roundtable.objects.values_list("number", flat=True)) == [1, 2, 4]


def test_what_an_editor_deleted_is_not_brought_back():
    before = counts()
    Recommendation.objects.get_by_natural_key(2010, "3.3", 5).delete()
    GoodPractice.objects.filter(actors__name="Jordan").delete()
    Project.objects.filter(title="Developing Migration Profiles").delete()
    after_deletes = counts()
    seed_again()
    assert counts() == after_deletes != before
    assert not Recommendation.objects.filter(session__code="3.3", number=5).exists()
    assert not GoodPractice.objects.filter(actors__name="Jordan").exists()
    assert not Project.objects.filter(title="Developing Migration Profiles").exists()


def test_a_database_seeded_before_the_seed_remembered_its_records_gets_no_duplicates():
    before = counts()
    SeedRecord.objects.all().delete()  # as after the upgrade that brought them
    ProjectSeedRecord.objects.all().delete()
    assert seed_again() == "GFMD 2010 (Puerto Vallarta): created nothing (already seeded).\n"
    assert counts() == before  # found by their natural keys, and remembered from now on
    Actor.objects.filter(name="Philippines").update(name="Republic of the Philippines")
    seed_again()
    assert counts() == before
    assert not Actor.objects.filter(name="Philippines").exists()
