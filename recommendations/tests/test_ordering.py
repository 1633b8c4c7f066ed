"""Recommendations list in report order (meeting, session, number), kept in `ordinal`
by every path that creates a recommendation or moves a session."""

import pytest
from django.urls import reverse

from recommendations.imports.resources import RecommendationResource
from recommendations.models import Recommendation, Session

pytestmark = pytest.mark.django_db


def order():
    return [r.natural_key()[1:] for r in Recommendation.objects.select_related("session__meeting")]


def test_the_seeded_recommendations_are_in_report_order():
    keys = order()
    assert keys[:3] == [("1.1", 1), ("1.1", 2), ("1.1", 3)]
    assert keys[-1] == ("3.3", 5) and len(keys) == 45
    assert keys == sorted(keys, key=lambda k: (Session.objects.get(code=k[0]).position, k[1]))


def test_a_recommendation_added_in_the_admin_takes_its_place(editor_client):
    session = Session.objects.get_by_natural_key(2010, "1.1")
    response = editor_client.post(reverse("admin:recommendations_recommendation_add"), {
        "session": session.pk, "number": 9, "title": "Added later", "text": "An outcome added by an editor.",
        "status": "not_started", "progress": 0, "priority": "", "due_date_precision": "day", "update_note": "",
        "recommendationupdate_set-TOTAL_FORMS": 0, "recommendationupdate_set-INITIAL_FORMS": 0,
        "updates-TOTAL_FORMS": 0, "updates-INITIAL_FORMS": 0,
        "recommendations-lineage-item_type-item_id-TOTAL_FORMS": 0,
        "recommendations-lineage-item_type-item_id-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    keys = order()
    assert keys.index(("1.1", 9)) == keys.index(("1.1", 8)) + 1


def test_an_imported_new_recommendation_takes_its_place():
    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="2.2", number=6))
    # No translations; the follow-up state's last five columns: exported, never read.
    rows = [["2010", "2.2", "7", "Imported", "An imported outcome.", "", "", "", "",
             "", "Not started", "", "", "", "0", "", "", "", "", "", ""]]
    result = RecommendationResource().import_data(type(data)(*rows, headers=data.headers))
    assert not result.has_validation_errors() and not result.has_errors()
    keys = order()
    assert keys.index(("2.2", 7)) == keys.index(("2.2", 6)) + 1


def test_renumbering_follows_a_session_that_moved():
    first, second = Session.objects.get(code="1.1"), Session.objects.get(code="1.2")
    Session.objects.filter(pk=first.pk).update(position=second.position + 1)
    first.recommendations.renumber()
    keys = order()
    assert keys.index(("1.1", 1)) == keys.index(("1.2", 10)) + 1

