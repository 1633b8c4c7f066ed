"""The filtered list of PfP projects and its download."""

import csv
import io

import pytest
from django.urls import reverse

from recommendations.models import Actor

pytestmark = pytest.mark.django_db


def titles(response):
    return [p.title for p in response.context["page"].paginator.object_list]


def test_projects_filter_by_partner_stage_and_country(viewer_client):
    iom = Actor.objects.get(short_name="IOM")
    assert len(titles(viewer_client.get("/projects/", {"partner": iom.pk}))) == 3
    unhcr = Actor.objects.get(short_name="UNHCR")
    by_unhcr = titles(viewer_client.get("/projects/", {"partner": unhcr.pk}))
    assert by_unhcr == ["Protecting Unaccompanied Migrant Children"]
    assert titles(viewer_client.get("/projects/", {"country": "NL"})) == [
        "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries"
    ]
    assert titles(viewer_client.get("/projects/", {"q": "templates"})) == ["Developing Migration Profiles"]


def test_project_export_has_partners_outcomes_and_last_note(viewer_client):
    response = viewer_client.get(reverse("partnerships:export", args=["csv"]), {"theme": "data-migration-profiles"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Developing Migration Profiles"]
    assert rows[0]["recommendations"] == "2010/3.1/3; 2010/3.3/3"
    assert rows[0]["stage"] == "Initiation" and rows[0]["last_note"].startswith("Seeded from the report")
