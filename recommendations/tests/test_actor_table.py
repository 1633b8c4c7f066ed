"""The table of all actors (/actors/): one row per actor with its scorecard's figures, sorted by any column,
downloadable as CSV and XLSX, counted in a few grouped queries whatever the number of actors."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from recommendations.models import Actor, Recommendation, Status

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:actors")


@pytest.fixture
def figures():
    """Three actors of known figures, the rest of the report's actors as the seed left them.
    Atlantis: 2 recommendations, one reported (60 %), one unpublished and never reported.
    Borduria: 3 recommendations, all reported (20 %, 40 %, 90 %: 50 % on average).
    Carpathia: none."""
    now = timezone.now()
    atlantis, borduria, carpathia = (Actor.objects.create(name=name, kind=Actor.Kind.GOVERNMENT)
                                     for name in ("Atlantis", "Borduria", "Carpathia"))
    items = {n: Recommendation.objects.get_by_natural_key(2010, "1.2", n) for n in range(1, 6)}
    Recommendation.objects.filter(pk__in=[item.pk for item in items.values()]).update(due_date=None)
    for n, progress in ((1, 60), (3, 20), (4, 40), (5, 90)):
        Recommendation.objects.filter(pk=items[n].pk).update(last_report_at=now, last_update_at=now,
                                                             progress=progress, status=Status.IN_PROGRESS)
    Recommendation.objects.filter(pk=items[2].pk).update(
        last_report_at=None, last_update_at=now - datetime.timedelta(days=800), is_public=False, progress=0,
        status=Status.NOT_STARTED)
    atlantis.responsible_for_recommendations.add(items[1], items[2])
    borduria.responsible_for_recommendations.add(items[3], items[4], items[5])
    return atlantis, borduria, carpathia


def names(response, only=("Atlantis", "Borduria", "Carpathia")):
    return [actor.name for actor in response.context["actors"] if actor.name in only]


def test_each_actor_has_its_figures(viewer_client, figures):
    atlantis, borduria, carpathia = figures
    actors = {actor.pk: actor for actor in viewer_client.get(URL).context["actors"]}
    assert (actors[atlantis.pk].card.total, actors[atlantis.pk].card.reported, actors[atlantis.pk].card.progress,
            actors[atlantis.pk].responsible) == (2, 1, 60, 2)
    assert (actors[borduria.pk].card.total, actors[borduria.pk].card.progress) == (3, 50)
    assert (actors[carpathia.pk].card.total, actors[carpathia.pk].card.progress) == (0, None)


def test_the_public_counts_the_published_items(client, figures):
    atlantis = figures[0]
    actor = next(a for a in client.get(URL).context["actors"] if a.pk == atlantis.pk)
    assert (actor.card.total, actor.card.unknown, actor.responsible) == (1, 0, 1)


def test_a_row_shows_its_figures_and_links_to_the_actors_page(viewer_client, figures):
    atlantis = figures[0]
    body = viewer_client.get(URL).content.decode()
    row = body[body.index(f'<a href="/actors/{atlantis.pk}/">Atlantis</a>'):]
    row = row[:row.index("</tr>")]
    assert '<td class="num" data-label="Items and actions">2</td>' in row
    assert '<td class="num" data-label="Reported">1 <span class="share">(50%)</span></td>' in row
    assert '<td class="num" data-label="Progress over the reported">60%</td>' in row
    assert '<td class="num" data-label="Unknown">1</td>' in row


@pytest.mark.parametrize(("sort", "expected"), [
    ("actor", ["Atlantis", "Borduria", "Carpathia"]),
    ("-actor", ["Carpathia", "Borduria", "Atlantis"]),
    ("total", ["Carpathia", "Atlantis", "Borduria"]),
    ("-total", ["Borduria", "Atlantis", "Carpathia"]),
    ("progress", ["Borduria", "Atlantis", "Carpathia"]),  # unknown progress last, whichever way
    ("-progress", ["Atlantis", "Borduria", "Carpathia"]),
    ("unknown", ["Borduria", "Carpathia", "Atlantis"]),
])
def test_the_table_sorts_by_each_column(viewer_client, figures, sort, expected):
    response = viewer_client.get(URL, {"sort": sort})
    assert response.status_code == 200
    assert names(response) == expected


def test_every_column_heading_sorts_and_a_second_click_reverses(viewer_client, figures):
    body = viewer_client.get(URL, {"sort": "total"}).content.decode()
    for key in ("actor", "kind", "country", "chairs", "recommendations", "reported", "recent", "unknown",
                "progress", "claimed", "verified", "overdue", "slipped", "current", "ageing", "stale", "inactive",
                "partner"):
        assert f'href="?sort={key}"' in body, key
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-total">Items and actions ▲</a></th>' in body


def test_an_unknown_sort_is_refused_with_a_message(viewer_client, figures):
    response = viewer_client.get(URL, {"sort": "wealth"})
    assert response.status_code == 400
    assert "Unknown sort “wealth”: choose a column's heading to sort by it." in response.content.decode()
    assert viewer_client.get(reverse("recommendations:actors_export", args=["csv"]),
                             {"sort": "wealth"}).status_code == 400


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


HEADER = ["actor", "kind", "country", "sessions_co_chaired", "recommendations", "items_and_actions", "reported",
          "reported_last_90_days", "unknown", "progress_over_reported", "closures_awaiting_verification",
          "closures_verified", "overdue", "slipped", "current", "ageing", "stale", "inactive", "partner_in_projects"]


def test_the_csv_has_every_actor_sorted_as_the_page(viewer_client, figures):
    response = viewer_client.get(reverse("recommendations:actors_export", args=["csv"]), {"sort": "-total"})
    assert response["Content-Disposition"].startswith('attachment; filename="gfmd-actors-')
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert len(rows) == 1 + Actor.objects.count()
    assert [row[0] for row in rows[1:] if row[0] in ("Atlantis", "Borduria", "Carpathia")] == [
        "Borduria", "Atlantis", "Carpathia"]
    atlantis = next(row for row in rows if row[0] == "Atlantis")
    # current: both open items were updated now; the unpublished one is never reported
    assert atlantis == ["Atlantis", "Government", "", "0", "2", "2", "1", "1", "1", "60", "0", "0", "0", "0", "1",
                        "0", "0", "1", "0"]


def test_the_publics_csv_counts_the_published_items(client, figures):
    rows = csv_rows(client.get(reverse("recommendations:actors_export", args=["csv"])))
    atlantis = next(row for row in rows if row[0] == "Atlantis")
    assert atlantis[3:10] == ["0", "1", "1", "1", "1", "0", "60"]


def test_the_xlsx_has_labelled_columns_and_numbers(viewer_client, figures):
    response = viewer_client.get(reverse("recommendations:actors_export", args=["xlsx"]), {"sort": "actor"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Actor", "Kind", "Country", "Sessions co-chaired", "Recommendations", "Items and actions")
    borduria = next(row for row in rows if row[0] == "Borduria")
    assert borduria[3:10] == (0, 3, 3, 3, 3, 0, 50)


def test_an_actors_name_is_never_a_formula_in_a_download(viewer_client):
    Actor.objects.create(name="=HYPERLINK(1)", kind=Actor.Kind.OTHER)
    rows = csv_rows(viewer_client.get(reverse("recommendations:actors_export", args=["csv"])))
    assert ["'=HYPERLINK(1)"] == [row[0] for row in rows if "HYPERLINK" in row[0]]


def test_the_table_reads_as_many_queries_however_many_actors(viewer_client, figures, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations import versioning

    counted = []
    for n in range(3):
        for i in range(n * 5):
            actor = Actor.objects.create(name=f"Extra {n}-{i}", kind=Actor.Kind.OTHER)
            actor.responsible_for_recommendations.add(Recommendation.objects.order_by("pk")[i])
        versioning.clear()
        with CaptureQueriesContext(connection) as queries:
            assert viewer_client.get(URL).status_code == 200
        counted.append(len(queries))
    assert len(set(counted)) == 1, counted
    versioning.clear()
    with django_assert_max_num_queries(17):  # 16, and the header's bell (the reader's unread notifications)
        viewer_client.get(URL)



def test_a_downloads_progress_is_rounded_half_up_as_the_page_shows_it(viewer_client):
    elbonia = Actor.objects.create(name="Elbonia", kind=Actor.Kind.GOVERNMENT)
    for number, progress in ((1, 5), (2, 0)):  # 2.5 % on average
        item = Recommendation.objects.get_by_natural_key(2010, "2.1", number)
        Recommendation.objects.filter(pk=item.pk).update(last_report_at=timezone.now(), progress=progress)
        elbonia.responsible_for_recommendations.add(item)
    body = viewer_client.get(URL).content.decode()
    row = body[body.index(">Elbonia</a>"):]
    assert '<td class="num" data-label="Progress over the reported">3%</td>' in row[:row.index("</tr>")]
    rows = csv_rows(viewer_client.get(reverse("recommendations:actors_export", args=["csv"])))
    assert next(row for row in rows if row[0] == "Elbonia")[HEADER.index("progress_over_reported")] == "3"
