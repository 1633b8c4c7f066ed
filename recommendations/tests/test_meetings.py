"""The meeting's page (recommendations/views/meetings.py): the meeting as its report tells it, checked against
the report's own lines (fixtures/gfmd2010/report.txt), never against the seed's fixtures."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import (
    Actor,
    FollowUpItem,
    GoodPractice,
    Meeting,
    MeetingContribution,
    Recommendation,
    Roundtable,
    Session,
    SessionParticipant,
)

pytestmark = pytest.mark.django_db

REPORT = Path(__file__).resolve().parents[2] / "fixtures" / "gfmd2010" / "report.txt"
PAGE = "/meetings/2010/"


def line(number):
    return REPORT.read_text(encoding="utf-8").split("\n")[number - 1]


def report_match(number, pattern):
    found = re.search(pattern, line(number))
    assert found, f"line {number} no longer says {pattern!r}"
    return found


@pytest.fixture
def page(viewer_client):
    response = viewer_client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def part(body, element_id):
    """The <section> whose id is `element_id`, up to the next section of its level."""
    start = body.index(f'id="{element_id}"')
    tail = body[start:]
    end = min((i for i in (tail.find('<section class="card session"', 1), tail.find('<section class="roundtable"', 1))
               if i > 0), default=len(tail))
    return tail[:end]


def facts(section, label):
    """The text and the linked actors' ids of a fact (<dt>label</dt><dd>…</dd>) of a section."""
    found = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(.*?)</dd>", section, re.S)
    if found is None:
        return None, set()
    text = unescape(re.sub(r"<[^>]+>", "", found.group(1)))
    return text, set(map(int, re.findall(r'href="/actors/(\d+)/"', found.group(1))))


def actor_ids(names):
    """The actors the annex names, by their name or by the short name it uses (UAE, UK, IOM)."""
    return {Actor.objects.filter(name=n).first().pk if Actor.objects.filter(name=n).exists()
            else Actor.objects.get(short_name=n).pk for n in names}


def annex_table(code):
    """The annex "Co-chairs and government teams" for one session: its co-chairs (first column), government team
    (the middle three) and international organizations (last column), as the report prints them."""
    lines = REPORT.read_text(encoding="utf-8").split("\n")
    start = next(i for i, text in enumerate(lines) if text.startswith(f"RT {code}\t"))
    rows = []
    for text in lines[start + 1:]:
        if text.startswith("RT ") or not text.strip():
            break
        rows.append((text.split("\t") + [""] * 5)[:5])

    def column(*numbers):
        return [row[j].strip() for row in rows for j in numbers if row[j].strip()]

    return column(0), column(1, 2, 3), column(4)


def test_the_meeting_says_where_and_when(page):
    assert "<dt>Place</dt><dd>Puerto Vallarta, Mexico</dd>" in page
    assert "<dt>Dates</dt><dd>8 Nov 2010 – 11 Nov 2010</dd>" in page
    assert "<p class=\"eyebrow\">GFMD 2010 · Fourth meeting</p>" in page


@pytest.mark.parametrize(("number", "report_line"), [(1, 309), (2, 421), (3, 610)])
def test_each_roundtable_names_its_coordinator_as_the_report_does(page, number, report_line):
    coordinator = report_match(report_line, r"\(Coordinator:? (Dr\. [^)]+)\)").group(1)
    assert facts(part(page, f"roundtable-{number}"), "Coordinator")[0] == coordinator


def test_samri_reported_for_roundtable_2(page):
    samri = report_match(845, r"(Mr\. Azzouz Samri, Plenipotentiary Minister, Morocco), for Roundtable 2").group(1)
    rapporteurs, _ = facts(part(page, "roundtable-2"), "Rapporteurs")
    assert rapporteurs.startswith(samri)


def test_a_session_names_its_co_chairs_team_and_organizations_as_the_annex_does(page):
    co_chairs, team, organizations = annex_table("2.1")
    session = part(page, "session-2.1")
    assert facts(session, "Co-chairs")[1] == actor_ids(co_chairs)
    assert facts(session, "Government team")[1] == actor_ids(team)
    assert facts(session, "International organizations")[1] == actor_ids(organizations)
    assert len(co_chairs) == 3 and len(team) == 14 and len(organizations) == 4  # the annex read as a table


def test_a_sessions_rapporteur_is_the_one_the_report_names(page):
    fick = report_match(427, r"rapporteurs, (Mr\. Johan Fick, South Africa) \(RT 2\.1\)").group(1)
    assert facts(part(page, "session-2.1"), "Rapporteur")[0] == fick


def test_sessions_come_in_the_reports_order_within_their_roundtables(page):
    places = {code: page.index(f'id="session-{code}"') for code in ("CSD", "1.1", "1.2", "2.1", "2.2", "3.1", "3.2",
                                                                     "3.3", "PFP", "FOF")}
    assert places["CSD"] < places["1.1"] < places["1.2"] < places["2.1"] < places["2.2"] < places["3.1"]
    assert places["3.1"] < places["3.2"] < places["3.3"] < places["PFP"] < places["FOF"]
    for number in (1, 2, 3):
        heading = page.index(f'id="roundtable-{number}"')
        codes = [code for code in places if code.startswith(f"{number}.")]
        assert all(heading < places[code] for code in codes)


def test_every_count_links_to_the_list_that_shows_that_many(viewer_client, page):
    links = re.findall(r'<a href="(/(?:recommendations|follow-up)/\?meeting=2010&amp;session=([^"]+))">(\d+) '
                       r'(?:recommendations?|follow-up items?)</a>', page)
    assert {code for _, code, _ in links} >= {"1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "CSD", "PFP", "FOF"}
    for url, code, shown in links:
        listed = viewer_client.get(unescape(url)).context["page"].paginator.count
        assert listed == int(shown), code
    assert ('<a href="/recommendations/?meeting=2010&amp;session=2.1">8 recommendations</a>'
            in page)  # the report numbers eight outcomes for session 2.1


def test_a_sessions_good_practices_are_listed_with_their_actors(page):
    session = part(page, "session-1.1")
    assert "5 good practices the session names" in session
    germany = Actor.objects.get(name="Germany")
    assert f'<a href="/actors/{germany.pk}/">Germany</a>' in session
    assert "Germany has partnerships with Moldova and Georgia" in session


def test_the_handover_names_the_2011_chair_and_quotes_the_report(page):
    chair = report_match(853, r"The incoming 2011 GFMD Chair, (H\.E\. Mr\. Eduard Gnesa), (.+?), expressed")
    handover = part(page, "handover")
    named, linked = facts(handover, "Chair of GFMD 2011")
    assert named.startswith(chair.group(1)) and named.endswith(f"{chair.group(2)} (report, line 853)")
    assert facts(handover, "Chairing country")[1] == {Actor.objects.get(name="Switzerland").pk}
    words = report_match(855, r"The lack of material time .*? Platform for Partnerships\.").group(0)
    assert f'“{words}” <span class="source">(report, line 855)</span>' in handover


def test_each_contribution_says_what_in_the_reports_words_and_its_line(page):
    contributions = page[page.index('id="contributions"'):]
    organiser = report_match(120, r"The BBVA Bancomer Foundation was responsible for the organization of the "
                                  r"Civil Society Days \(CSD\)").group(0)
    bbva = Actor.objects.get(name="BBVA Bancomer Foundation")
    assert (f'<tr><td><a href="/actors/{bbva.pk}/">BBVA Bancomer Foundation</a></td><td class="main">{organiser}</td>'
            '<td class="source">report, line 120</td></tr>') in contributions
    denmark = Actor.objects.get(name="Denmark")
    row = re.search(rf'<tr><td><a href="/actors/{denmark.pk}/">Denmark</a></td>(.*?)</tr>', contributions).group(1)
    assert all(cell in row for cell in line(1052).split("\t")) and "report, line 1052" in row
    assert contributions.index("<h3>Contributors</h3>") < contributions.index("Denmark")
    assert contributions.index("<h3>Organisers</h3>") < contributions.index("BBVA Bancomer Foundation")


def test_the_handover_lines_are_seeded_with_the_words(db):
    meeting = Meeting.objects.get(year=2010)
    assert (meeting.next_chair_line, meeting.handover_line) == (853, 855)
    assert meeting.next_chair in line(853) and meeting.handover in line(855)


def test_item_pages_link_their_session_on_the_meetings_page(viewer_client, page):
    recommendation = viewer_client.get("/recommendations/2010/2.1/3/").content.decode()
    assert '<h2><a href="/meetings/2010/#session-2.1">Session 2.1: ' in recommendation
    follow_up = viewer_client.get("/follow-up/2010/CSD/1/").content.decode()
    assert '<h2><a href="/meetings/2010/#session-CSD">Session CSD: ' in follow_up
    from partnerships.models import Project

    project = Project.objects.filter(session__code="PFP").first()
    assert 'href="/meetings/2010/#session-PFP"' in viewer_client.get(project.get_absolute_url()).content.decode()
    assert 'id="session-2.1"' in page and 'id="session-CSD"' in page and 'id="session-PFP"' in page


def test_the_menu_the_meetings_list_and_the_dashboard_lead_to_the_meeting(viewer_client):
    meetings = viewer_client.get("/meetings/").content.decode()
    assert '<a href="/meetings/" aria-current="page">Meetings</a>' in meetings
    assert '<a href="/meetings/2010/">GFMD 2010</a>' in meetings
    assert 'href="/meetings/2010/"' in viewer_client.get("/").content.decode()


def add_sessions(meeting, n):
    """n more sessions in a new roundtable, each with participants, a practice, a recommendation and a
    follow-up item; and n more contributions."""
    actors = list(Actor.objects.order_by("pk")[:n + 3])
    roundtable = Roundtable.objects.create(meeting=meeting, number=90 + n, title="More")
    for i in range(n):
        session = Session.objects.create(meeting=meeting, roundtable=roundtable, code=f"9.{n}{i}", title="Extra",
                                         position=60 + i)
        for j, role in enumerate(SessionParticipant.Role.values):
            SessionParticipant.objects.create(session=session, actor=actors[i + j], role=role)
        GoodPractice.objects.create(session=session, text="A practice").actors.set(actors[i:i + 2])
        Recommendation.objects.create(session=session, number=1, text="Do it.")
        FollowUpItem.objects.create(session=session, number=1, text="Follow it.")
        MeetingContribution.objects.create(meeting=meeting, actor=actors[i], role="organiser", description="Words")


def test_the_page_reads_a_fixed_number_of_queries_however_many_sessions(viewer_client):
    meeting = Meeting.objects.get(year=2010)
    counted = []
    for more in (0, 4):
        add_sessions(meeting, more)
        with CaptureQueriesContext(connection) as queries:
            body = viewer_client.get(PAGE).content.decode()
        counted.append(len(queries))
    assert f'id="session-9.4{3}"' in body  # the added sessions are shown
    # 9 for the meeting; 5 for the session, the user, the permissions, the roles; 2 savepoints; 1 for the bell's
    # unread count (notifications, every signed-in page)
    assert counted[0] == counted[1] <= 17, counted


def test_an_unknown_year_is_not_found_in_the_sites_layout(viewer_client, settings):
    settings.DEBUG = False
    for address in ("/meetings/1999/", "/meetings/twenty-ten/", "/meetings/99999999999999999999/"):
        response = viewer_client.get(address)
        assert response.status_code == 404, address
        body = response.content.decode()
        assert "<h1>Page not found</h1>" in body and '<nav aria-label="Main">' in body


def test_a_years_other_spelling_is_sent_to_the_meetings_one_address(viewer_client):
    response = viewer_client.get("/meetings/02010/")
    assert (response.status_code, response["Location"]) == (301, PAGE)


def test_the_pages_are_open_to_the_public_too(client):
    """Sessions, co-chairs, teams, contributions and the handover are public (issue #19); what the public's
    page counts is in test_public_meeting."""
    for address in ("/meetings/", PAGE):
        assert client.get(address).status_code == 200
