"""The API's tests: personal tokens, and requests sent as a program sends them (JSON, a token header)."""

import json

import pytest

from api.models import ApiToken
from recommendations.models import Recommendation

ITEM = (2010, "2.1", 3)  # not started, nobody owns it, no later event
ITEM_URL = "/api/v1/recommendations/2010/2.1/3/"
UPDATES_URL = ITEM_URL + "updates/"


def token_for(user):
    return ApiToken.objects.create(user, name=f"{user.username}'s script")[1]


def item():
    return Recommendation.objects.get_by_natural_key(*ITEM)


def post(client, url, token=None, body=None, **headers):
    if token:
        headers["Authorization"] = f"Token {token}"
    return client.post(url, json.dumps(body or {}), content_type="application/json", headers=headers)


def get(client, url, token=None, **headers):
    if token:
        headers["Authorization"] = f"Token {token}"
    return client.get(url, headers=headers)


@pytest.fixture
def owned(staff):
    Recommendation.objects.filter(pk=item().pk).update(owner=staff)
    return item()
