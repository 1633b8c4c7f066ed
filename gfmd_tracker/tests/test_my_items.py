"""My items: what the user owns, overdue first, then by status."""

import datetime

import pytest
from django.urls import reverse

from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db


def test_my_items_lists_what_i_own_with_overdue_first(client, staff, editor):
    overdue = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    overdue.record_update(by=editor, note="Assigned.", owner=staff, due_date=datetime.date(2011, 1, 1))
    planned = Recommendation.objects.get_by_natural_key(2010, "1.1", 2)
    planned.record_update(by=editor, note="Assigned.", owner=staff, status=Status.PLANNED)
    client.force_login(staff)
    response = client.get(reverse("my_items"))
    groups = [(label, [str(i) for i in items]) for label, items in response.context["groups"]]
    assert [label for label, _ in groups] == ["Overdue", "Planned"]
    assert groups[0][1] == [str(overdue)]
    assert "Overdue" in response.content.decode()


@pytest.mark.parametrize(("role", "says"), [
    ("staff", "You own no items yet. Open an item nobody owns and press <strong>Take this item</strong>, "
              "or ask an editor to give you one."),
    ("viewer", "Your role reads the items and their reports; it does not own items or log updates."),
])
def test_an_empty_my_items_says_what_the_role_can_do(client, request, role, says):
    client.force_login(request.getfixturevalue(role))
    body = client.get(reverse("my_items")).content.decode()
    assert says in body
    assert "you can still log notes" not in body
