"""A small run of the benchmark data generator: consistent data, by the rules."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from partnerships.models import Project
from recommendations.models import TRANSITIONS, Meeting, Recommendation, RecommendationUpdate
from tools.scale import SYNTHETIC_YEARS

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    out = io.StringIO()
    call_command("generate_scale_data", "--size", "small", stdout=out)
    return out.getvalue()


def test_the_small_dataset_has_the_asked_for_sizes(generated):
    synthetic = Recommendation.objects.filter(session__meeting__year__range=SYNTHETIC_YEARS)
    assert Meeting.objects.filter(year__range=SYNTHETIC_YEARS).count() == 2
    assert synthetic.count() == 500
    updates = RecommendationUpdate.objects.filter(item__in=synthetic).count()
    assert updates == 2_500
    assert Project.objects.count() == 3 + 20
    assert "Generated the small dataset" in generated


def test_one_item_has_500_updates_and_the_rest_are_skewed(generated):
    synthetic = Recommendation.objects.filter(session__meeting__year__range=SYNTHETIC_YEARS)
    lengths = sorted(synthetic.annotate(n=Count("updates")).values_list("n", flat=True))
    assert lengths[-1] == 500 and lengths[0] >= 1
    assert lengths[len(lengths) // 2] < 10


def test_each_item_matches_its_timeline_and_the_timeline_follows_the_rules(generated):
    items = Recommendation.objects.filter(session__meeting__year__range=SYNTHETIC_YEARS).annotate(
        latest=Max("updates__created_at"))
    for item in items[:60]:
        entries = list(item.updates.order_by("created_at", "pk"))
        status = entries[0].status_after
        for entry in entries[1:]:
            if entry.status_after:
                assert entry.status_before == status and entry.status_after in TRANSITIONS[status]
                status = entry.status_after
        assert item.status == status
        assert item.last_update_at == item.latest
        assert item.last_note == item.updates.order_by("-created_at", "-pk")[0].note


@pytest.mark.postgresql
def test_the_search_documents_are_written_after_the_load_and_kept_after_it(generated):
    """The generator loads items with the search triggers off, then writes every document at once."""
    from partnerships.models import ProjectSearch
    from recommendations.models import RecommendationSearch
    from recommendations.selectors import search_items

    assert RecommendationSearch.objects.filter(document__isnull=False).count() == Recommendation.objects.count()
    assert ProjectSearch.objects.filter(document__isnull=False).count() == Project.objects.count()
    item = Recommendation.objects.filter(session__meeting__year__range=SYNTHETIC_YEARS).order_by("pk").first()
    item.title = "Quokka corridors"  # the triggers are on again
    item.save()
    assert list(search_items(Recommendation.objects.all(), "quokka").items) == [item]


def test_twenty_synthetic_meetings_and_their_timelines_lie_in_the_past_before_the_forums_first():
    from django.utils import timezone

    from partnerships.models import ProjectUpdate

    call_command("generate_scale_data", "--size", "small", "--meetings", "20", stdout=io.StringIO())
    years = sorted(Meeting.objects.filter(year__range=SYNTHETIC_YEARS).values_list("year", flat=True))
    assert years == list(range(1987, 2007))  # before the Forum's first meeting (2007): no real meeting's year
    now = timezone.now()
    assert Meeting.objects.aggregate(latest=Max("end_date"))["latest"] <= now.date()
    for model in (RecommendationUpdate, ProjectUpdate):
        assert model.objects.aggregate(latest=Max("created_at"))["latest"] <= now
    assert Recommendation.objects.aggregate(latest=Max("last_update_at"))["latest"] <= now


def test_more_meetings_than_years_for_them_is_refused_before_writing():
    with pytest.raises(CommandError, match="At most 20 meetings"):
        call_command("generate_scale_data", "--size", "small", "--meetings", "21", stdout=io.StringIO())
    assert not Meeting.objects.filter(year__range=SYNTHETIC_YEARS).exists()


def test_it_refuses_to_generate_twice(generated):
    with pytest.raises(CommandError, match="Synthetic meetings exist already"):
        call_command("generate_scale_data", "--size", "small", stdout=io.StringIO())


def test_it_refuses_a_database_with_an_older_generators_meetings():
    Meeting.objects.create(year=2011, edition="Synthetic 1", title="Synthetic meeting 2011", city="X", country="MX")
    with pytest.raises(CommandError, match="Synthetic meetings exist already"):
        call_command("generate_scale_data", "--size", "small", stdout=io.StringIO())


def test_on_a_database_without_the_report_it_says_what_to_run_and_writes_nothing():
    from django.contrib.auth import get_user_model

    from recommendations.models import Theme

    Theme.objects.all().delete()
    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match="run `manage.py seed_gfmd` first"):
        call_command("generate_scale_data", "--size", "small", stdout=io.StringIO())
    assert get_user_model().objects.count() == users
    assert not Meeting.objects.filter(year__range=SYNTHETIC_YEARS).exists()


def test_the_same_seed_gives_the_same_data():
    from tools.scale import Generator

    def draw(seed):
        generator = Generator(size="small", seed=seed)
        generator.log = lambda line: None
        return generator.timeline_lengths(200, 1_000), generator.sentence(5, 20)

    assert draw(7) == draw(7)
    assert draw(7) != draw(8)


def test_the_matrix_shows_one_meeting_at_a_time_when_there_are_many(generated, client, viewer, monkeypatch):
    from recommendations import reports

    monkeypatch.setattr(reports, "MEETINGS_ON_ONE_PAGE", 1)
    client.force_login(viewer)
    matrix = client.get("/reports/matrix/", {"year": 2006}).context["matrix"]
    assert [m.year for m in matrix.meetings] == [2005, 2006, 2010]
    assert matrix.shown.year == 2006
    assert {row.session.meeting.year for group in matrix.groups for row in group.rows} == {2006}
    assert matrix.total.total == Recommendation.objects.count()  # totals stay over every meeting


def test_lists_and_exports_work_on_generated_data(generated, client, viewer):
    client.force_login(viewer)
    response = client.get("/recommendations/", {"meeting": 2005, "session": "1.1"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 500 // 20
    csv = b"".join(client.get("/recommendations/export.csv", {"meeting": 2005}).streaming_content)
    assert csv.decode("utf-8-sig").count("\n") == 1 + 250


def test_generated_recommendations_carry_the_same_ordinal_as_renumber_gives(generated):
    before = dict(Recommendation.objects.values_list("pk", "ordinal"))
    Recommendation.objects.all().renumber()
    assert dict(Recommendation.objects.values_list("pk", "ordinal")) == before
