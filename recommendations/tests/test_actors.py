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
