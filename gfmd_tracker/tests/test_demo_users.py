"""create_demo_users, run by `make run`: the demo accounts, their kept passwords, the staff account's items."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from partnerships.models import Project
from recommendations.models import FollowUpItem, Recommendation

pytestmark = pytest.mark.django_db


def demo(path, *args):
    out = io.StringIO()
    call_command("create_demo_users", f"--passwords-file={path}", *args, stdout=out)
    lines = out.getvalue().splitlines()
    return [line.split() for line in lines[1:5]], lines


def test_it_creates_one_account_per_role_and_prints_the_passwords(tmp_path):
    accounts, lines = demo(tmp_path / "pw")
    assert lines[0] == "Demo accounts (role, username, password), kept in pw (--new-passwords makes new ones):"
    assert [account[:2] for account in accounts] == [
        ["viewer", "viewer"], ["staff", "staff"], ["editor", "editor"], ["administrator", "admin"],
    ]
    User = get_user_model()
    for role, username, password in accounts:
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert list(user.groups.values_list("name", flat=True)) == [role]
    assert User.objects.get(username="editor").is_staff
    assert not User.objects.get(username="staff").is_staff
    assert User.objects.get(username="admin").is_superuser


def test_it_keeps_the_passwords_across_runs_in_a_file_only_its_owner_reads(tmp_path):
    path = tmp_path / "pw"
    first, _ = demo(path)
    again, _ = demo(path)
    assert again == first
    assert get_user_model().objects.get(username="viewer").check_password(first[0][2])
    assert path.stat().st_mode & 0o077 == 0
    assert path.read_text().splitlines()[0] == f"viewer {first[0][2]}"


def test_it_makes_new_passwords_when_asked(tmp_path):
    path = tmp_path / "pw"
    first, _ = demo(path)
    new, _ = demo(path, "--new-passwords")
    assert all(a[2] != b[2] for a, b in zip(first, new, strict=True))
    assert not get_user_model().objects.get(username="viewer").check_password(first[0][2])
    assert get_user_model().objects.filter(username__in=["viewer", "staff", "editor", "admin"]).count() == 4


def test_it_gives_the_staff_account_three_recommendations_a_follow_up_item_and_a_project_once(tmp_path):
    _, lines = demo(tmp_path / "pw")
    staff = get_user_model().objects.get(username="staff")
    assert lines[-1] == "The staff account now owns 5 item(s): see My items."
    # The first unowned ones in report order: the seed leaves every item unowned.
    assert [str(r).split()[0] for r in Recommendation.objects.filter(owner=staff)] == ["1.1/1", "1.1/2", "1.1/3"]
    assert FollowUpItem.objects.filter(owner=staff).count() == 1
    assert Project.objects.filter(owner=staff).count() == 1
    entry = Recommendation.objects.get(owner=staff, number=1).updates.first()
    assert (entry.author, entry.owner_before, entry.owner_after, entry.note) == (
        None, None, staff, "Given to the demo staff account by make run.")

    _, lines = demo(tmp_path / "pw")
    assert lines[-1].startswith("  administrator")  # nothing given again
    assert Recommendation.objects.filter(owner=staff).count() == 3
    assert Recommendation.objects.get(owner=staff, number=1).updates.count() == 2
