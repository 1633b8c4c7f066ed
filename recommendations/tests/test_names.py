"""The long lists (owner, responsible actor, co-chair, partner) are boxes to type a name in:
the names endpoint offers matches as one types; the filters read a name, or an id from an
older link, and refuse anything else with a message."""

import re

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations.models import Actor, Recommendation

pytestmark = pytest.mark.django_db

LIST = "/recommendations/"


def names(client, field, typed, list_url=LIST):
    response = client.get(f"{list_url}names/{field}/", {"q": typed})
    assert response.status_code == 200, response.status_code
    return response.json()["names"]


def keys(response):
    return [r.natural_key()[1:] for r in response.context["page"].paginator.object_list]


def box(response, name):
    """The filter box `name`: its value, and what its <datalist> always offers."""
    html = response.content.decode()
    tag = re.search(rf'<input type="text" name="{name}"[^>]*>', html).group(0)
    value = re.search(r' value="([^"]*)"', tag)
    offers = re.search(rf'<datalist id="id_{name}-names">(.*?)</datalist>', html, re.S).group(1)
    return value and value.group(1), re.findall(r'<option value="([^"]*)">([^<]*)</option>', offers)


def test_it_offers_up_to_twenty_names_that_start_with_what_was_typed(viewer_client):
    users = get_user_model().objects
    for n in range(25):
        users.create_user(f"zed-{n:02d}")
    users.create_user("ozed")  # "zed" inside, not at the start
    assert names(viewer_client, "owner", "zed") == [f"zed-{n:02d}" for n in range(20)]
    assert names(viewer_client, "owner", " ZED-1") == [f"zed-{n:02d}" for n in range(10, 20)]
    assert names(viewer_client, "owner", "nobody by that name") == []


def test_a_new_user_is_offered_at_once_and_a_deactivated_one_no_longer(viewer_client):
    nadia = get_user_model().objects.create_user("newcomer-nadia")
    assert names(viewer_client, "owner", "newcomer") == ["newcomer-nadia"]
    nadia.is_active = False
    nadia.save()
    assert names(viewer_client, "owner", "newcomer") == []


def test_each_list_offers_its_own_records(viewer_client):
    assert names(viewer_client, "responsible", "Ken") == ["Kenya"]
    assert names(viewer_client, "co_chair", "Ken") == ["Kenya"]  # co-chaired 3.1
    assert "Kenya" in Actor.objects.filter(name__startswith="K").values_list("name", flat=True)
    never_chaired = Actor.objects.exclude(session_roles__role="co_chair").order_by("name").first()
    assert names(viewer_client, "responsible", never_chaired.name) == [never_chaired.name]
    assert names(viewer_client, "co_chair", never_chaired.name) == []
    partner = Actor.objects.filter(project_roles__isnull=False).order_by("name").first()
    assert names(viewer_client, "partner", partner.name, list_url="/projects/") == [partner.name]
    assert names(viewer_client, "partner", never_chaired.name, list_url="/projects/") == (
        [never_chaired.name] if never_chaired.project_roles.exists() else [])


def test_only_those_who_may_read_the_list_get_its_names(client, viewer):
    url = f"{LIST}names/owner/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(get_user_model().objects.create_user("no-role"))
    assert client.get(url).status_code == 403
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    assert client.get(f"{LIST}names/q/").status_code == 404  # not a list of names
    assert client.get(f"{LIST}names/nothing/").status_code == 404


def test_only_those_who_may_log_updates_learn_who_may_own_items(client, viewer, staff):
    url = f"{LIST}names/possible-owners/"
    client.force_login(viewer)  # reads the lists, logs nothing: the accounts that may edit are not theirs to list
    assert client.get(url, {"q": "sam"}).status_code == 403
    client.force_login(staff)
    assert client.get(url, {"q": "sam"}).json() == {"names": ["sam-staff"]}


SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
ODD = ["\x00", "sam-staff\x00", "%", "_", "'; --", "\\", "１２", "99999999999999999999"]


@SETTINGS
@given(typed=st.one_of(st.text(max_size=40), st.sampled_from(ODD)),
       field=st.sampled_from(["owner", "responsible", "co_chair", "possible-owners"]))
def test_it_never_answers_with_a_server_error(viewer_client, typed, field):
    response = viewer_client.get(f"{LIST}names/{field}/", {"q": typed})
    # NUL: refused by RefuseNulMiddleware; who may own items: only for those who may log updates
    assert response.status_code == (400 if "\x00" in typed else 403 if field == "possible-owners" else 200)
    assert response.status_code != 200 or isinstance(response.json()["names"], list)


@SETTINGS
@given(typed=st.one_of(st.text(max_size=40), st.sampled_from(ODD)))
def test_a_new_owner_typed_in_the_update_form_never_gives_a_server_error(client, editor, staff, typed):
    client.force_login(editor)
    rec = Recommendation.objects.get_by_natural_key(2010, "2.2", 3)
    response = client.post(rec.get_update_url(), {"note": "Typed.", "new_owner": typed, "version": rec.version})
    assert response.status_code in (302, 400), response.status_code


def test_the_owner_filter_reads_a_name_an_id_or_none(viewer_client, editor, staff):
    Recommendation.objects.get_by_natural_key(2010, "3.2", 1).record_update(by=editor, note="x", owner=staff)
    by_name = viewer_client.get(LIST, {"owner": "sam-staff"})
    by_id = viewer_client.get(LIST, {"owner": staff.pk})  # a link from before the names
    assert keys(by_name) == keys(by_id) == [("3.2", 1)]
    assert box(by_name, "owner") == box(by_id, "owner") == ("sam-staff", [("none", "— unassigned —")])
    assert "<strong>Filters:</strong> Owner: sam-staff</p>" in by_id.content.decode()
    unassigned = viewer_client.get(LIST, {"owner": "none"})
    assert len(keys(unassigned)) == 44
    assert box(unassigned, "owner")[0] == "none"
    assert "<strong>Filters:</strong> Owner: — unassigned —</p>" in unassigned.content.decode()


def test_the_actor_filters_read_a_name_or_an_id(viewer_client):
    uae, kenya = Actor.objects.get(short_name="UAE"), Actor.objects.get(name="Kenya")
    assert keys(viewer_client.get(LIST, {"responsible": uae.name})) == [("2.1", 1)]
    by_id = viewer_client.get(LIST, {"responsible": uae.pk})  # the actor pages link by id
    assert keys(by_id) == [("2.1", 1)]
    assert box(by_id, "responsible") == (uae.name, [])
    assert keys(viewer_client.get(LIST, {"co_chair": "Kenya"})) == [("3.1", n) for n in range(1, 6)]
    assert keys(viewer_client.get(LIST, {"co_chair": kenya.pk})) == [("3.1", n) for n in range(1, 6)]


@pytest.mark.parametrize("params", [{"owner": "nobody-here"}, {"owner": "99999999"}, {"responsible": "Atlantis"},
                                    {"co_chair": "Ghana"}])
def test_a_name_that_matches_nothing_is_refused_with_a_message(viewer_client, params):
    response = viewer_client.get(LIST, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert ('<p class="error">Select a valid choice. That choice is not one of the available choices.</p>'
            in html)
    name, typed = next(iter(params.items()))
    assert box(response, name)[0] == typed


def test_the_partner_filter_reads_a_name_or_an_id(viewer_client):
    from partnerships.models import Project

    project = Project.objects.filter(partners__isnull=False).order_by("pk").first()
    partner = project.partners.order_by("name").first()
    found = viewer_client.get("/projects/", {"partner": partner.name}).context["page"].paginator.object_list
    assert project in list(found)
    by_id = viewer_client.get("/projects/", {"partner": partner.pk})
    assert list(by_id.context["page"].paginator.object_list) == list(found)
    assert box(by_id, "partner") == (partner.name, [])
