"""An item page links everything it names: actors, each level of the breadcrumb, the session's
previous and next item."""

import re

import pytest

from recommendations.models import Actor, FollowUpItem

pytestmark = pytest.mark.django_db


def actor_link(name):
    return f'<a href="/actors/{Actor.objects.get(name=name).pk}/">{name}</a>'


def crumbs(body):
    nav = body[body.index('aria-label="Breadcrumb"'):]
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', nav[:nav.index("</nav>")].replace("&amp;", "&"))


def test_the_co_chairs_team_and_organizations_link_to_their_actor_pages(viewer_client):
    body = viewer_client.get("/recommendations/2010/2.1/3/").content.decode()
    # Session 2.1's co-chairs, as the report's annex lists them.
    assert ", ".join(actor_link(n) for n in ("Sweden", "United Arab Emirates", "Sri Lanka")) in body
    assert actor_link("Mauritius") in body  # a member of its government team
    iom = Actor.objects.get(name="International Organization for Migration")
    assert f'<a href="/actors/{iom.pk}/">IOM</a>' in body


def test_the_breadcrumb_links_meeting_roundtable_and_session(viewer_client):
    body = viewer_client.get("/recommendations/2010/2.1/3/").content.decode()
    assert crumbs(body) == [
        ("/recommendations/", "Recommendations"),
        ("/recommendations/?meeting=2010", "GFMD 2010"),
        ("/recommendations/?meeting=2010&roundtable=2", "Roundtable 2"),
        ("/recommendations/?meeting=2010&session=2.1", "Session 2.1"),
    ]


def test_a_follow_up_items_breadcrumb_leads_to_the_follow_up_list(viewer_client):
    body = viewer_client.get("/follow-up/2010/FOF/1/").content.decode()
    assert crumbs(body) == [
        ("/follow-up/", "Follow-up items"),
        ("/follow-up/?meeting=2010", "GFMD 2010"),
        ("/follow-up/?meeting=2010&session=FOF", "Session FOF"),
    ]


def neighbours(body):
    return re.findall(r'<a rel="(prev|next)" href="([^"]*)">', body)


def test_previous_and_next_stay_within_the_session(viewer_client):
    # Session 2.1 has recommendations 1 to 8.
    assert neighbours(viewer_client.get("/recommendations/2010/2.1/3/").content.decode()) == [
        ("prev", "/recommendations/2010/2.1/2/"), ("next", "/recommendations/2010/2.1/4/")]
    assert neighbours(viewer_client.get("/recommendations/2010/2.1/1/").content.decode()) == [
        ("next", "/recommendations/2010/2.1/2/")]
    assert neighbours(viewer_client.get("/recommendations/2010/2.1/8/").content.decode()) == [
        ("prev", "/recommendations/2010/2.1/7/")]
    # The Future of the Forum session has items 1 to 5; the civil society's 48 come before, in another session.
    assert neighbours(viewer_client.get("/follow-up/2010/FOF/1/").content.decode()) == [
        ("next", "/follow-up/2010/FOF/2/")]
    assert neighbours(viewer_client.get("/follow-up/2010/FOF/5/").content.decode()) == [
        ("prev", "/follow-up/2010/FOF/4/")]


def test_previous_and_next_skip_a_missing_number(viewer_client):
    FollowUpItem.objects.get_by_natural_key(2010, "CSD", 3).delete()
    assert neighbours(viewer_client.get("/follow-up/2010/CSD/2/").content.decode()) == [
        ("prev", "/follow-up/2010/CSD/1/"), ("next", "/follow-up/2010/CSD/4/")]


def test_responsible_actors_and_partners_link_to_their_actor_pages(viewer_client):
    from partnerships.models import Project

    body = viewer_client.get("/follow-up/2010/FOF/1/").content.decode()
    assert actor_link("GFMD assessment team") in body
    project = Project.objects.get(title="Developing Migration Profiles")
    partner = project.project_partners.select_related("actor").first().actor
    assert f'<a href="/actors/{partner.pk}/">{partner.name}</a>' in viewer_client.get(
        project.get_absolute_url()).content.decode()
