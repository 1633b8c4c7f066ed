"""Actions under a tracked item: added by `services.add_action` (who may, numbering, owner, opening entry),
named by their natural key, written through the same update path, deleted by editors."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from gfmd_tracker.roles import STAFF
from partnerships.models import Project
from recommendations import services
from recommendations.models import Action, ActionUpdate, Actor, FollowUpItem, Recommendation, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec():
    return Recommendation.objects.get_by_natural_key(2010, "2.1", 1)


def test_staff_add_an_action_numbered_owned_and_opened_by_them(rec, staff):
    actor = Actor.objects.get(name="United Arab Emirates")
    action = services.add_action(rec, by=staff, title="Workshop in Dubai", responsible_actors=[actor],
                                 note="Agreed at the meeting.")
    action.refresh_from_db()
    assert (action.number, action.title, action.owner, action.weight) == (1, "Workshop in Dubai", staff, 1)
    assert action.parent == rec
    assert action.meeting == rec.session.meeting
    assert list(action.responsible_actors.all()) == [actor]
    [entry] = ActionUpdate.objects.filter(item=action)
    assert (entry.author, entry.note) == (staff, "Action added: Workshop in Dubai. Agreed at the meeting.")
    assert (entry.status_after, entry.progress_after) == (Status.NOT_STARTED, 0)
    assert action.last_update_at == entry.created_at
    assert action.last_report_at is None  # the opening entry is no report
    assert action.history.count() == 1


def test_numbers_follow_the_highest_of_the_item(rec, staff, editor):
    first = services.add_action(rec, by=staff, title="One")
    services.add_action(rec, by=staff, title="Two")
    services.delete_actions([first], by=editor)
    third = services.add_action(rec, by=staff, title="Three")
    assert third.number == 3
    assert list(Action.objects.of_parent(rec).values_list("number", flat=True)) == [2, 3]


def test_numbers_are_per_item(rec, staff):
    other = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    services.add_action(rec, by=staff, title="One")
    assert services.add_action(other, by=staff, title="One elsewhere").number == 1


def test_the_parent_counts_its_actions(rec, staff):
    services.add_action(rec, by=staff, title="One")
    services.add_action(rec, by=staff, title="Two")
    rec.refresh_from_db()
    assert (rec.actions_count, rec.actions_reported, rec.actions_progress) == (2, 0, None)
    assert rec.rollup_summary == "0 of 2 actions reported"


def test_a_viewer_cannot_add_an_action(rec, viewer):
    with pytest.raises(PermissionDenied, match="not add actions"):
        services.add_action(rec, by=viewer, title="Mine")
    assert not Action.objects.exists()


def test_an_owner_given_is_kept_and_one_who_cannot_own_is_refused(rec, editor, staff, viewer):
    assert services.add_action(rec, by=editor, title="For Sam", owner=staff).owner == staff
    with pytest.raises(ValidationError) as refused:
        services.add_action(rec, by=editor, title="For Vera", owner=viewer)
    assert "vera-viewer cannot own items" in refused.value.message_dict["owner"][0]
    assert Action.objects.count() == 1


def test_an_action_without_a_title_is_refused(rec, staff):
    with pytest.raises(ValidationError) as refused:
        services.add_action(rec, by=staff, title="  ")
    assert "title" in refused.value.message_dict
    assert not Action.objects.exists()


def test_an_action_takes_updates_through_the_same_rules(rec, staff):
    action = services.add_action(rec, by=staff, title="Workshop")
    entry = action.record_update(by=staff, note="Half done.", progress=50, status=Status.IN_PROGRESS)
    assert (entry.progress_before, entry.progress_after, entry.status_after) == (0, 50, Status.IN_PROGRESS)
    other = make_user("stan-other-staff", STAFF)
    with pytest.raises(PermissionDenied):
        action.record_update(by=other, note="Mine now.", progress=60)
    action.refresh_from_db()
    assert (action.progress, action.version) == (50, 2)


def test_staff_log_action_updates_and_editors_change_and_delete_actions(staff, editor):
    assert staff.has_perm("recommendations.add_actionupdate")
    assert not staff.has_perm("recommendations.add_action")
    assert not staff.has_perm("recommendations.delete_action")
    for codename in ("add_action", "change_action", "delete_action", "add_actionupdate"):
        assert editor.has_perm(f"recommendations.{codename}")
    assert not editor.has_perm("recommendations.change_actionupdate")  # the timeline is append-only


def test_only_editors_delete_actions_and_the_roll_up_follows(rec, staff, editor):
    action = services.add_action(rec, by=staff, title="Workshop")
    pk = action.pk
    with pytest.raises(PermissionDenied, match="Only an editor"):
        services.delete_actions([action], by=staff)
    assert services.delete_actions([action], by=editor) == 1
    assert not Action.objects.exists() and not ActionUpdate.objects.exists()
    rec.refresh_from_db()
    assert (rec.actions_count, rec.rollup_summary) == (0, "")
    deleted = Action.history.filter(id=pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", editor)


def test_lineage_key_round_trip_for_each_kind_of_item(rec, staff):
    follow_up = FollowUpItem.objects.get_by_natural_key(2010, "FOF", 2)
    project = Project.objects.create(title="Recruitment / agencies", description="A project.")
    for parent, key in ((rec, "2010/2.1/1/a1"), (follow_up, "2010/FOF/2/a1"),
                        (project, "Recruitment / agencies/a1")):
        action = services.add_action(parent, by=staff, title="Act")
        assert action.lineage_key() == key
        assert Action.get_by_lineage_key(key) == action
        assert Action.objects.get_by_natural_key(*action.natural_key()) == action
    assert services.add_action(rec, by=staff, title="Second").lineage_key() == "2010/2.1/1/a2"


def test_a_key_naming_two_items_is_refused_as_ambiguous(rec, staff):
    services.add_action(rec, by=staff, title="Under the recommendation")
    project = Project.objects.create(title="2010/2.1/1", description="Named like a recommendation.")
    services.add_action(project, by=staff, title="Under the project")
    with pytest.raises(ValueError, match="'2010/2.1/1' names both a recommendation and a project"):
        Action.get_by_lineage_key("2010/2.1/1/a1")


@pytest.mark.parametrize("key", ["2010/2.1/1", "2010/2.1/1/a", "2010/2.1/1/ax", "/a1"])
def test_a_key_without_an_action_number_is_refused(key):
    with pytest.raises(ValueError, match="Not an item's key"):
        Action.get_by_lineage_key(key)


def test_a_key_naming_no_item_or_no_action_is_not_found(rec):
    with pytest.raises(Action.DoesNotExist, match="No recommendation, follow-up item or project"):
        Action.get_by_lineage_key("2010/9.9/9/a1")
    with pytest.raises(Action.DoesNotExist):
        Action.get_by_lineage_key("2010/2.1/1/a7")


def test_an_action_is_not_under_an_action(rec, staff):
    action = services.add_action(rec, by=staff, title="Parent")
    child = Action(parent_type=ContentType.objects.get_for_model(Action), parent_id=action.pk, number=1, title="Child")
    with pytest.raises(ValidationError, match="under a recommendation, a follow-up item or a PfP project"):
        child.full_clean()
    assert "actions" not in {field.name for field in Action._meta.get_fields()}


def test_its_address_is_its_page_under_its_item_page(rec, staff):
    action = services.add_action(rec, by=staff, title="Act")
    assert action.get_absolute_url() == "/recommendations/2010/2.1/1/actions/a1/"
    assert action.get_update_url() == "/recommendations/2010/2.1/1/actions/a1/update/"


def test_the_public_sees_published_actions_of_published_items(rec, staff, editor):
    shown = services.add_action(rec, by=staff, title="Shown")
    hidden = services.add_action(rec, by=staff, title="Hidden")
    services.set_items_public([hidden], public=False, by=editor)
    other = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    under_hidden = services.add_action(other, by=staff, title="Under an unpublished item")
    services.set_items_public([other], public=False, by=editor)
    assert list(Action.objects.visible_to(AnonymousUser())) == [shown]
    assert set(Action.objects.visible_to(staff)) == {shown, hidden, under_hidden}


def test_the_public_reads_published_entries_of_the_actions_it_may_see_only(rec, staff, editor):
    other = Recommendation.objects.get_by_natural_key(2010, "2.1", 2)
    shown, hidden = (services.add_action(item, by=staff, title=title) for item, title in ((rec, "Shown"),
                                                                                          (other, "Hidden")))
    for action in (shown, hidden):
        action.record_update(by=staff, note=f"Public news of {action.title}.", public=True)
        action.record_update(by=staff, note=f"Internal news of {action.title}.")
    services.set_items_public([other], public=False, by=editor)  # the action is published, its item is not
    public = ActionUpdate.objects.visible_to(AnonymousUser())
    assert list(public.values_list("note", flat=True)) == ["Public news of Shown."]
    assert ActionUpdate.objects.visible_to(staff).filter(note__endswith="news of Hidden.").count() == 2
