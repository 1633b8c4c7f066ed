"""The actors' list and pages: what each one chairs, joins, is responsible for."""

import pytest
from django.urls import reverse

from recommendations.models import Actor, Recommendation, SessionParticipant

pytestmark = pytest.mark.django_db


def test_the_actor_page_says_what_a_country_chairs_joins_and_partners_in(viewer_client):
    mexico = Actor.objects.get(name="Mexico")
    body = viewer_client.get(reverse("recommendations:actor", args=[mexico.pk])).content.decode()
    assert "2.2 Migration, gender and family" in body  # chaired
    assert "Protecting Unaccompanied Migrant Children" in body and "Proposer / owner" in body
    assert "special prosecution of crimes against immigrants" in body
    assert "GFMD Steering Group" in body and "GFMD assessment team" in body


def test_the_actor_list_counts_chairs_and_responsibilities(viewer_client, editor):
    from django.db.models import Count, Q

    uae = Actor.objects.get(name="United Arab Emirates")
    Recommendation.objects.get_by_natural_key(2010, "3.3", 1).responsible_actors.add(uae)
    actors = viewer_client.get(reverse("recommendations:actors")).context["actors"]
    expected = Actor.objects.annotate(
        chairs=Count("session_roles", filter=Q(session_roles__role=SessionParticipant.Role.CO_CHAIR), distinct=True),
        responsible=Count("responsible_for_recommendations", distinct=True),
    )
    assert {a.pk: (a.chairs, a.responsible) for a in actors} == {a.pk: (a.chairs, a.responsible) for a in expected}
    assert next(a for a in actors if a.pk == uae.pk).responsible == 2


def test_long_lists_on_an_actor_page_show_the_first_and_link_to_the_rest(viewer_client, monkeypatch):
    from recommendations.views import actors as views

    monkeypatch.setattr(views, "ACTOR_PAGE_ITEMS", 2)
    iom = Actor.objects.get(short_name="IOM")
    recs = list(Recommendation.objects.order_by("ordinal", "pk")[:3])
    for rec in recs:
        rec.responsible_actors.add(iom)
    response = viewer_client.get(reverse("recommendations:actor", args=[iom.pk]))
    label, items, total, full_list = response.context["responsible_for"][0]
    assert (label, items, total) == ("Recommendations", recs[:2], 3)
    assert full_list == f"/recommendations/?responsible={iom.pk}"
    body = response.content.decode()
    assert "The first 2 of 3." in body and f'href="/recommendations/?responsible={iom.pk}"' in body
    listed = viewer_client.get(full_list).context["page"].paginator.count
    assert listed == 3


def report_line(number):
    from pathlib import Path

    report = Path(__file__).resolve().parents[2] / "fixtures" / "gfmd2010" / "report.txt"
    return report.read_text(encoding="utf-8").split("\n")[number - 1]


def test_an_actor_page_shows_its_contributions_to_a_meeting_with_the_reports_line(viewer_client):
    denmark = Actor.objects.get(name="Denmark")
    body = viewer_client.get(reverse("recommendations:actor", args=[denmark.pk])).content.decode()
    section = body[body.index("<h2>Contributions to meetings</h2>"):]
    row = section[:section.index("</tr>")]
    assert '<a href="/meetings/2010/#contributions">GFMD 2010</a>' in row
    assert '<td data-label="Role">Contributor</td>' in row
    assert all(cell in row for cell in report_line(1052).split("\t")) and "report, line 1052" in row

    bbva = Actor.objects.get(name="BBVA Bancomer Foundation")
    body = viewer_client.get(reverse("recommendations:actor", args=[bbva.pk])).content.decode()
    assert '<td data-label="Role">Organiser</td>' in body
    assert "was responsible for the organization of the Civil Society Days (CSD)" in report_line(120)
    assert ("The BBVA Bancomer Foundation was responsible for the organization of the Civil Society Days (CSD)"
            in body) and "report, line 120" in body


def test_an_actor_page_says_which_meeting_it_chairs_and_which_it_will(viewer_client):
    mexico = Actor.objects.get(name="Mexico")
    body = viewer_client.get(reverse("recommendations:actor", args=[mexico.pk])).content.decode()
    assert 'Chair of <a href="/meetings/2010/">GFMD 2010</a> (Puerto Vallarta)' in body
    assert "Eduard Gnesa" in report_line(853) and "Switzerland" in report_line(853)
    switzerland = Actor.objects.get(name="Switzerland")
    body = viewer_client.get(reverse("recommendations:actor", args=[switzerland.pk])).content.decode()
    assert 'Chair of GFMD 2011, as <a href="/meetings/2010/#handover">the report of GFMD 2010</a> names it' in body
    assert "H.E. Mr. Eduard Gnesa" in body
    assert 'Chair of <a href="/meetings/2010/">' not in body  # it chairs no meeting of its own yet


def test_an_actor_page_reads_as_many_queries_however_many_contributions_and_meetings(viewer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations.models import Meeting, MeetingContribution

    denmark = Actor.objects.get(name="Denmark")
    url = reverse("recommendations:actor", args=[denmark.pk])
    counted = []
    for year in (None, 2031, 2032, 2033):
        if year:
            meeting = Meeting.objects.create(year=year, edition="Test", title="A test meeting", city="Aarhus",
                                             country="DK", chair_country=denmark, next_chair_country=denmark)
            MeetingContribution.objects.create(meeting=meeting, actor=denmark, role="organiser", description="Words")
        with CaptureQueriesContext(connection) as queries:
            body = viewer_client.get(url).content.decode()
        counted.append(len(queries))
    assert body.count('<td data-label="Role">Organiser</td>') == 3
    assert body.count("Chair of GFMD 203") == 3  # 2032, 2033, 2034: each named at the year before
    assert len(set(counted)) == 1, counted
