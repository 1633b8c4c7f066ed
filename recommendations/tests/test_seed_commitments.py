"""The commitments of the Civil Society Days statement and of the Future of the Forum session,
seeded as follow-up items, against the report's words.

The statement is read from the report itself (`fixtures/gfmd2010/report.txt`, lines 1123-1209),
never from the seed's item fixtures."""

import re
from pathlib import Path

import pytest

from partnerships.models import ProjectPartner
from recommendations.models import Actor, FollowUpItem, Meeting, MeetingContribution, Roundtable, Status

pytestmark = pytest.mark.django_db

REPORT = Path(__file__).resolve().parents[2] / "fixtures" / "gfmd2010" / "report.txt"

# README "The data": a call is a sentence that asks someone to act, in so many words (urge, call
# on/upon/for, recommend, caution) or by saying what should, must or needs to be done.
CALL_WORDS = re.compile(r"\b(should|must|needs? to|urges?|calls? (on|upon|for)|call, in particular, for|"
                        r"recommend|caution)\b")
# Sentences that use such a word without asking anyone to act: they define (the right to
# development), quote a phrase to question it, or describe a lack of consensus.
NOT_CALLS = (
    "It is a holistic principle that guarantees",
    "We often hear “migration should be by choice, not necessity,”",
    "Moreover, there is lack of consensus on basic definitions",
)


def statement_lines():
    """(report line number, text) of the statement's body: the introduction and its headed sections,
    up to the sentence that introduces the five priority subjects (items 1-5)."""
    lines = REPORT.read_text(encoding="utf-8").split("\n")
    return [(n, lines[n - 1].strip()) for n in range(1123, 1210)]


def is_heading(text):
    return len(text) < 90 and not text.endswith(".")


def calls_by_the_rule():
    """[(heading, sentence)] of every call in the statement, in its order."""
    paragraphs, heading = [], ""
    for _, text in statement_lines():
        if not text or text == "Check against delivery.":
            continue
        if is_heading(text):
            heading = text
        elif paragraphs and text[0].islower():  # a paragraph a page break cut in two
            paragraphs[-1][1] += " " + text
        else:
            paragraphs.append([heading, text])
    return [
        (heading, sentence)
        for heading, paragraph in paragraphs
        for sentence in re.split(r"(?<=[.?])\s+(?=[A-Z])", paragraph)
        if CALL_WORDS.search(sentence) and not sentence.startswith(NOT_CALLS)
    ]


def csd_calls():
    return FollowUpItem.objects.filter(session__meeting__year=2010, session__code="CSD", number__gt=5)


def test_the_statement_holds_43_calls_by_the_readmes_rule():
    assert len(calls_by_the_rule()) == 43  # counted by hand, sentence by sentence


def test_every_call_is_a_follow_up_item_of_the_csd_verbatim_in_the_statements_order():
    seeded = csd_calls().order_by("number")
    assert [i.text for i in seeded] == [sentence for _, sentence in calls_by_the_rule()]
    assert [i.number for i in seeded] == list(range(6, 49))


def test_the_priority_subjects_keep_their_numbers_1_to_5():
    subjects = FollowUpItem.objects.filter(session__code="CSD", number__lte=5).order_by("number")
    assert [i.text for i in subjects][2:4] == [
        "Rights-based labour migration policies",
        "Reducing the necessity to migrate and the financial and social costs of migration",
    ]


@pytest.mark.parametrize("number, text", [
    (25, "In the context of the 20th anniversary of the adoption of the Convention on the Rights of All Migrant "
         "Workers and Members of their Families, we urge governments to ratify and implement this important "
         "instrument as well as the other core human rights conventions."),
    (18, "Enforcement of worker rights must be de-linked from immigration enforcement policies."),
    (34, "We call on governments to develop gender-sensitive monitoring indicators on migration policies, "
         "including indicators to measure progress of CEDAW's General Recommendation #26 for women and girl "
         "migrants."),
    (33, "Women's economic, social and cultural rights must be ensured, including the right to decent work."),
    (21, "We caution governments that they should not use the term ‘illegal immigrant’ because everyone has "
         "inherent human rights."),
    (48, "While progress has been made, we believe that engagement between civil society and governments is "
         "still too limited and we call upon governments to more fully bring civil society into their "
         "deliberations and work with civil society to ensure implementation of the recommendations coming "
         "out of the entire GFMD process."),
])
def test_calls_are_word_for_word(number, text):
    assert FollowUpItem.objects.get_by_natural_key(2010, "CSD", number).text == text


def test_each_call_has_its_statement_heading_as_theme():
    headings = {i.number: [t.name for t in i.themes.all()] for i in csd_calls().prefetch_related("themes")}
    assert headings[6] == []  # the introduction has no heading
    assert headings[13] == ["CSD statement: Labour migration"]
    assert headings[31] == ["CSD statement: Families"]
    assert headings[41] == ["CSD statement: Climate change"]
    assert headings[21] == ["CSD statement: Redefining and reducing “irregular migration”"]
    expected = {n: [f"CSD statement: {h}"] if h else [] for n, (h, _) in enumerate(calls_by_the_rule(), 6)}
    assert headings == expected


def test_a_call_starts_not_started_with_its_report_line_in_its_timeline():
    call = FollowUpItem.objects.get_by_natural_key(2010, "CSD", 25)
    assert (call.status, call.due_date, call.owner) == (Status.NOT_STARTED, None, None)
    assert call.updates.get().note == (
        "Seeded from the report of GFMD 2010 (Puerto Vallarta): session CSD, follow-up item 25. Report line 1171."
    )


def fof(number):
    return FollowUpItem.objects.get_by_natural_key(2010, "FOF", number)


def test_the_assessment_item_holds_its_whole_paragraph():
    assert fof(1).text == (
        "The assessment process would be transparent, consensual and comprehensive, and should produce complete "
        "and thorough findings that would subsequently inform the analysis and debate, allowing states to decide "
        "on the course of action to take for the future of the Forum. The task should be completed in time for "
        "the High Level Dialogue in 2013. Governments stated that it is imperative for the assessment to reflect "
        "the specificities, challenges and aspirations of diverse countries and regions."
    )


# The assessment's deadline, due 2013 at the precision of a year (line 841): test_seed_dates.


def test_the_terms_of_reference_were_endorsed_as_the_report_says():
    tor = fof(2)
    assert tor.text == "Draft Terms of Reference for the Assessment Team were distributed and endorsed."
    assert tor.status == Status.IMPLEMENTED
    assert tor.updates.get().note.endswith(
        'Status as of the report, implemented: "Draft Terms of Reference for the Assessment Team were distributed '
        'and endorsed." (report, line 831). Report line 831.'
    )


def test_what_the_assessment_will_look_at_and_the_funding_review_are_tracked():
    scope = fof(3)
    assert scope.text.startswith("Governments agreed that the Chair and the Assessment Team will work on")
    assert "It would look at its current structure, including the role of the Chair, the Steering Group, " \
           "the Friends of the Forum, the Support Unit, the Working Groups, and its funding arrangements." in scope.text
    assert scope.text.endswith("And it would address the links and interaction with the United Nations, relevant "
                               "international agencies and civil society stakeholders. All these and other relevant "
                               "issues will be examined in an objective and comprehensive manner.")
    assert fof(4).text == ("Participants also agreed that the Assessment process should look at possible options for "
                           "the Forum's future.")
    assert "It has become imperative to review the funding mechanisms." in fof(5).text
    assert fof(5).title == "Review the Forum's funding mechanisms"


def test_samri_reported_for_roundtable_2_at_the_closing_plenary():
    # Line 845: "Mr. Azzouz Samri, Plenipotentiary Minister, Morocco, for Roundtable 2".
    roundtable = Roundtable.objects.get(meeting__year=2010, number=2)
    assert roundtable.rapporteurs == (
        "Mr. Azzouz Samri, Plenipotentiary Minister, Morocco (reported for Roundtable 2 at the closing plenary)")


def test_donors_and_the_organiser_of_the_civil_society_days_have_their_own_roles():
    rows = MeetingContribution.objects.filter(meeting__year=2010).select_related("actor")
    assert {(c.role, c.actor.name, c.source_line) for c in rows} >= {
        ("contributor", "Denmark", 1052),
        ("contributor", "International Labour Organization", 1072),
        ("contributor", "MacArthur Foundation", 1056),
        ("contributor", "UNOG", 1072),
        ("organiser", "BBVA Bancomer Foundation", 120),
    }  # and every other row of the annex (test_contributions)
    assert [c.actor.name for c in rows.filter(role=MeetingContribution.Role.ORGANISER)] == ["BBVA Bancomer Foundation"]
    organiser = rows.get(role=MeetingContribution.Role.ORGANISER)
    assert organiser.description == (
        "The BBVA Bancomer Foundation was responsible for the organization of the Civil Society Days (CSD)")
    assert rows.get(actor__name="Denmark").description == (
        "Financial — Denmark — Euro 98,866.71 — For participants from developing countries")
    assert Actor.objects.get(name="Denmark").country.code == "DK"
    # None of those named only as donors or organisers is made a partner of a project (IOM, UNICEF and Mexico
    # are partners where the report says so, and donors too).
    only_donors = ["Denmark", "MacArthur Foundation", "UNOG", "BBVA Bancomer Foundation"]
    assert not ProjectPartner.objects.filter(actor__name__in=only_donors).exists()


def test_an_actor_named_in_actors_json_is_not_made_twice_for_its_contribution():
    assert Actor.objects.filter(name__iexact="International Labour Organization").count() == 1
    ilo = MeetingContribution.objects.get(actor__short_name="ILO")
    assert ilo.actor.session_roles.exists()  # the same record as in the annex of government teams


def test_the_platform_for_partnerships_own_commitments_are_tracked():
    pfp = {i.number: i for i in FollowUpItem.objects.filter(session__meeting__year=2010, session__code="PFP")}
    assert sorted(pfp) == [1, 2, 3, 4]
    # Line 779: who selects projects, and who does not.
    assert pfp[1].text.endswith("the GFMD Support Unit which administers the PfP does not select projects, nor does "
                                "it directly take part in the implementation of PfP projects. Project selection will "
                                "be channelled through existing GFMD structures such as the ad hoc Working Groups, "
                                "the Steering Group and the Chair-in-office.")
    assert pfp[2].text.startswith("In addition, the PfP will not provide funding for projects, which should be the "
                                  "primary responsibility of the states concerned.")
    assert "who would select them (whether a screening process would be put in place" in pfp[3].text
    # Line 807: the incoming Chair's assurance.
    assert pfp[4].text == ("As next GFMD Chair, Switzerland gave assurance that the concerns raised about logistics, "
                           "project selection and funding will be taken into account in the further development of "
                           "the PfP.")
    assert [a.name for a in pfp[4].responsible_actors.all()] == ["Switzerland"]
    assert pfp[4].updates.get().note.endswith("Report line 807.")


def test_the_2011_chairmanship_is_recorded_on_the_2010_meeting_as_the_report_states_it():
    meeting = Meeting.objects.get(year=2010)
    # Line 853: "The incoming 2011 GFMD Chair, H.E. Mr. Eduard Gnesa, Special Ambassador for International
    # Collaboration on Migrations Issues, Switzerland".
    assert meeting.next_chair == ("H.E. Mr. Eduard Gnesa, Special Ambassador for International Collaboration on "
                                  "Migrations Issues, Switzerland")
    assert meeting.next_chair_country.name == "Switzerland"
    assert meeting.handover.startswith(
        "The lack of material time will not allow an international conference to be held in 2011.")
    assert not Meeting.objects.filter(year=2011).exists()  # no place, no date: not a meeting
