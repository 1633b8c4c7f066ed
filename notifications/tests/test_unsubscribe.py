"""The signed unsubscribe link of every mail: a page that asks on GET, and the one-click POST of RFC 8058
(from a mail client: no session, no CSRF token)."""

import pytest
from django.core import signing
from django.test import Client

from notifications.mail import send_due
from notifications.models import Kind, Preference
from notifications.unsubscribe import unsubscribe_token, unsubscribe_url

from .conftest import TUESDAY, header, overdue, states, tell

ONE_CLICK = {"data": "List-Unsubscribe=One-Click", "content_type": "application/x-www-form-urlencoded"}


def chosen(user):
    return dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))


def path(token):
    return f"/notifications/unsubscribe/{token}/"


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_the_one_click_post_from_a_mail_stops_its_kinds(smtp_server, olga, strict_client, settings):
    settings.SITE_URL = "http://testserver"
    overdue(olga)
    tell(olga, Kind.STALE, "stale:1")
    send_due(now=TUESDAY)
    link = header(smtp_server.messages[0], "List-Unsubscribe")[1:-1]
    response = strict_client.post(link.removeprefix("http://testserver"), **ONE_CLICK)
    assert response.status_code == 200
    assert chosen(olga) == {"overdue": "none", "stale": "none"}
    assert "You will no longer get e-mails of these kinds: Overdue; No recent report." in response.content.decode()


def test_after_unsubscribing_new_notifications_of_that_kind_stay_in_the_app(smtp_server, olga, strict_client):
    strict_client.post(path(unsubscribe_token(olga, [Kind.OVERDUE])), **ONE_CLICK)
    overdue(olga)
    tell(olga, Kind.STALE, "stale:1")
    send_due(now=TUESDAY)
    assert states(olga) == {"overdue:1": "not_sent", "stale:1": "sent"}
    assert [mail["Subject"] for mail in smtp_server.messages] == ["Subject of stale:1"]


def test_get_asks_and_changes_nothing(olga, client):
    response = client.get(path(unsubscribe_token(olga, [Kind.ITEM_CHANGED])))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Stop e-mails of A followed item changed?</h1>" in body
    assert '<button type="submit">Stop these e-mails</button>' in body
    assert chosen(olga) == {}


def test_the_page_button_posts_to_the_same_link(olga, client):
    token = unsubscribe_token(olga, [Kind.DUE_SOON])
    assert client.post(path(token)).status_code == 200
    assert chosen(olga) == {"due_soon": "none"}


def ours(value):
    return signing.dumps(value, salt="notifications.unsubscribe")


@pytest.mark.parametrize("make_token", [
    lambda pk: "not-a-token",
    lambda pk: signing.dumps([pk, ["overdue"]], salt="another.salt"),  # signed, but for something else
    lambda pk: ours([pk + 1000, ["overdue"]]),  # nobody
    lambda pk: ours([pk, ["no_such_kind"]]),
    lambda pk: ours([pk, []]),
    lambda pk: ours([pk, [["overdue"]]]),
    lambda pk: ours(str(pk)),
])
def test_a_bad_link_is_refused_with_a_clear_page_and_changes_nothing(olga, client, make_token):
    for method in (client.get, client.post):
        response = method(path(make_token(olga.pk)))
        assert response.status_code == 400
        assert "<h1>This unsubscribe link does not work</h1>" in response.content.decode()
    assert Preference.objects.count() == 0


def test_a_link_cut_short_is_refused(olga, client):
    token = unsubscribe_token(olga, [Kind.OVERDUE])
    assert client.post(path(token[:-3])).status_code == 400
    assert chosen(olga) == {}


def test_the_link_is_absolute_on_the_site(olga, settings):
    settings.SITE_URL = "https://tracker.example.org"
    assert unsubscribe_url(olga, [Kind.STALE, Kind.OVERDUE]) == (
        "https://tracker.example.org" + path(unsubscribe_token(olga, [Kind.OVERDUE, Kind.STALE])))
